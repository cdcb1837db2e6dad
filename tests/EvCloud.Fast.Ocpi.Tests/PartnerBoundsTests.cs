using System.Net;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>
/// What a partner can make us do is bounded: the size of an answer we read, the pages we follow, the time a request
/// takes, how often we call a failing partner, and which addresses we connect to.
/// </summary>
public sealed class PartnerBoundsTests : IAsyncLifetime
{
    private static readonly OcpiTarget Target = new("token", TokenEncoding.Base64, OcpiVersionNumber.V221, null);

    private WebApplication _partner = null!;
    private string _base = "";
    private int _failures;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _partner = builder.Build();
        _partner.MapGet("/big", () => Results.Content("{\"data\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"status_code\":1000}", "application/json"));
        _partner.MapGet("/endless", (HttpContext context) =>
        {
            // Every page links to another: a partner whose pages never end.
            context.Response.Headers.Link = "<" + _base + "/endless>; rel=\"next\"";
            return Results.Content("{\"data\":[{}],\"status_code\":1000}", "application/json");
        });
        _partner.MapGet("/failing", () =>
        {
            Interlocked.Increment(ref _failures);
            return Results.StatusCode(503);
        });
        _partner.MapGet("/ok", () => Results.Content("{\"status_code\":1000}", "application/json"));
        await _partner.StartAsync();
        _base = _partner.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _partner.DisposeAsync();

    [Fact]
    public async Task AnAnswerLargerThanTheCap_FailsTheRequest()
    {
        OcpiClient client = Client(new OcpiOptions { AllowPrivateAddresses = true, MaxResponseBytes = 1024 * 1024 });

        OcpiClientResponse<System.Text.Json.JsonElement> response = await client.GetAsync(Target, _base + "/big", OcpiJsonContext.Default.JsonElement, routed: false, CancellationToken.None);

        Assert.False(response.IsSuccess);
        Assert.Equal(0, response.HttpStatus);
    }

    [Fact]
    public async Task APullStopsAtThePageCap_AndSaysSo()
    {
        OcpiClient client = Client(new OcpiOptions { AllowPrivateAddresses = true, MaxPages = 5 });

        (List<System.Text.Json.JsonElement> items, OcpiClientResponse<List<System.Text.Json.JsonElement>>? failure) =
            await client.GetAllAsync(Target, _base + "/endless", OcpiJsonContext.Default.ListJsonElement, CancellationToken.None);

        Assert.Equal(5, items.Count);
        Assert.NotNull(failure);
        Assert.Contains("5 pages", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingPartner_OpensItsCircuit_AndIsNotCalledWhileItIsOpen()
    {
        OcpiClient client = Client(new OcpiOptions { AllowPrivateAddresses = true, CircuitBreakDuration = TimeSpan.FromMinutes(5) });
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(503, (await client.GetAsync(Target, _base + "/failing", OcpiJsonContext.Default.JsonElement, routed: false, CancellationToken.None)).HttpStatus);
        }

        int calls = Volatile.Read(ref _failures);
        OcpiClientResponse<System.Text.Json.JsonElement> rejected = await client.GetAsync(Target, _base + "/ok", OcpiJsonContext.Default.JsonElement, routed: false, CancellationToken.None);

        Assert.Equal(0, rejected.HttpStatus);
        Assert.Contains("circuit", rejected.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(calls, Volatile.Read(ref _failures));
    }

    [Fact]
    public async Task PrivateAddresses_AreRefused_UnlessAllowed()
    {
        OcpiClient guarded = Client(new OcpiOptions());
        OcpiClientResponse<System.Text.Json.JsonElement> refused = await guarded.GetAsync(Target, _base + "/ok", OcpiJsonContext.Default.JsonElement, routed: false, CancellationToken.None);
        Assert.Equal(0, refused.HttpStatus);
        Assert.Contains("private", refused.Message, StringComparison.Ordinal);

        OcpiClient open = Client(new OcpiOptions { AllowPrivateAddresses = true });
        Assert.True((await open.GetAsync(Target, _base + "/ok", OcpiJsonContext.Default.JsonElement, routed: false, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task TheConnectCheck_UsesTheResolvedAddresses_SoANameCannotReachLoopback()
    {
        int port = new Uri(_base).Port;

        // "localhost" is a name: only its DNS answer (127.0.0.1 / ::1) shows where it goes.
        await Assert.ThrowsAsync<HttpRequestException>(async () => await PartnerAddressGuard.ConnectAsync(new DnsEndPoint("localhost", port), allowPrivate: false, CancellationToken.None));

        await using Stream stream = await PartnerAddressGuard.ConnectAsync(new DnsEndPoint("localhost", port), allowPrivate: true, CancellationToken.None);
        Assert.True(stream.CanWrite);
    }

    [Theory]
    [InlineData("127.0.0.1", false)] // loopback
    [InlineData("::1", false)] // loopback
    [InlineData("10.1.2.3", false)] // RFC 1918
    [InlineData("172.16.0.1", false)] // RFC 1918
    [InlineData("172.31.255.255", false)] // RFC 1918, top of the range
    [InlineData("192.168.1.1", false)] // RFC 1918
    [InlineData("169.254.169.254", false)] // link-local: cloud metadata
    [InlineData("100.64.0.1", false)] // shared address space
    [InlineData("0.0.0.0", false)] // unspecified
    [InlineData("fe80::1", false)] // IPv6 link-local
    [InlineData("fd00::1", false)] // IPv6 unique local
    [InlineData("::ffff:10.0.0.1", false)] // IPv4-mapped private
    [InlineData("224.0.0.1", false)] // multicast
    [InlineData("172.32.0.1", true)] // just outside 172.16.0.0/12
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    public void IsPublic_KnowsTheReservedRanges(string address, bool expected) =>
        Assert.Equal(expected, PartnerAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://localhost:8080/ocpi/versions")] // loopback name
    [InlineData("http://127.0.0.1/x")] // loopback literal
    [InlineData("http://[::1]/x")] // IPv6 loopback literal
    [InlineData("http://169.254.169.254/latest/meta-data")] // cloud metadata
    [InlineData("ftp://partner.example/x")] // not http(s)
    public void RefuseUrl_RefusesLocalAndNonHttpUrls(string url) => Assert.NotNull(PartnerAddressGuard.RefuseUrl(url, allowPrivate: false));

    private static OcpiClient Client(OcpiOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOcpiHttpClient(options);
        ServiceProvider provider = services.BuildServiceProvider();
        return new OcpiClient(provider.GetRequiredService<IHttpClientFactory>(), options, provider.GetRequiredService<ILogger<OcpiClient>>());
    }
}

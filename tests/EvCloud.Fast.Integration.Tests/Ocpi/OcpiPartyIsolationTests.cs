using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Partners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// A party (country_code, party_id, role) belongs to one partner: the honest eMSP DE/EMS registers with the CPO, then
/// a hostile partner with its own token tries to take DE/EMS — by registering with it, or by updating its credentials
/// to it — on 2.2.1 and on 2.1.1 (whose credentials carry one party at top level). A token A bound to parties opens
/// only those.
/// </summary>
public sealed class OcpiPartyIsolationTests : IAsyncLifetime
{
    private const string HonestToken = "04A1B2C3D4";

    private OcpiPair _pair = null!;
    private FakePlatform _hostile = null!;

    public async Task InitializeAsync()
    {
        _pair = await OcpiPair.StartAsync();
        _hostile = await FakePlatform.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hostile.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [Fact]
    public async Task Put221_ClaimingAnotherPartnersParty_IsRefused_AndItsTokensStayOutOfReach()
    {
        await ConnectHonestAsync("2.2.1", null);
        using var http = new OcpiHttp();
        string tokenC = await RegisterHostileAsync(http, "2.2.1", await _pair.IssueTokenAAsync("evil"), "FR", "EVL");

        (HttpResponseMessage put, JsonElement body) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/2.2.1/credentials", tokenC, Credentials("2.2.1", "DE", "EMS"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.Contains("DE/EMS", body.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        OcpiPartner evil = _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("evil")!;
        Assert.Equal(["FR/EVL (EMSP)"], evil.Roles.Select(r => r.ToString()));

        // The honest partner's token stays out of reach of the hostile token: neither read nor overwritten.
        string tokenUrl = _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/" + HonestToken;
        (HttpResponseMessage read, JsonElement readBody) = await http.SendAsync(HttpMethod.Get, tokenUrl, tokenC);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.NotEqual(1000, readBody.GetProperty("status_code").GetInt32());
        (HttpResponseMessage write, _) = await http.SendAsync(HttpMethod.Put, tokenUrl, tokenC, new
        {
            country_code = "DE", party_id = "EMS", uid = HonestToken, type = "RFID", contract_id = "DE-EMS-C12345678-X", issuer = "Evil",
            valid = false, whitelist = "ALLOWED", last_updated = "2026-06-01T00:00:00Z",
        });
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        JsonElement stored = Assert.Single((await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/roaming-tokens"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.True(stored.GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("2.2.1")]
    [InlineData("2.1.1")]
    public async Task Post_ClaimingAPartyAnotherPartnerHolds_IsRefused_AndDoesNotRegister(string version)
    {
        await ConnectHonestAsync(version, version == "2.1.1" ? "Plain" : null);
        using var http = new OcpiHttp();
        string tokenA = await _pair.IssueTokenAAsync("evil");

        (HttpResponseMessage post, JsonElement body) = await http.SendAsync(
            HttpMethod.Post, _pair.CpoBase + "/ocpi/" + version + "/credentials", tokenA, Credentials(version, "de", "ems"), base64: version == "2.2.1");

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.False(_pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("evil")!.Registered);

        // Refused before the CPO called the hostile platform back.
        Assert.Empty(_hostile.Requests);
    }

    [Fact]
    public async Task Put211_ClaimingAnotherPartnersParty_IsRefused()
    {
        await ConnectHonestAsync("2.1.1", "Plain");
        using var http = new OcpiHttp();
        string tokenC = await RegisterHostileAsync(http, "2.1.1", await _pair.IssueTokenAAsync("evil"), "FR", "EVL");

        (HttpResponseMessage put, JsonElement body) = await http.SendAsync(
            HttpMethod.Put, _pair.CpoBase + "/ocpi/2.1.1/credentials", tokenC, Credentials("2.1.1", "DE", "EMS"), base64: false);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.Equal(["FR/EVL"], _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("evil")!.Roles.Select(r => r.ToString()));
        (HttpResponseMessage read, _) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.1.1/tokens/DE/EMS/" + HonestToken, tokenC, base64: false);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Theory]
    [InlineData("2.2.1")]
    [InlineData("2.1.1")]
    public async Task BoundTokenA_OpensOnlyItsParties_AndReservesThem(string version)
    {
        using var http = new OcpiHttp();
        JsonElement created = await ApiClient.JsonAsync(
            await _pair.CpoApi.PostAsync("api/v1/ocpi/partners", "{\"id\":\"bound\",\"parties\":[{\"role\":\"EMSP\",\"countryCode\":\"FR\",\"partyId\":\"EVL\"}]}"),
            HttpStatusCode.Created);
        string tokenA = created.GetProperty("tokenA").GetString()!;
        string url = _pair.CpoBase + "/ocpi/" + version + "/credentials";
        bool base64 = version == "2.2.1";

        // Outside the binding: refused, and the token A is not spent.
        (_, JsonElement outside) = await http.SendAsync(HttpMethod.Post, url, tokenA, Credentials(version, "FR", "OTH"), base64: base64);
        Assert.Equal(2001, outside.GetProperty("status_code").GetInt32());

        // A bound party is reserved: another partner cannot take it, even before the bound one registers.
        (_, JsonElement taken) = await http.SendAsync(HttpMethod.Post, url, await _pair.IssueTokenAAsync("other"), Credentials(version, "FR", "EVL"), base64: base64);
        Assert.Equal(2001, taken.GetProperty("status_code").GetInt32());
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await _pair.CpoApi.PostAsync("api/v1/ocpi/partners", "{\"id\":\"twin\",\"parties\":[{\"countryCode\":\"FR\",\"partyId\":\"EVL\"}]}")).StatusCode);

        // Within the binding: registered.
        (_, JsonElement inside) = await http.SendAsync(HttpMethod.Post, url, tokenA, Credentials(version, "FR", "EVL"), base64: base64);
        Assert.Equal(1000, inside.GetProperty("status_code").GetInt32());
        Assert.True(_pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("bound")!.Registered);
    }

    private async Task ConnectHonestAsync(string version, string? encoding)
    {
        await _pair.ConnectAsync(version, encoding);
        JsonElement put = await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/" + HonestToken, "{\"contractId\":\"DE-EMS-C12345678-X\",\"issuer\":\"Test eMSP\",\"whitelist\":\"ALLOWED\"}"),
            HttpStatusCode.OK);
        Assert.True(put.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean());
    }

    private async Task<string> RegisterHostileAsync(OcpiHttp http, string version, string tokenA, string countryCode, string partyId)
    {
        (_, JsonElement body) = await http.SendAsync(
            HttpMethod.Post, _pair.CpoBase + "/ocpi/" + version + "/credentials", tokenA, Credentials(version, countryCode, partyId), base64: version == "2.2.1");
        Assert.Equal(1000, body.GetProperty("status_code").GetInt32());
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    private object Credentials(string version, string countryCode, string partyId) => version == "2.2.1"
        ? new
        {
            token = FakePlatform.Token,
            url = _hostile.Base + "/versions",
            roles = new[] { new { role = "EMSP", party_id = partyId, country_code = countryCode, business_details = new { name = "Hostile" } } },
        }
        : new
        {
            token = FakePlatform.Token,
            url = _hostile.Base + "/versions",
            business_details = new { name = "Hostile" },
            party_id = partyId,
            country_code = countryCode,
        };

    /// <summary>The hostile partner's platform: versions and details (credentials only) for both versions, any token.</summary>
    private sealed class FakePlatform : IAsyncDisposable
    {
        public const string Token = "hostile-platform-token-b";

        private readonly WebApplication _app;

        private FakePlatform(WebApplication app, string baseUrl)
        {
            _app = app;
            Base = baseUrl;
        }

        public string Base { get; }

        public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

        public static async Task<FakePlatform> StartAsync()
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();

            // NOTE: the server's appsettings.json sits next to the tests; its Kestrel endpoints must not apply here.
            builder.Configuration.Sources.Clear();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            FakePlatform? fake = null;
            app.Map("/{**path}", (HttpContext context) =>
            {
                string path = context.Request.Path.Value!;
                fake!.Requests.Enqueue(path);
                return path switch
                {
                    "/versions" => Ok("[{\"version\":\"2.2.1\",\"url\":\"" + fake.Base + "/2.2.1\"},{\"version\":\"2.1.1\",\"url\":\"" + fake.Base + "/2.1.1\"}]"),
                    "/2.2.1" => Ok("{\"version\":\"2.2.1\",\"endpoints\":[{\"identifier\":\"credentials\",\"role\":\"RECEIVER\",\"url\":\"" + fake.Base + "/2.2.1/credentials\"}]}"),
                    "/2.1.1" => Ok("{\"version\":\"2.1.1\",\"endpoints\":[{\"identifier\":\"credentials\",\"url\":\"" + fake.Base + "/2.1.1/credentials\"}]}"),
                    _ => Ok(null),
                };
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            fake = new FakePlatform(app, address);
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static IResult Ok(string? data) =>
            Results.Content("{" + (data is null ? "" : "\"data\":" + data + ",") + "\"status_code\":1000,\"timestamp\":\"2026-01-01T00:00:00Z\"}", "application/json");
    }
}

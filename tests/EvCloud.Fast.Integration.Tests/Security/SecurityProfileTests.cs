using System.Diagnostics.Metrics;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Integration.Tests.Security;

/// <summary>One server for the class: default profile 1, chargers of every profile, a wss listener and a test CA.</summary>
public sealed class SecurityServerFixture : IAsyncLifetime
{
    public const string P1Password = "p1-Secret.Password";
    public const string P2Password = "p2-Secret.Password";

    public TestPki Pki { get; } = new();

    public TestServer Server { get; private set; } = null!;

    public ChargerCredentialStore Credentials => Server.Services.GetRequiredService<ChargerCredentialStore>();

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(
    [
        .. Pki.ServerArgs(),
        "--Ocpp:Security:DefaultProfile=1",
        "--Ocpp:Security:FailureLimit=0", // every request comes from 127.0.0.1; the limiter has its own tests
        $"--Ocpp:Security:Chargers:CP-P1:Password={P1Password}",
        "--Ocpp:Security:Chargers:CP-P2:Profile=2",
        $"--Ocpp:Security:Chargers:CP-P2:Password={P2Password}",
        "--Ocpp:Security:Chargers:CP-P3:Profile=3",
        "--Ocpp:Security:Chargers:CP-OPEN:Profile=0",
    ]);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Pki.Dispose();
    }
}

public sealed class SecurityProfileTests : IClassFixture<SecurityServerFixture>
{
    private readonly SecurityServerFixture _fixture;

    public SecurityProfileTests(SecurityServerFixture fixture) => _fixture = fixture;

    private TestServer Server => _fixture.Server;

    [Fact]
    public async Task Profile1_TheRightPassword_Connects()
    {
        await using RawCharger charger = await RawCharger.OpenAsync(Server.OcppEndPoint);
        Assert.Equal(101, await charger.UpgradeAsync("CP-P1", "ocpp1.6", RawCharger.BasicAuthorization("CP-P1", SecurityServerFixture.P1Password)));
        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
        Assert.True(Server.Gateway.Registry.TryGet("CP-P1", out OcppConnection connection));
        Assert.Equal(SecurityProfile.Basic, connection.Security.Profile);
    }

    [Theory]
    [InlineData("CP-P1", "wrong-but-valid-Password")] // a wrong password
    [InlineData("CP-P1", null)] // no Authorization header
    [InlineData("CP-NOBODY", "p1-Secret.Password")] // an id without a credential
    [InlineData("CP-P1", "user:CP-P2:" + SecurityServerFixture.P2Password)] // another charger's credentials
    [InlineData("CP-P1", "raw:Basic !!notbase64!!")] // malformed Basic
    [InlineData("CP-P1", "raw:Bearer abc")] // not Basic at all
    public async Task Profile1_EveryKindOfFailure_GetsTheSame401_AfterOneSlowHash(string id, string? credential)
    {
        string? header = credential switch
        {
            null => null,
            _ when credential.StartsWith("raw:", StringComparison.Ordinal) => "Authorization: " + credential[4..] + "\r\n",
            _ when credential.StartsWith("user:", StringComparison.Ordinal) => RawCharger.BasicAuthorization(credential.Split(':')[1], credential.Split(':', 3)[2]),
            _ => RawCharger.BasicAuthorization(id, credential),
        };

        string reference = await RefusalOf("CP-NOBODY", RawCharger.BasicAuthorization("CP-NOBODY", "whatever-Password-1"));
        long before = _fixture.Credentials.SlowVerifications;
        Assert.Equal(reference, await RefusalOf(id, header));
        Assert.Equal(1, _fixture.Credentials.SlowVerifications - before);
        Assert.StartsWith("HTTP/1.1 401 Unauthorized", reference, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Basic realm=\"OCPP\"", reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A16BinaryAuthorizationKey_ContainingAColon_Connects()
    {
        byte[] key = [0x00, 0x01, 0x3A, 0xFF, 0x10, 0x3A, 0x3A, 0x7F, 0x80, 0x81, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0x3A, 0x0D, 0x0A];
        _fixture.Credentials.SetAuthorizationKey("CP-KEY", Convert.ToHexString(key));
        await using RawCharger charger = await RawCharger.OpenAsync(Server.OcppEndPoint);
        Assert.Equal(101, await charger.UpgradeAsync("CP-KEY", "ocpp1.6", RawCharger.BasicAuthorization("CP-KEY", key)));
    }

    [Fact]
    public async Task ARevokedPassword_NoLongerConnects_AndARotatedOneDoes()
    {
        _fixture.Credentials.SetPassword("CP-ROT", "first-Password-123");
        string second = _fixture.Credentials.RotatePassword("CP-ROT");
        Assert.Equal(401, await UpgradeStatus("CP-ROT", RawCharger.BasicAuthorization("CP-ROT", "first-Password-123")));
        Assert.Equal(101, await UpgradeStatus("CP-ROT", RawCharger.BasicAuthorization("CP-ROT", second)));

        _fixture.Credentials.Revoke("CP-ROT");
        Assert.Equal(401, await UpgradeStatus("CP-ROT", RawCharger.BasicAuthorization("CP-ROT", second)));
    }

    [Fact]
    public async Task AProfile0Charger_ConnectsWithoutCredentials_WhileTheDefaultIs1()
    {
        Assert.Equal(101, await UpgradeStatus("CP-OPEN", null));
    }

    [Fact]
    public async Task Profile2_OverTls_Connects()
    {
        await using RawCharger charger = await RawCharger.OpenTlsAsync(Server.OcppTlsEndPoint!, _fixture.Pki.Ca);
        Assert.Equal(101, await charger.UpgradeAsync("CP-P2", "ocpp1.6", RawCharger.BasicAuthorization("CP-P2", SecurityServerFixture.P2Password)));
        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
        Assert.True(Server.Gateway.Registry.TryGet("CP-P2", out OcppConnection connection));
        Assert.True(connection.Security.IsTls);
    }

    [Fact]
    public async Task Profile2_OverPlainWs_IsRefused_EvenWithTheRightPassword()
    {
        using var failures = new AuthFailureRecorder();
        Assert.Equal(401, await UpgradeStatus("CP-P2", RawCharger.BasicAuthorization("CP-P2", SecurityServerFixture.P2Password)));
        Assert.Contains("tls_required", failures.Reasons);
    }

    [Fact]
    public async Task Profile3_AValidClientCertificate_Connects_AndIsTracked()
    {
        using X509Certificate2 certificate = _fixture.Pki.ClientCertificate("CP-P3");
        await using RawCharger charger = await RawCharger.OpenTlsAsync(Server.OcppTlsEndPoint!, _fixture.Pki.Ca, certificate);
        Assert.Equal(101, await charger.UpgradeAsync("CP-P3", "ocpp1.6"));
        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");

        Assert.True(Server.Gateway.Registry.TryGet("CP-P3", out OcppConnection connection));
        Assert.Equal(SecurityProfile.TlsClientCertificate, connection.Security.Profile);
        Assert.Equal(certificate.Thumbprint, connection.Security.ClientCertificateThumbprint);
        CertificateInventory inventory = Server.Services.GetRequiredService<CertificateInventory>();
        Assert.Contains(inventory.ForCharger("CP-P3"), c => c.Thumbprint == certificate.Thumbprint && c.Source == "presented");
    }

    [Theory]
    [InlineData("wrong-subject", "certificate_subject_mismatch")] // chains to the CA but names another charger
    [InlineData("no-certificate", "no_client_certificate")] // TLS without a client certificate
    [InlineData("password-only", "no_client_certificate")] // a Basic password does not replace the certificate
    public async Task Profile3_WithoutACertificateNamingTheCharger_Gets401(string variant, string reason)
    {
        using var failures = new AuthFailureRecorder();
        using X509Certificate2? certificate = variant == "wrong-subject" ? _fixture.Pki.ClientCertificate("CP-SOMEONE-ELSE") : null;
        await using RawCharger charger = await RawCharger.OpenTlsAsync(Server.OcppTlsEndPoint!, _fixture.Pki.Ca, certificate);
        string? header = variant == "password-only" ? RawCharger.BasicAuthorization("CP-P3", "some-Password-1234") : null;
        Assert.Equal(401, await charger.UpgradeAsync("CP-P3", "ocpp1.6", header));
        Assert.Contains(reason, failures.Reasons);
    }

    [Theory]
    [InlineData("expired")] // valid chain, but past its notAfter
    [InlineData("wrong-ca")] // signed by a CA the server does not trust
    public async Task Profile3_AnUntrustedCertificate_FailsTheTlsHandshake(string variant)
    {
        using var failures = new AuthFailureRecorder();
        using X509Certificate2 certificate = variant == "expired"
            ? _fixture.Pki.ClientCertificate("CP-P3", expired: true)
            : _fixture.Pki.ClientCertificate("CP-P3", issuer: _fixture.Pki.OtherCa);

        int status;
        try
        {
            // With TLS 1.3 the client may finish its side of the handshake before the server's verdict arrives;
            // the server's alert then surfaces on the first read.
            await using RawCharger charger = await RawCharger.OpenTlsAsync(Server.OcppTlsEndPoint!, _fixture.Pki.Ca, certificate);
            status = await charger.UpgradeAsync("CP-P3", "ocpp1.6");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            status = 0;
        }

        Assert.Equal(0, status);
        Assert.Contains("certificate_untrusted", failures.Reasons);
    }

    [Fact]
    public async Task Profile3_OverPlainWs_Gets401()
    {
        Assert.Equal(401, await UpgradeStatus("CP-P3", null));
    }

    private async Task<int> UpgradeStatus(string id, string? header)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(Server.OcppEndPoint);
        return await charger.UpgradeAsync(id, "ocpp1.6", header);
    }

    private async Task<string> RefusalOf(string id, string? header)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(Server.OcppEndPoint);
        await charger.UpgradeAsync(id, "ocpp1.6", header);
        return charger.HandshakeResponse;
    }
}

/// <summary>Collects the <c>reason</c> tags of <c>evcloud.ocpp.auth.failures</c> while alive (from any server in the process).</summary>
public sealed class AuthFailureRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<string> _reasons = [];

    public AuthFailureRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OcppMetrics.MeterName && instrument.Name == "evcloud.ocpp.auth.failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "reason")
                {
                    lock (_reasons)
                    {
                        _reasons.Add((string)tag.Value!);
                    }
                }
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<string> Reasons
    {
        get
        {
            lock (_reasons)
            {
                return [.. _reasons];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}

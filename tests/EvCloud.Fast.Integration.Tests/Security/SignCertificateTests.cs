using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Security;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Integration.Tests.Security;

public sealed class SignCertificateTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(
    [
        .. _pki.ServerArgs(),
        "--Ocpp:Security:OrganizationName=EvCloud Test",
        "--Ocpp:Security:CertificateValidity=30.00:00:00",
    ]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task AValidCsr_IsAccepted_ThenACertificateSignedCallBringsAChainThatVerifiesAgainstTheCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CSR");
        (JsonElement answer, JsonElement call) = await SignCertificateAsync(charger, Csr("CN=CP-CSR, O=EvCloud Test", key));

        Assert.Equal("Accepted", OcppAssert.CallResult(answer, "SignCertificate").GetProperty("status").GetString());
        Assert.Equal("CertificateSigned", call[2].GetString());
        string chainPem = call[3].GetProperty("certificateChain").GetString()!;
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(chainPem);
        using X509Certificate2 leaf = chain[0];

        Assert.Equal("CP-CSR", leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(Verifies(leaf, _pki.Ca));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.True(leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement));
        Assert.InRange(leaf.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        Assert.False(call[3].TryGetProperty("certificateType", out _)); // 1.6 CertificateSigned.req has none
        await charger.SendTextAsync($"[3,\"{call[1].GetString()}\",{{\"status\":\"Accepted\"}}]");

        // The charger now switches to profile 3 with the new certificate.
        _server.Services.GetRequiredService<ChargerCredentialStore>().SetProfile("CP-CSR", SecurityProfile.TlsClientCertificate);
        using X509Certificate2 withKey = X509CertificateLoader.LoadPkcs12(leaf.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
        await using RawCharger secured = await RawCharger.OpenTlsAsync(_server.OcppTlsEndPoint!, _pki.Ca, withKey);
        Assert.Equal(101, await secured.UpgradeAsync("CP-CSR", "ocpp1.6"));
    }

    [Theory]
    [InlineData("CN=CP-OTHER, O=EvCloud Test", false)] // CN is another charger
    [InlineData("CN=CP-BAD, O=Another CSO", false)] // organizationName is not the configured CSO
    [InlineData("CN=CP-BAD, O=EvCloud Test", true)] // signature does not verify
    public async Task AnUnacceptableCsr_IsRejected_AndNothingIsSigned(string subject, bool tamper)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = Csr(subject, key);
        if (tamper)
        {
            byte[] der = PemEncoding.Find(csr) is var fields ? Convert.FromBase64String(csr[fields.Base64Data]) : [];
            der[^5] ^= 0x01; // inside the signature
            csr = PemEncoding.WriteString("CERTIFICATE REQUEST", der);
        }

        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-BAD");
        JsonElement answer = await charger.CallAsync("SignCertificate", new { csr });
        Assert.Equal("Rejected", OcppAssert.CallResult(answer, "SignCertificate").GetProperty("status").GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => charger.ReceiveFrameAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task WithoutACa_AValidCsr_IsRejected()
    {
        await using TestServer plain = await TestServer.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using RawCharger charger = await RawCharger.ConnectAsync(plain.OcppEndPoint, "CP-NOCA");
        JsonElement answer = await charger.CallAsync("SignCertificate", new { csr = Csr("CN=CP-NOCA", key) });
        Assert.Equal("Rejected", OcppAssert.CallResult(answer, "SignCertificate").GetProperty("status").GetString());
    }

    private static string Csr(string subject, ECDsa key) =>
        new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    // The CALLRESULT and the CertificateSigned CALL, whichever arrives first.
    private static async Task<(JsonElement Answer, JsonElement Call)> SignCertificateAsync(RawCharger charger, string csr)
    {
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "sign-1", "SignCertificate", new { csr } }));
        JsonElement first = await charger.ReceiveMessageAsync();
        JsonElement second = await charger.ReceiveMessageAsync();
        return first[0].GetInt32() == 3 ? (first, second) : (second, first);
    }

    private static bool Verifies(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(leaf);
    }
}

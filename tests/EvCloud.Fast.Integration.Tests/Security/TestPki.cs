using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EvCloud.Fast.Integration.Tests.Security;

/// <summary>
/// A throw-away PKI made with <see cref="CertificateRequest"/>: a charger CA (also the CSR signing CA), an unrelated
/// CA, a server certificate for localhost / 127.0.0.1, and charger client certificates, as PEM files in a temp folder.
/// </summary>
public sealed class TestPki : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public TestPki()
    {
        Directory.CreateDirectory(Folder);
        Ca = CreateCa("CN=EvCloud Test Charger CA, O=EvCloud Test");
        OtherCa = CreateCa("CN=Somebody Else's CA");
        File.WriteAllText(CaCertificatePath, Ca.ExportCertificatePem());
        File.WriteAllText(CaKeyPath, Ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using X509Certificate2 server = request.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "evcloud-pki", Guid.NewGuid().ToString("N"));

    /// <summary>The charger CA, with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>A CA the server does not trust.</summary>
    public X509Certificate2 OtherCa { get; }

    public string CaCertificatePath => Path.Combine(Folder, "ca.pem");

    public string CaKeyPath => Path.Combine(Folder, "ca.key");

    public string ServerCertificatePath => Path.Combine(Folder, "server.pem");

    public string ServerKeyPath => Path.Combine(Folder, "server.key");

    /// <summary>Server arguments: wss listener on an OS-chosen port, client certificates trusted from <see cref="Ca"/>, CSRs signed by it.</summary>
    public string[] ServerArgs() =>
    [
        "--Kestrel:Endpoints:OcppTls:Url=https://127.0.0.1:0",
        $"--Ocpp:Security:ServerCertificatePath={ServerCertificatePath}",
        $"--Ocpp:Security:ServerKeyPath={ServerKeyPath}",
        $"--Ocpp:Security:ClientCaCertificatePath={CaCertificatePath}",
        $"--Ocpp:Security:CaCertificatePath={CaCertificatePath}",
        $"--Ocpp:Security:CaKeyPath={CaKeyPath}",
    ];

    /// <summary>A charger client certificate with subject CN <paramref name="commonName"/>, signed by <see cref="Ca"/> unless <paramref name="issuer"/> says otherwise.</summary>
    public X509Certificate2 ClientCertificate(string commonName, X509Certificate2? issuer = null, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=EvCloud Test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        (DateTimeOffset from, DateTimeOffset to) = expired ? (now.AddDays(-400), now.AddDays(-30)) : (now.AddDays(-1), now.AddDays(90));
        using X509Certificate2 issued = request.Create(issuer ?? Ca, from, to, RandomNumberGenerator.GetBytes(16));
        return WithKey(issued.CopyWithPrivateKey(key));
    }

    public void Dispose()
    {
        Ca.Dispose();
        OtherCa.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return WithKey(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(5)));
    }

    // SslStream wants a key it can reopen; a PKCS#12 round trip gives the certificate a persisted-style key on every platform.
    private static X509Certificate2 WithKey(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}

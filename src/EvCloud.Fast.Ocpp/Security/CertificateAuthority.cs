using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// Signs chargers' certificate signing requests with the CA of <c>Ocpp:Security:CaCertificatePath</c> and
/// <c>:CaKeyPath</c> (PEM, RSA or ECDSA). Without both, <see cref="IsConfigured"/> is false and every CSR is refused.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    private readonly X509Certificate2? _ca;
    private readonly X509SignatureGenerator? _generator;
    private readonly AsymmetricAlgorithm? _key;
    private readonly HashAlgorithmName _hash;
    private readonly string _chainPem = "";
    private readonly ChargerSecurityOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Loads the CA, when configured.</summary>
    public CertificateAuthority(ChargerSecurityOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        if (string.IsNullOrEmpty(options.CaCertificatePath) || string.IsNullOrEmpty(options.CaKeyPath))
        {
            return;
        }

        _ca = X509Certificate2.CreateFromPemFile(options.CaCertificatePath, options.CaKeyPath);
        if (_ca.GetECDsaPrivateKey() is { } ec)
        {
            _key = ec;
            _generator = X509SignatureGenerator.CreateForECDsa(ec);
            _hash = ec.KeySize switch { > 384 => HashAlgorithmName.SHA512, > 256 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA256 };
        }
        else if (_ca.GetRSAPrivateKey() is { } rsa)
        {
            _key = rsa;
            _generator = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
            _hash = HashAlgorithmName.SHA256;
        }
        else
        {
            throw new InvalidOperationException(options.CaKeyPath + " holds neither an RSA nor an ECDSA key");
        }

        // The chain sent with each certificate: the sub-CAs the charger needs, not a self-signed root, which it must
        // already trust (CertificateSigned: "SHALL also contain necessary sub-CA certificates", leaf first).
        var chain = new StringBuilder();
        var file = new X509Certificate2Collection();
        file.ImportFromPemFile(options.CaCertificatePath);
        foreach (X509Certificate2 cert in file)
        {
            if (cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData) is false)
            {
                chain.Append(cert.ExportCertificatePem()).Append('\n');
            }

            cert.Dispose();
        }

        _chainPem = chain.ToString();
    }

    /// <summary>Whether a CA certificate and key are loaded.</summary>
    public bool IsConfigured => _generator is not null;

    /// <summary>The CA certificate.</summary>
    public X509Certificate2? Certificate => _ca;

    /// <summary>
    /// Parses a PEM CSR (RFC 2986), verifies its self-signature and checks that it asks for a certificate of
    /// <paramref name="chargePointId"/>: subject CN equal to the id, organizationName equal to <c>OrganizationName</c>
    /// when configured, an RSA key of at least 2048 bits or an EC key of at least 256 bits.
    /// </summary>
    public bool TryLoadRequest(string? csrPem, string chargePointId, out CertificateRequest request, out string reason)
    {
        request = null!;
        if (!IsConfigured)
        {
            reason = "no certificate authority is configured";
            return false;
        }

        if (string.IsNullOrWhiteSpace(csrPem))
        {
            reason = "empty CSR";
            return false;
        }

        try
        {
            // CertificateRequestLoadOptions.Default verifies the CSR's signature and ignores the extensions it asks
            // for: the CA decides the extensions.
            request = CertificateRequest.LoadSigningRequestPem(csrPem, _hash, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            reason = "invalid CSR: " + ex.Message;
            return false;
        }

        if (!ClientCertificateValidator.SubjectAttributes(request.SubjectName, CommonNameOid).Contains(chargePointId, StringComparer.Ordinal))
        {
            reason = "the CSR's subject CN is not the charge point id";
            return false;
        }

        if (_options.OrganizationName is { } organization
            && !ClientCertificateValidator.SubjectAttributes(request.SubjectName, OrganizationOid).Contains(organization, StringComparer.Ordinal))
        {
            reason = "the CSR's organizationName is not " + organization;
            return false;
        }

        if (!IsStrongEnough(request.PublicKey))
        {
            reason = "the CSR's key is too weak (RSA < 2048 bits or EC < 256 bits) or of an unsupported type";
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>
    /// Issues the certificate: random 128-bit serial, valid from five minutes ago (clock skew) for
    /// <c>CertificateValidity</c> but never past the CA's own expiry; not a CA; key usage digitalSignature plus
    /// keyAgreement for EC keys (ECDHE) or keyEncipherment for RSA keys; extended key usage clientAuth.
    /// </summary>
    public X509Certificate2 Sign(CertificateRequest request)
    {
        if (_generator is null || _ca is null)
        {
            throw new InvalidOperationException("No certificate authority is configured");
        }

        bool ec = request.PublicKey.Oid.Value == "1.2.840.10045.2.1";
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | (ec ? X509KeyUsageFlags.KeyAgreement : X509KeyUsageFlags.KeyEncipherment);
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset notBefore = now.AddMinutes(-5);
        DateTimeOffset notAfter = now.Add(_options.CertificateValidity);
        if (notAfter > _ca.NotAfter.ToUniversalTime())
        {
            notAfter = _ca.NotAfter.ToUniversalTime();
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive (RFC 5280 §4.1.2.2) and 16 bytes long
        return request.Create(_ca.SubjectName, _generator, notBefore, notAfter, serial);
    }

    /// <summary>The PEM chain for CertificateSigned: the leaf, then the CA's sub-CA certificates.</summary>
    public string ChainPem(X509Certificate2 leaf) => leaf.ExportCertificatePem() + "\n" + _chainPem;

    /// <inheritdoc />
    public void Dispose()
    {
        _key?.Dispose();
        _ca?.Dispose();
    }

    private static bool IsStrongEnough(PublicKey key)
    {
        using RSA? rsa = key.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize >= 2048;
        }

        using ECDsa? ec = key.GetECDsaPublicKey();
        return ec is not null && ec.KeySize >= 256;
    }
}

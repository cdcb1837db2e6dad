using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// Checks charger client certificates (security profile 3): the chain ends at one of the configured CAs
/// (<c>ClientCaCertificatePath</c>, plus the signing CA of <c>CaCertificatePath</c>), every certificate is within
/// its validity, the leaf allows client authentication, and the leaf names the charger.
/// </summary>
/// <remarks>Revocation is not checked: chargers' certificates are short-lived and this gateway runs no CRL/OCSP.</remarks>
public sealed class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    private readonly X509Certificate2Collection _roots;
    private readonly string? _organization;
    private readonly TimeProvider _time;

    /// <summary>Loads the trusted CAs from the options.</summary>
    public ClientCertificateValidator(ChargerSecurityOptions options, TimeProvider time)
    {
        _roots = [];
        foreach (string? path in (string?[])[options.ClientCaCertificatePath, options.CaCertificatePath])
        {
            if (!string.IsNullOrEmpty(path))
            {
                _roots.ImportFromPemFile(path);
            }
        }

        _organization = options.OrganizationName;
        _time = time;
    }

    /// <summary>Whether any CA is configured; without one no client certificate is trusted.</summary>
    public bool HasTrustedCa => _roots.Count > 0;

    /// <summary>Whether <paramref name="certificate"/> chains to a configured CA and is valid now for client authentication.</summary>
    public bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
    {
        if (_roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        try
        {
            return chain.Build(certificate);
        }
        finally
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Whether the certificate names <paramref name="chargePointId"/>: its subject CN, or one of its DNS SANs, equals
    /// the id (the certificate properties of the OCPP security specifications put the charger's identity in the
    /// commonName and the CSO's name in organizationName), and its organizationName equals <c>OrganizationName</c>
    /// when one is configured.
    /// </summary>
    public bool NamesCharger(X509Certificate2 certificate, string chargePointId)
    {
        bool named = SubjectAttributes(certificate.SubjectName, CommonNameOid).Contains(chargePointId, StringComparer.Ordinal);
        if (!named)
        {
            foreach (X509Extension extension in certificate.Extensions)
            {
                if (extension is X509SubjectAlternativeNameExtension san)
                {
                    try
                    {
                        named = san.EnumerateDnsNames().Contains(chargePointId, StringComparer.Ordinal);
                    }
                    catch (CryptographicException)
                    {
                        named = false;
                    }
                }
            }
        }

        return named && (_organization is null || SubjectAttributes(certificate.SubjectName, OrganizationOid).Contains(_organization, StringComparer.Ordinal));
    }

    /// <summary>The values of one attribute type in a distinguished name (single-valued RDNs only).</summary>
    internal static List<string> SubjectAttributes(X500DistinguishedName name, string oid)
    {
        var values = new List<string>(1);
        try
        {
            foreach (X500RelativeDistinguishedName rdn in name.EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid && rdn.GetSingleElementValue() is { } value)
                {
                    values.Add(value);
                }
            }
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            values.Clear();
        }

        return values;
    }
}

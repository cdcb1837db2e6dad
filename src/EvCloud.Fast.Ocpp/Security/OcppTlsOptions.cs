using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// TLS settings of the wss listener (security profiles 2 and 3): TLS 1.2 or 1.3 only (OCPP 2.0.1 Part 2 A00 and the
/// 1.6 Security Whitepaper require TLS 1.2 or higher), the server certificate from <c>Ocpp:Security</c>, and client
/// certificates requested but not required, so profile 2 chargers share the port; a certificate that is presented
/// must chain to the configured CA, and whether it names the charger is checked at the upgrade.
/// </summary>
public static class OcppTlsOptions
{
    /// <summary>Whether a server certificate is configured, hence whether the wss listener exists.</summary>
    public static bool IsConfigured(ChargerSecurityOptions options) => !string.IsNullOrEmpty(options.ServerCertificatePath);

    /// <summary>Builds the Kestrel HTTPS options of the wss listener.</summary>
    public static HttpsConnectionAdapterOptions Create(ChargerSecurityOptions options, ClientCertificateValidator validator, OcppMetrics metrics) => new()
    {
        ServerCertificate = LoadServerCertificate(options),
        ServerCertificateChain = LoadServerChain(options),
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
        CheckCertificateRevocation = false,
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        ClientCertificateValidation = (certificate, _, _) =>
        {
            // Called only when the charger presents a certificate; the system trust store is not consulted.
            bool trusted = validator.IsTrusted(certificate);
            if (!trusted)
            {
                metrics.AuthFailure(AuthFailureReason.CertificateUntrusted);
            }

            return trusted;
        },
    };

    /// <summary>
    /// Loads the server certificate: a PFX / PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) with <c>ServerCertificatePassword</c>,
    /// or PEM certificate (chain) plus <c>ServerKeyPath</c> (or the key in the same file).
    /// </summary>
    public static X509Certificate2 LoadServerCertificate(ChargerSecurityOptions options)
    {
        string path = options.ServerCertificatePath ?? throw new InvalidOperationException("Ocpp:Security:ServerCertificatePath is not set");
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.ServerCertificatePassword);
        }

        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(path, options.ServerKeyPath);

        // A PEM key is ephemeral; SslStream wants a key it can reopen on every platform, so round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The intermediates after the leaf in a PEM server certificate file, sent to chargers with the leaf.</summary>
    private static X509Certificate2Collection? LoadServerChain(ChargerSecurityOptions options)
    {
        string path = options.ServerCertificatePath!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(path);
        if (all.Count <= 1)
        {
            return null;
        }

        all.RemoveAt(0);
        return all;
    }
}

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// What the upgrade established about a connection's security, kept on <see cref="Server.OcppConnection.Security"/>
/// for the handlers (security events, certificate renewal), and the signing service they hand CSRs to.
/// </summary>
public sealed class ConnectionSecurity
{
    /// <summary>A connection admitted without any check (no authenticator configured).</summary>
    public static readonly ConnectionSecurity Unauthenticated = new(SecurityProfile.None, isTls: false, clientCertificateThumbprint: null, certificateSigning: null);

    /// <summary>Creates the record of one connection.</summary>
    public ConnectionSecurity(SecurityProfile profile, bool isTls, string? clientCertificateThumbprint, CertificateSigningService? certificateSigning)
    {
        Profile = profile;
        IsTls = isTls;
        ClientCertificateThumbprint = clientCertificateThumbprint;
        CertificateSigning = certificateSigning;
    }

    /// <summary>The profile the charger was admitted under (its required one).</summary>
    public SecurityProfile Profile { get; }

    /// <summary>Whether the connection is wss.</summary>
    public bool IsTls { get; }

    /// <summary>Thumbprint of the verified client certificate (profile 3), else null.</summary>
    public string? ClientCertificateThumbprint { get; }

    /// <summary>Where SignCertificate requests go; null when the gateway runs without the security services.</summary>
    public CertificateSigningService? CertificateSigning { get; }
}

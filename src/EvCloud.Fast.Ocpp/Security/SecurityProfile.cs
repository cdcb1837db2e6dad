namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// How a charger must authenticate at the WebSocket upgrade (OCPP 1.6 Security Whitepaper §2, OCPP 2.0.1
/// Part 2 §A "Security profiles"). Configuration takes the number (<c>0</c>–<c>3</c>) or the name.
/// </summary>
public enum SecurityProfile
{
    /// <summary>0: no authentication (plain OCPP-J 1.6 without the security extension).</summary>
    None = 0,

    /// <summary>1: HTTP Basic over ws; only for networks that are already trusted (VPN, private APN).</summary>
    Basic = 1,

    /// <summary>2: HTTP Basic over TLS (wss).</summary>
    TlsBasic = 2,

    /// <summary>3: TLS with a client certificate that chains to the configured CA and names the charger.</summary>
    TlsClientCertificate = 3,
}

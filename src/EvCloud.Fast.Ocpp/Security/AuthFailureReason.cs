namespace EvCloud.Fast.Ocpp.Security;

/// <summary>Why an upgrade was refused by the security checks (the <c>reason</c> tag of <c>evcloud.ocpp.auth.failures</c>).</summary>
public enum AuthFailureReason
{
    /// <summary>No <c>Authorization</c> header, or not a well-formed Basic credential for the charger's id.</summary>
    MissingCredentials,

    /// <summary>The id has no credential (or it was revoked); answered exactly like a wrong password.</summary>
    UnknownCharger,

    /// <summary>The password does not match.</summary>
    BadPassword,

    /// <summary>A profile 2 or 3 charger arrived over plain ws.</summary>
    TlsRequired,

    /// <summary>A profile 3 charger presented no client certificate.</summary>
    NoClientCertificate,

    /// <summary>The client certificate does not chain to the configured CA, or is expired or not for client authentication.</summary>
    CertificateUntrusted,

    /// <summary>The client certificate's CN / SAN (or organisation) does not match the charger.</summary>
    CertificateSubjectMismatch,

    /// <summary>The source address is cooling down after too many failures.</summary>
    RateLimited,
}

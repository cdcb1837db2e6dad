namespace EvCloud.Fast.Ocpp.Security;

/// <summary>Security profiles, charger credentials, TLS and the certificate authority (section <c>Ocpp:Security</c>).</summary>
public sealed class ChargerSecurityOptions
{
    /// <summary>
    /// Profile required from chargers without their own <see cref="ChargerSecuritySettings.Profile"/>. 0 by default so
    /// a plain charger connects out of the box; a charger with a password requires at least profile 1 regardless.
    /// </summary>
    public SecurityProfile DefaultProfile { get; set; } = SecurityProfile.None;

    /// <summary>Per-charger settings, keyed by charge point id (<c>Ocpp:Security:Chargers:{id}:Profile</c>, <c>:Password</c>, <c>:PasswordHash</c>).</summary>
    public Dictionary<string, ChargerSecuritySettings> Chargers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// PBKDF2-SHA256 iterations for passwords hashed by this process. 10 000 (≈6 ms on one core here) and not the
    /// 600 000 recommended for human passwords: the OCPP password is a randomly chosen 16–40 character
    /// passwordString (16 characters of a 71-character set: about 98 bits), which no iteration count makes meaningfully harder or easier to guess, while a
    /// cold restart with 20 000 chargers costs 20 000 verifications (measured: ≈2 min of one core at 10 000, ≈18 min at 100 000).
    /// </summary>
    public int PasswordHashIterations { get; set; } = 10_000;

    /// <summary>How long a successful password verification is remembered (per charger, in memory only).</summary>
    public TimeSpan VerificationCacheTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Slow (PBKDF2) verifications running at once; the rest wait, so a reconnect storm leaves cores for live chargers. 0 = half the cores.</summary>
    public int MaxConcurrentVerifications { get; set; }

    /// <summary>Where passwords set, rotated or revoked at run time are kept (hashes only). Default: <c>{Storage:DataDirectory}/credentials.json</c>.</summary>
    public string? CredentialStorePath { get; set; }

    /// <summary>Authentication failures from one source address within <see cref="FailureWindow"/> before it is refused with 429. 0 disables the limit.</summary>
    public int FailureLimit { get; set; } = 10;

    /// <summary>Window in which <see cref="FailureLimit"/> failures block an address.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a blocked address is refused.</summary>
    public TimeSpan FailureCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>PEM certificate of the wss listener (<c>OcppTls</c>, :8443); with <see cref="ServerKeyPath"/>, or a PFX with <see cref="ServerCertificatePassword"/>. Unset: no TLS listener.</summary>
    public string? ServerCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="ServerCertificatePath"/> (omit when the certificate file is a PFX or holds the key).</summary>
    public string? ServerKeyPath { get; set; }

    /// <summary>Password of a PFX server certificate.</summary>
    public string? ServerCertificatePassword { get; set; }

    /// <summary>PEM file with the CA certificate(s) that charger client certificates (profile 3) must chain to. The signing CA is trusted too.</summary>
    public string? ClientCaCertificatePath { get; set; }

    /// <summary>PEM certificate of the CA that signs chargers' CSRs (SignCertificate); may be followed by its sub-CA chain.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM private key (RSA or ECDSA) of <see cref="CaCertificatePath"/>.</summary>
    public string? CaKeyPath { get; set; }

    /// <summary>Validity of certificates signed for chargers.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// When set, CSRs and profile 3 client certificates must carry this organizationName (O): the CSO name the charger
    /// puts there (1.6 <c>CpoName</c>, 2.0.1 <c>SecurityCtrlr.OrganizationName</c>).
    /// </summary>
    public string? OrganizationName { get; set; }

    /// <summary>Certificates expiring within this time are logged and listed.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the expiry of tracked certificates is checked.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>One charger's entry under <c>Ocpp:Security:Chargers:{id}</c>.</summary>
public sealed class ChargerSecuritySettings
{
    /// <summary>Required profile; unset means <see cref="ChargerSecurityOptions.DefaultProfile"/> (at least 1 with a password).</summary>
    public SecurityProfile? Profile { get; set; }

    /// <summary>Plain password, for bootstrapping only: it is hashed at startup, but stays readable in the configuration source.</summary>
    public string? Password { get; set; }

    /// <summary>A <c>pbkdf2-sha256$iterations$salt$hash</c> string (base64 salt and hash), as <see cref="PasswordHash.Create"/> writes it.</summary>
    public string? PasswordHash { get; set; }
}

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>Token object (OCPI 2.2.1 §12.3.2). Nullable everywhere so that validation, not the parser, names what is missing.</summary>
public sealed class OcpiToken
{
    /// <summary>CiString(2).</summary>
    public string? CountryCode { get; set; }

    /// <summary>CiString(3).</summary>
    public string? PartyId { get; set; }

    /// <summary>CiString(36): for RFID the hidden id the reader sees, which is what an OCPP charger sends as idTag.</summary>
    public string? Uid { get; set; }

    /// <summary>TokenType: AD_HOC_USER, APP_USER, OTHER, RFID.</summary>
    public string? Type { get; set; }

    /// <summary>CiString(36): the eMA id (contract id).</summary>
    public string? ContractId { get; set; }

    /// <summary>
    /// 2.1.1's name for the contract id (Token.auth_id, 2.1.1 mod_tokens §4.1): read when a 2.1.1 partner sends a Token
    /// inside a command (START_SESSION, RESERVE_NOW); null, and so not written, otherwise.
    /// </summary>
    public string? AuthId { get; set; }

    /// <summary>string(64).</summary>
    public string? VisualNumber { get; set; }

    /// <summary>string(64).</summary>
    public string? Issuer { get; set; }

    /// <summary>CiString(36).</summary>
    public string? GroupId { get; set; }

    /// <summary>Whether the token may be used.</summary>
    public bool? Valid { get; set; }

    /// <summary>WhitelistType: ALWAYS, ALLOWED, ALLOWED_OFFLINE, NEVER.</summary>
    public string? Whitelist { get; set; }

    /// <summary>ISO 639-1, string(2).</summary>
    public string? Language { get; set; }

    /// <summary>ProfileType: CHEAP, FAST, GREEN, REGULAR.</summary>
    public string? DefaultProfileType { get; set; }

    /// <summary>The driver's energy supplier and contract (§12.4.1), for a CPO that can let the driver charge their own energy.</summary>
    public EnergyContract? EnergyContract { get; set; }

    /// <summary>When the token was last changed.</summary>
    public DateTimeOffset? LastUpdated { get; set; }
}

/// <summary>EnergyContract (OCPI 2.2.1 §12.4.1).</summary>
public sealed class EnergyContract
{
    /// <summary>string(64): the energy supplier.</summary>
    public string? SupplierName { get; set; }

    /// <summary>string(64): the driver's contract id at that supplier.</summary>
    public string? ContractId { get; set; }
}

/// <summary>Token object of OCPI 2.1.1 (§12.3.1): no party fields; <c>auth_id</c> instead of <c>contract_id</c>.</summary>
public sealed class OcpiToken211
{
    /// <summary>string(36).</summary>
    public string? Uid { get; set; }

    /// <summary>TokenType: OTHER, RFID.</summary>
    public string? Type { get; set; }

    /// <summary>string(36).</summary>
    public string? AuthId { get; set; }

    /// <summary>string(64).</summary>
    public string? VisualNumber { get; set; }

    /// <summary>string(64).</summary>
    public string? Issuer { get; set; }

    /// <summary>Whether the token may be used.</summary>
    public bool? Valid { get; set; }

    /// <summary>WhitelistType.</summary>
    public string? Whitelist { get; set; }

    /// <summary>string(2).</summary>
    public string? Language { get; set; }

    /// <summary>When the token was last changed.</summary>
    public DateTimeOffset? LastUpdated { get; set; }
}

/// <summary>AuthorizationInfo (2.2.1 §12.3.1): the answer to real-time authorization.</summary>
public sealed class AuthorizationInfo
{
    /// <summary>AllowedType: ALLOWED, BLOCKED, EXPIRED, NO_CREDIT, NOT_ALLOWED.</summary>
    public string Allowed { get; set; } = "";

    /// <summary>The complete token.</summary>
    public OcpiToken? Token { get; set; }

    /// <summary>The location reference from the request, when allowed there.</summary>
    public LocationReferences? Location { get; set; }

    /// <summary>CiString(36), a reference the CPO echoes in the session and CDR.</summary>
    public string? AuthorizationReference { get; set; }
}

/// <summary>LocationReferences (2.2.1 §12.4.3).</summary>
public sealed class LocationReferences
{
    /// <summary>CiString(36).</summary>
    public string? LocationId { get; set; }

    /// <summary>CiString(36) each.</summary>
    public List<string>? EvseUids { get; set; }
}

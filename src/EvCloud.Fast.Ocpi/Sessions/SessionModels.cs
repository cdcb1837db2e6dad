using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Tariffs;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Sessions;

/// <summary>Session object (OCPI 2.2.1 §9.3.1), as the CPO sends it.</summary>
public sealed class OcpiSession
{
    /// <summary>CiString(2): the CPO's.</summary>
    public string CountryCode { get; set; } = "";

    /// <summary>CiString(3): the CPO's.</summary>
    public string PartyId { get; set; } = "";

    /// <summary>CiString(36): our transaction id in decimal (what STOP_SESSION takes).</summary>
    public string Id { get; set; } = "";

    /// <summary>When the session started.</summary>
    public DateTimeOffset StartDateTime { get; set; }

    /// <summary>When it ended (absent while ACTIVE).</summary>
    public DateTimeOffset? EndDateTime { get; set; }

    /// <summary>kWh charged so far.</summary>
    public decimal Kwh { get; set; }

    /// <summary>The token used (CdrToken, §10.4.3).</summary>
    public CdrToken CdrToken { get; set; } = null!;

    /// <summary>AUTH_REQUEST, COMMAND or WHITELIST.</summary>
    public string AuthMethod { get; set; } = "WHITELIST";

    /// <summary>From START_SESSION or real-time authorization.</summary>
    public string? AuthorizationReference { get; set; }

    /// <summary>CiString(36).</summary>
    public string LocationId { get; set; } = "";

    /// <summary>CiString(36).</summary>
    public string EvseUid { get; set; } = "";

    /// <summary>CiString(36).</summary>
    public string ConnectorId { get; set; } = "";

    /// <summary>string(255).</summary>
    public string? MeterId { get; set; }

    /// <summary>ISO 4217.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>The periods so far (with the tariff that priced them).</summary>
    public IReadOnlyList<ChargingPeriod>? ChargingPeriods { get; set; }

    /// <summary>Cost so far.</summary>
    public Price? TotalCost { get; set; }

    /// <summary>SessionStatus: ACTIVE, COMPLETED, INVALID, PENDING, RESERVATION.</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>When this object last changed.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

/// <summary>
/// A roaming session as the CPO keeps it (collection <c>ocpi-cpo-sessions</c>, key: transaction id): the
/// transaction's facts from the event log plus whose token it was. MessagePack; keys never renumbered.
/// </summary>
[MessagePackObject]
public sealed class RoamingSession
{
    /// <summary>Our transaction id (the OCPI session id in decimal).</summary>
    [Key(0)]
    public int TransactionId { get; set; }

    /// <summary>The charger.</summary>
    [Key(1)]
    public string ChargerId { get; set; } = "";

    /// <summary>1.6 connectorId / 2.x evseId.</summary>
    [Key(2)]
    public int ConnectorId { get; set; }

    /// <summary>The OCPP id tag (the token uid).</summary>
    [Key(3)]
    public string IdTag { get; set; } = "";

    /// <summary>The eMSP partner the session is pushed to.</summary>
    [Key(4)]
    public string PartnerId { get; set; } = "";

    /// <summary>Token owner's country code.</summary>
    [Key(5)]
    public string TokenCountryCode { get; set; } = "";

    /// <summary>Token owner's party id.</summary>
    [Key(6)]
    public string TokenPartyId { get; set; } = "";

    /// <summary>TokenType.</summary>
    [Key(7)]
    public string TokenType { get; set; } = "RFID";

    /// <summary>The token's contract_id.</summary>
    [Key(8)]
    public string ContractId { get; set; } = "";

    /// <summary>COMMAND or WHITELIST.</summary>
    [Key(9)]
    public string AuthMethod { get; set; } = "WHITELIST";

    /// <summary>From START_SESSION.</summary>
    [Key(10)]
    public string? AuthorizationReference { get; set; }

    /// <summary>OCPI location id ("" when the charger is in no configured location).</summary>
    [Key(11)]
    public string LocationId { get; set; } = "";

    /// <summary>OCPI EVSE uid.</summary>
    [Key(12)]
    public string EvseUid { get; set; } = "";

    /// <summary>OCPI connector id.</summary>
    [Key(13)]
    public string OcpiConnectorId { get; set; } = "";

    /// <summary>Start (Unix ms, the charger's clock).</summary>
    [Key(14)]
    public long StartMs { get; set; }

    /// <summary>End (Unix ms; 0 while open).</summary>
    [Key(15)]
    public long EndMs { get; set; }

    /// <summary>Register at start (mWh).</summary>
    [Key(16)]
    public long MeterStartMilliWh { get; set; }

    /// <summary>Latest register (mWh).</summary>
    [Key(17)]
    public long EnergyMilliWh { get; set; }

    /// <summary>SessionStatus.</summary>
    [Key(18)]
    public string Status { get; set; } = "ACTIVE";

    /// <summary>last_updated (Unix ms, our clock).</summary>
    [Key(19)]
    public long LastUpdatedMs { get; set; }

    /// <summary>When the record was made (Unix ms): list order.</summary>
    [Key(20)]
    public long CreatedMs { get; set; }

    /// <summary>Currency of the final price (from the CDR).</summary>
    [Key(21)]
    public string? Currency { get; set; }

    /// <summary>Final total_cost (Price JSON, from the CDR).</summary>
    [Key(22)]
    public byte[]? TotalCostJson { get; set; }

    /// <summary>Final charging_periods (JSON, from the CDR).</summary>
    [Key(23)]
    public byte[]? ChargingPeriodsJson { get; set; }

    /// <summary>When the last PUT/PATCH was queued (Unix ms).</summary>
    [Key(24)]
    public long LastPushMs { get; set; }

    /// <summary>Whether a change waits for the next PATCH (rate-limited while charging).</summary>
    [Key(25)]
    public bool Dirty { get; set; }

    /// <summary>kWh so far.</summary>
    [IgnoreMember]
    public decimal Kwh => Math.Max(0, EnergyMilliWh - MeterStartMilliWh) / 1_000_000m;
}

/// <summary>
/// What an accepted START_SESSION tells the Sessions module about the transaction it will start (collection
/// <c>ocpi-cpo-session-starts</c>, key: token uid upper-cased): the session is auth_method COMMAND, carries the
/// eMSP's authorization_reference, and goes to that eMSP.
/// </summary>
[MessagePackObject]
public sealed class SessionStart
{
    /// <summary>The eMSP partner that sent the command.</summary>
    [Key(0)]
    public string PartnerId { get; set; } = "";

    /// <summary>Token.country_code.</summary>
    [Key(1)]
    public string CountryCode { get; set; } = "";

    /// <summary>Token.party_id.</summary>
    [Key(2)]
    public string PartyId { get; set; } = "";

    /// <summary>Token.type.</summary>
    [Key(3)]
    public string Type { get; set; } = "RFID";

    /// <summary>Token.contract_id.</summary>
    [Key(4)]
    public string ContractId { get; set; } = "";

    /// <summary>StartSession.authorization_reference.</summary>
    [Key(5)]
    public string? AuthorizationReference { get; set; }

    /// <summary>Until when a transaction with this token counts as started by the command (Unix ms).</summary>
    [Key(6)]
    public long ExpiresMs { get; set; }

    /// <summary>The charger the command went to.</summary>
    [Key(7)]
    public string ChargerId { get; set; } = "";
}

using System.Text.Json.Serialization;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// Session object of OCPI 2.1.1 (mod_sessions §3.1): the token as <c>auth_id</c>, the location as a Location object
/// holding only the EVSE and connector used, <c>total_cost</c> a number excluding VAT.
/// </summary>
public sealed class Session211
{
    /// <summary>string(36).</summary>
    public string Id { get; set; } = "";

    /// <summary>When the session became active. NOTE: 2.1.1 spells it <c>start_datetime</c> (CDRs: <c>start_date_time</c>).</summary>
    [JsonPropertyName("start_datetime")]
    public DateTimeOffset StartDatetime { get; set; }

    /// <summary>When the session completed.</summary>
    [JsonPropertyName("end_datetime")]
    public DateTimeOffset? EndDatetime { get; set; }

    /// <summary>kWh charged.</summary>
    public decimal Kwh { get; set; }

    /// <summary>Token.auth_id (string(36)): the contract id.</summary>
    public string AuthId { get; set; } = "";

    /// <summary>AUTH_REQUEST or WHITELIST (mod_cdrs §4.1).</summary>
    public string AuthMethod { get; set; } = "WHITELIST";

    /// <summary>The location with only the EVSE and connector used.</summary>
    public Location211 Location { get; set; } = new();

    /// <summary>string(255).</summary>
    public string? MeterId { get; set; }

    /// <summary>ISO 4217.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Periods so far.</summary>
    public List<ChargingPeriod211>? ChargingPeriods { get; set; }

    /// <summary>Cost so far, excluding VAT.</summary>
    public decimal? TotalCost { get; set; }

    /// <summary>ACTIVE, COMPLETED, INVALID or PENDING (§4.1).</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>When this object last changed.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

/// <summary>ChargingPeriod class of 2.1.1 (mod_cdrs §4.4): no tariff_id.</summary>
public sealed class ChargingPeriod211
{
    /// <summary>Start of the period.</summary>
    public DateTimeOffset StartDateTime { get; set; }

    /// <summary>Volumes (card. +).</summary>
    public List<CdrDimension211> Dimensions { get; set; } = [];
}

/// <summary>CdrDimension class of 2.1.1 (mod_cdrs §4.2).</summary>
/// <param name="Type">ENERGY, FLAT, MAX_CURRENT, MIN_CURRENT, PARKING_TIME or TIME (§4.3).</param>
/// <param name="Volume">In the unit of the type.</param>
public sealed record CdrDimension211(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("volume")] decimal Volume);

using EvCloud.Fast.Tariffs.V211;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// CDR object of OCPI 2.1.1 (mod_cdrs §3.1): no owner fields, no VAT split (<c>total_cost</c> excludes VAT), no cost
/// breakdown per dimension and no credit fields.
/// </summary>
public sealed class Cdr211
{
    /// <summary>CiString(36).</summary>
    public string Id { get; set; } = "";

    /// <summary>Start of the charging session.</summary>
    public DateTimeOffset StartDateTime { get; set; }

    /// <summary>Stop of the charging session.</summary>
    public DateTimeOffset StopDateTime { get; set; }

    /// <summary>Token.auth_id (string(36)): the contract id.</summary>
    public string AuthId { get; set; } = "";

    /// <summary>AUTH_REQUEST or WHITELIST.</summary>
    public string AuthMethod { get; set; } = "WHITELIST";

    /// <summary>The location with only the EVSE and connector used.</summary>
    public Location211 Location { get; set; } = new();

    /// <summary>string(255).</summary>
    public string? MeterId { get; set; }

    /// <summary>ISO 4217.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>The tariffs that priced the session, in their 2.1.1 form.</summary>
    public List<Tariff211>? Tariffs { get; set; }

    /// <summary>Periods (card. +).</summary>
    public List<ChargingPeriod211> ChargingPeriods { get; set; } = [];

    /// <summary>Total cost excluding VAT.</summary>
    public decimal TotalCost { get; set; }

    /// <summary>kWh.</summary>
    public decimal TotalEnergy { get; set; }

    /// <summary>Hours.</summary>
    public decimal TotalTime { get; set; }

    /// <summary>Hours.</summary>
    public decimal? TotalParkingTime { get; set; }

    /// <summary>string(255).</summary>
    public string? Remark { get; set; }

    /// <summary>When the CDR was created.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

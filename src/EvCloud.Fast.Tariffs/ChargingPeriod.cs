namespace EvCloud.Fast.Tariffs;

/// <summary>
/// OCPI 2.2.1 mod_cdrs ChargingPeriod. A period ends where the next one starts; the last ends with the session.
/// The pricer starts one wherever a different price component becomes active, as mod_cdrs "ChargingPeriod" requires.
/// </summary>
public sealed record ChargingPeriod
{
    /// <summary>Start of the period.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(OcpiDateTimeConverter))]
    public required DateTimeOffset StartDateTime { get; init; }

    /// <summary>Volumes measured in the period.</summary>
    public required IReadOnlyList<CdrDimension> Dimensions { get; init; }

    /// <summary>The tariff relevant for the period; absent when no tariff is.</summary>
    public string? TariffId { get; init; }
}

/// <summary>OCPI 2.2.1 mod_cdrs CdrDimension.</summary>
/// <param name="Type">What the volume measures.</param>
/// <param name="Volume">The volume, in the unit of <paramref name="Type"/> (kWh, hours, A, kW).</param>
public sealed record CdrDimension(CdrDimensionType Type, decimal Volume);

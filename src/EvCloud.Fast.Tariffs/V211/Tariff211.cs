using System.Text.Json.Serialization;

namespace EvCloud.Fast.Tariffs.V211;

/// <summary>
/// OCPI 2.1.1 mod_tariffs Tariff object. 2.1.1 has no owner fields (the owner is the partner the tariff came from),
/// no tariff type, no min/max price, no validity window, no VAT and no current or reservation restrictions.
/// Read it only to map it with <see cref="Tariff211Mapper"/>; the pricer works on the 2.2.1 model.
/// </summary>
public sealed record Tariff211
{
    /// <summary>Unique within the CPO's platform; string(36).</summary>
    public required string Id { get; init; }

    /// <summary>ISO-4217 currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>Multi-language alternative tariff text.</summary>
    public IReadOnlyList<DisplayText>? TariffAltText { get; init; }

    /// <summary>Alternative URL to tariff information.</summary>
    public string? TariffAltUrl { get; init; }

    /// <summary>Tariff elements.</summary>
    public required IReadOnlyList<TariffElement211> Elements { get; init; }

    /// <summary>Details on the energy supplied with this tariff.</summary>
    public EnergyMix? EnergyMix { get; init; }

    /// <summary>When the tariff was last created or changed.</summary>
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public required DateTimeOffset LastUpdated { get; init; }
}

/// <summary>OCPI 2.1.1 mod_tariffs TariffElement.</summary>
public sealed record TariffElement211
{
    /// <summary>Price components of this element.</summary>
    public required IReadOnlyList<PriceComponent211> PriceComponents { get; init; }

    /// <summary>Restrictions of this element.</summary>
    public TariffRestrictions211? Restrictions { get; init; }
}

/// <summary>OCPI 2.1.1 mod_tariffs PriceComponent: like 2.2.1 without VAT.</summary>
/// <param name="Type">Dimension priced.</param>
/// <param name="Price">Price per unit, excluding VAT.</param>
/// <param name="StepSize">Billing block in the dimension's step unit.</param>
public sealed record PriceComponent211(TariffDimensionType Type, decimal Price, int StepSize);

/// <summary>
/// OCPI 2.1.1 mod_tariffs TariffRestrictions. Times stay strings here because the 2.1.1 regex
/// (<c>[0-2][0-9]:[0-5][0-9]</c>) admits "24:00", which 2.2.1 spells "00:00".
/// </summary>
public sealed record TariffRestrictions211
{
    /// <summary>Start time of day, "HH:mm".</summary>
    public string? StartTime { get; init; }

    /// <summary>End time of day, "HH:mm".</summary>
    public string? EndTime { get; init; }

    /// <summary>Start date, "yyyy-MM-dd", inclusive.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>End date, "yyyy-MM-dd", exclusive.</summary>
    public DateOnly? EndDate { get; init; }

    /// <summary>Minimum session energy, kWh.</summary>
    public decimal? MinKwh { get; init; }

    /// <summary>Maximum session energy, kWh.</summary>
    public decimal? MaxKwh { get; init; }

    /// <summary>Minimum power, kW.</summary>
    public decimal? MinPower { get; init; }

    /// <summary>Maximum power, kW.</summary>
    public decimal? MaxPower { get; init; }

    /// <summary>Minimum session duration, seconds.</summary>
    public int? MinDuration { get; init; }

    /// <summary>Maximum session duration, seconds.</summary>
    public int? MaxDuration { get; init; }

    /// <summary>Weekdays on which the element is valid.</summary>
    public IReadOnlyList<OcpiDayOfWeek>? DayOfWeek { get; init; }
}

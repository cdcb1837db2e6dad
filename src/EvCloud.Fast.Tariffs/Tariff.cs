using System.Text.Json.Serialization;

namespace EvCloud.Fast.Tariffs;

/// <summary>
/// OCPI 2.2.1 mod_tariffs Tariff object, as exchanged with partners. Immutable so one parsed tariff can be shared by
/// every session priced under it; <see cref="TariffPricer"/> compiles it once into the form the pricing loop reads.
/// </summary>
public sealed record Tariff
{
    /// <summary>ISO-3166 alpha-2 country code of the CPO that owns the tariff.</summary>
    public required string CountryCode { get; init; }

    /// <summary>ID of the CPO that owns the tariff (ISO-15118).</summary>
    public required string PartyId { get; init; }

    /// <summary>Unique within the CPO's platform; CiString(36).</summary>
    public required string Id { get; init; }

    /// <summary>ISO-4217 currency code; also decides the minor unit used when money is rounded.</summary>
    public required string Currency { get; init; }

    /// <summary>Which sessions the tariff is meant for; absent means all sessions.</summary>
    public TariffType? Type { get; init; }

    /// <summary>Multi-language human-readable tariff information.</summary>
    public IReadOnlyList<DisplayText>? TariffAltText { get; init; }

    /// <summary>Web page explaining the tariff.</summary>
    public string? TariffAltUrl { get; init; }

    /// <summary>A session under this tariff costs at least this much (excl. and incl. VAT apply separately).</summary>
    public Price? MinPrice { get; init; }

    /// <summary>A session under this tariff costs at most this much (excl. and incl. VAT apply separately).</summary>
    public Price? MaxPrice { get; init; }

    /// <summary>Tariff elements, evaluated in order: per dimension the first matching element with that dimension wins.</summary>
    public required IReadOnlyList<TariffElement> Elements { get; init; }

    /// <summary>UTC instant from which the tariff is valid.</summary>
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? StartDateTime { get; init; }

    /// <summary>UTC instant after which the tariff is no longer valid.</summary>
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? EndDateTime { get; init; }

    /// <summary>Details on the energy supplied with this tariff.</summary>
    public EnergyMix? EnergyMix { get; init; }

    /// <summary>
    /// When the tariff was last created or changed. Required by OCPI, but read leniently (default when absent) because
    /// the spec's own PUT example (mod_tariffs "Example: New Tariff € 2 per hour") omits it; rejecting is the bridge's call.
    /// </summary>
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset LastUpdated { get; init; }
}

/// <summary>OCPI 2.2.1 mod_tariffs TariffElement: price components that share one set of restrictions.</summary>
public sealed record TariffElement
{
    /// <summary>How each dimension is priced while this element applies.</summary>
    public required IReadOnlyList<PriceComponent> PriceComponents { get; init; }

    /// <summary>When the element applies; absent means always (the usual fallback element at the end of the list).</summary>
    public TariffRestrictions? Restrictions { get; init; }
}

/// <summary>OCPI 2.2.1 mod_tariffs PriceComponent.</summary>
public sealed record PriceComponent
{
    /// <summary>The dimension priced.</summary>
    public required TariffDimensionType Type { get; init; }

    /// <summary>Price per unit excluding VAT (per kWh, per hour, or per session for FLAT).</summary>
    public required decimal Price { get; init; }

    /// <summary>VAT percentage; absent means no VAT is applicable, which is different from 0 %.</summary>
    public decimal? Vat { get; init; }

    /// <summary>Billing block: seconds for TIME and PARKING_TIME, Wh for ENERGY, ignored for FLAT.</summary>
    public required int StepSize { get; init; }
}

/// <summary>
/// OCPI 2.2.1 mod_tariffs TariffRestrictions. All set properties must match (logical AND) for the element to be active;
/// they are evaluated continuously during a session, not once for the whole session.
/// </summary>
public sealed record TariffRestrictions
{
    /// <summary>Local time of day at the location from which the element is valid (inclusive), "HH:mm".</summary>
    [JsonConverter(typeof(OcpiTimeOfDayConverter))]
    public TimeOnly? StartTime { get; init; }

    /// <summary>Local time of day until which the element is valid (exclusive); earlier than start wraps past midnight, 00:00 ends at midnight.</summary>
    [JsonConverter(typeof(OcpiTimeOfDayConverter))]
    public TimeOnly? EndTime { get; init; }

    /// <summary>Local date from which the element is valid (inclusive).</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Local date until which the element is valid (exclusive).</summary>
    public DateOnly? EndDate { get; init; }

    /// <summary>Session energy in kWh from which the element is valid (inclusive).</summary>
    public decimal? MinKwh { get; init; }

    /// <summary>Session energy in kWh until which the element is valid (exclusive).</summary>
    public decimal? MaxKwh { get; init; }

    /// <summary>Current (A, sum over phases) at or above which the element is active.</summary>
    public decimal? MinCurrent { get; init; }

    /// <summary>Current (A, sum over phases) below which the element is active.</summary>
    public decimal? MaxCurrent { get; init; }

    /// <summary>Power (kW) at or above which the element is active.</summary>
    public decimal? MinPower { get; init; }

    /// <summary>Power (kW) below which the element is active.</summary>
    public decimal? MaxPower { get; init; }

    /// <summary>Session duration in seconds from which the element is active (inclusive).</summary>
    public int? MinDuration { get; init; }

    /// <summary>Session duration in seconds until which the element is active (exclusive).</summary>
    public int? MaxDuration { get; init; }

    /// <summary>Local weekdays on which the element is active; empty or absent means every day.</summary>
    public IReadOnlyList<OcpiDayOfWeek>? DayOfWeek { get; init; }

    /// <summary>When present, the element prices a reservation instead of the charging session.</summary>
    public ReservationRestrictionType? Reservation { get; init; }
}

/// <summary>OCPI 2.2.1 types Price: an amount excluding VAT and, optionally, including VAT.</summary>
/// <param name="ExclVat">Amount excluding VAT.</param>
/// <param name="InclVat">Amount including VAT; optional in OCPI.</param>
public sealed record Price(decimal ExclVat, decimal? InclVat = null);

/// <summary>OCPI 2.2.1 types DisplayText.</summary>
/// <param name="Language">ISO 639-1 language code.</param>
/// <param name="Text">Plain text, at most 512 characters.</param>
public sealed record DisplayText(string Language, string Text);

/// <summary>OCPI 2.2.1 mod_locations EnergyMix.</summary>
public sealed record EnergyMix
{
    /// <summary>True if 100 % from regenerative sources.</summary>
    public required bool IsGreenEnergy { get; init; }

    /// <summary>Key-value pairs of energy sources and their share.</summary>
    public IReadOnlyList<EnergySource>? EnergySources { get; init; }

    /// <summary>Nuclear waste and CO2 exhaust per kWh.</summary>
    public IReadOnlyList<EnvironmentalImpact>? EnvironImpact { get; init; }

    /// <summary>Name of the energy supplier.</summary>
    public string? SupplierName { get; init; }

    /// <summary>Name of the energy supplier's product.</summary>
    public string? EnergyProductName { get; init; }
}

/// <summary>OCPI 2.2.1 mod_locations EnergySource.</summary>
/// <param name="Source">Type of source.</param>
/// <param name="Percentage">Share of this source, 0-100.</param>
public sealed record EnergySource(EnergySourceCategory Source, decimal Percentage);

/// <summary>OCPI 2.2.1 mod_locations EnvironmentalImpact.</summary>
/// <param name="Category">Type of impact.</param>
/// <param name="Amount">Amount in g/kWh.</param>
public sealed record EnvironmentalImpact(EnvironmentalImpactCategory Category, decimal Amount);

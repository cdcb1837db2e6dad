using System.Text.Json;
using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Api.Contracts;

// The pricing contracts speak OCPI: their members carry OCPI's snake_case names (a CDR can be posted as it is), so each
// property names itself instead of following the API's camelCase policy.

/// <summary>
/// Body of <c>POST /api/v1/pricing</c>: a session in the form of an OCPI 2.2.1 CDR and the tariff to price it with. A
/// whole OCPI CDR may be posted; members not listed here are ignored.
/// </summary>
public sealed record PricingRequest
{
    /// <summary>An OCPI 2.2.1 Tariff object to price with.</summary>
    [JsonPropertyName("tariff")]
    public JsonElement? Tariff { get; init; }

    /// <summary>The id of a tariff held here (<c>PUT /api/v1/tariffs/{id}</c>), when no <c>tariff</c> is given.</summary>
    [JsonPropertyName("tariff_id")]
    public string? TariffId { get; init; }

    /// <summary>
    /// The CDR's embedded tariffs (OCPI CDR <c>tariffs</c>), used when neither <c>tariff</c> nor <c>tariff_id</c> is
    /// given: the one the charging periods name, else the only one.
    /// </summary>
    [JsonPropertyName("tariffs")]
    public IReadOnlyList<JsonElement>? Tariffs { get; init; }

    /// <summary>CDR start_date_time: the reservation's start when the periods begin with RESERVATION_TIME.</summary>
    [JsonPropertyName("start_date_time")]
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? StartDateTime { get; init; }

    /// <summary>CDR end_date_time.</summary>
    [JsonPropertyName("end_date_time")]
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? EndDateTime { get; init; }

    /// <summary>CDR charging_periods; their dimension volumes are authoritative.</summary>
    [JsonPropertyName("charging_periods")]
    public IReadOnlyList<PricingPeriod>? ChargingPeriods { get; init; }

    /// <summary>IANA time zone of the location (tariff restrictions on time and day are local time); default <c>Cdr:DefaultLocation:TimeZone</c>.</summary>
    [JsonPropertyName("time_zone")]
    public string? TimeZone { get; init; }

    /// <summary>The readings to price under; absent members take the server's <c>Cdr:Pricing</c>.</summary>
    [JsonPropertyName("reading")]
    public PricingReading? Reading { get; init; }
}

/// <summary>OCPI 2.2.1 mod_cdrs ChargingPeriod.</summary>
public sealed record PricingPeriod
{
    /// <summary>Start of the period; it ends where the next one starts (the last at end_date_time).</summary>
    [JsonPropertyName("start_date_time")]
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? StartDateTime { get; init; }

    /// <summary>Volumes: ENERGY (kWh), TIME, PARKING_TIME, RESERVATION_TIME (hours), MIN/MAX_CURRENT (A), MIN/MAX_POWER (kW).</summary>
    [JsonPropertyName("dimensions")]
    public IReadOnlyList<PricingDimension>? Dimensions { get; init; }

    /// <summary>The tariff relevant for the period.</summary>
    [JsonPropertyName("tariff_id")]
    public string? TariffId { get; init; }
}

/// <summary>OCPI 2.2.1 mod_cdrs CdrDimension.</summary>
public sealed record PricingDimension
{
    /// <summary>An OCPI CdrDimensionType, e.g. <c>ENERGY</c>.</summary>
    [JsonPropertyName("type")]
    public CdrDimensionType? Type { get; init; }

    /// <summary>The volume, not negative.</summary>
    [JsonPropertyName("volume")]
    public decimal? Volume { get; init; }
}

/// <summary>
/// How to read OCPI where it leaves room (each value is documented with the spec text it follows in the README,
/// section Tariffs and CDRs). Absent members take the server's <c>Cdr:Pricing</c> defaults.
/// </summary>
public sealed record PricingReading
{
    /// <summary>
    /// <c>session_total_with_last_component</c> (release-2.2.1-bugfixes), <c>combined_time_with_last_component</c>
    /// (2.2.1 release examples), <c>each_component_separately</c> or <c>ignore</c>.
    /// </summary>
    [JsonPropertyName("step_size")]
    public string? StepSize { get; init; }

    /// <summary>With the bugfix step_size reading: round TIME and PARKING_TIME each on its own.</summary>
    [JsonPropertyName("round_time_and_parking_separately")]
    public bool? RoundTimeAndParkingSeparately { get; init; }

    /// <summary><c>currency_minor_unit</c> (half away from zero) or <c>none</c> (exact decimals).</summary>
    [JsonPropertyName("rounding")]
    public string? Rounding { get; init; }

    /// <summary>Whether min_price / max_price bound total_cost.</summary>
    [JsonPropertyName("apply_price_limits")]
    public bool? ApplyPriceLimits { get; init; }

    /// <summary>Whether a session starting outside the tariff's start_date_time / end_date_time is refused.</summary>
    [JsonPropertyName("enforce_validity_window")]
    public bool? EnforceValidityWindow { get; init; }
}

/// <summary>
/// Body of <c>POST /api/v1/tariffs/{id}/quote</c>: where and when a driver would charge, and how much. The place decides
/// the time zone (<c>Cdr:Locations</c>) and which tariff the CDR pipeline would select there.
/// </summary>
public sealed record QuoteRequest
{
    /// <summary>The charger (with <c>connector_id</c>: the EVSE).</summary>
    [JsonPropertyName("charger_id")]
    public string? ChargerId { get; init; }

    /// <summary>The connector of <c>charger_id</c>.</summary>
    [JsonPropertyName("connector_id")]
    public int? ConnectorId { get; init; }

    /// <summary>A location (the <c>LocationId</c> of chargers in <c>Cdr:Locations</c>), instead of a charger.</summary>
    [JsonPropertyName("location_id")]
    public string? LocationId { get; init; }

    /// <summary>The driver's token, for a tariff assigned to it.</summary>
    [JsonPropertyName("id_tag")]
    public string? IdTag { get; init; }

    /// <summary>When charging would start; default now.</summary>
    [JsonPropertyName("start_date_time")]
    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public DateTimeOffset? StartDateTime { get; init; }

    /// <summary>Energy to charge, kWh.</summary>
    [JsonPropertyName("energy_kwh")]
    public decimal? EnergyKwh { get; init; }

    /// <summary>Minutes charging.</summary>
    [JsonPropertyName("charging_minutes")]
    public decimal? ChargingMinutes { get; init; }

    /// <summary>Minutes parked (not charging) after charging.</summary>
    [JsonPropertyName("parking_minutes")]
    public decimal? ParkingMinutes { get; init; }

    /// <summary>Charging power, kW, for min_power / max_power; default the average (energy over charging time).</summary>
    [JsonPropertyName("power_kw")]
    public decimal? PowerKw { get; init; }

    /// <summary>Charging current summed over phases, A, for min_current / max_current.</summary>
    [JsonPropertyName("current_a")]
    public decimal? CurrentA { get; init; }

    /// <summary>The readings to price under; absent members take the server's <c>Cdr:Pricing</c>.</summary>
    [JsonPropertyName("reading")]
    public PricingReading? Reading { get; init; }
}

/// <summary>An amount excluding and including VAT (OCPI Price).</summary>
public sealed record MoneyView(
    [property: JsonPropertyName("excl_vat")] decimal ExclVat,
    [property: JsonPropertyName("incl_vat")] decimal? InclVat);

/// <summary>One CDR dimension of a priced period.</summary>
public sealed record PricingDimensionView(
    [property: JsonPropertyName("type")] CdrDimensionType Type,
    [property: JsonPropertyName("volume")] decimal Volume);

/// <summary>A CDR charging period as priced: a new one wherever the active price components change.</summary>
public sealed record PricingPeriodView(
    [property: JsonPropertyName("start_date_time")] DateTimeOffset StartDateTime,
    [property: JsonPropertyName("dimensions")] IReadOnlyList<PricingDimensionView> Dimensions,
    [property: JsonPropertyName("tariff_id")] string? TariffId);

/// <summary>One line of the breakdown: what one tariff element charged for one dimension, and why.</summary>
public sealed record PricingLineView(
    [property: JsonPropertyName("element_index")] int ElementIndex,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("dimension")] TariffDimensionType Dimension,
    [property: JsonPropertyName("quantity")] decimal Quantity,
    [property: JsonPropertyName("billed_quantity")] decimal BilledQuantity,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("unit_price")] decimal UnitPrice,
    [property: JsonPropertyName("amount_excl_vat")] decimal AmountExclVat,
    [property: JsonPropertyName("vat")] decimal? Vat,
    [property: JsonPropertyName("amount_incl_vat")] decimal AmountInclVat,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>The readings a price was computed under.</summary>
public sealed record PricingReadingView(
    [property: JsonPropertyName("step_size")] string StepSize,
    [property: JsonPropertyName("round_time_and_parking_separately")] bool RoundTimeAndParkingSeparately,
    [property: JsonPropertyName("rounding")] string Rounding,
    [property: JsonPropertyName("apply_price_limits")] bool ApplyPriceLimits,
    [property: JsonPropertyName("enforce_validity_window")] bool EnforceValidityWindow);

/// <summary>
/// A priced session: every cost total and quantity of an OCPI CDR, the charging periods, and the breakdown per element
/// and dimension (quantity, billed quantity after step_size, unit price, amount, reason).
/// </summary>
public sealed record PricingResult
{
    /// <summary>The tariff priced with.</summary>
    [JsonPropertyName("tariff_id")]
    public required string TariffId { get; init; }

    /// <summary>The tariff's currency.</summary>
    [JsonPropertyName("currency")]
    public required string Currency { get; init; }

    /// <summary>The readings applied.</summary>
    [JsonPropertyName("reading")]
    public required PricingReadingView Reading { get; init; }

    /// <summary>The time zone restrictions were evaluated in.</summary>
    [JsonPropertyName("time_zone")]
    public required string TimeZone { get; init; }

    /// <summary>CDR start_date_time.</summary>
    [JsonPropertyName("start_date_time")]
    public required DateTimeOffset StartDateTime { get; init; }

    /// <summary>CDR end_date_time.</summary>
    [JsonPropertyName("end_date_time")]
    public required DateTimeOffset EndDateTime { get; init; }

    /// <summary>CDR total_cost.</summary>
    [JsonPropertyName("total_cost")]
    public required MoneyView TotalCost { get; init; }

    /// <summary>The sum of the component totals before min_price / max_price.</summary>
    [JsonPropertyName("total_cost_before_limits")]
    public required MoneyView TotalCostBeforeLimits { get; init; }

    /// <summary>CDR total_fixed_cost.</summary>
    [JsonPropertyName("total_fixed_cost")]
    public required MoneyView TotalFixedCost { get; init; }

    /// <summary>CDR total_energy_cost.</summary>
    [JsonPropertyName("total_energy_cost")]
    public required MoneyView TotalEnergyCost { get; init; }

    /// <summary>CDR total_time_cost.</summary>
    [JsonPropertyName("total_time_cost")]
    public required MoneyView TotalTimeCost { get; init; }

    /// <summary>CDR total_parking_cost.</summary>
    [JsonPropertyName("total_parking_cost")]
    public required MoneyView TotalParkingCost { get; init; }

    /// <summary>CDR total_reservation_cost.</summary>
    [JsonPropertyName("total_reservation_cost")]
    public required MoneyView TotalReservationCost { get; init; }

    /// <summary>CDR total_energy, kWh.</summary>
    [JsonPropertyName("total_energy")]
    public required decimal TotalEnergy { get; init; }

    /// <summary>CDR total_time, hours.</summary>
    [JsonPropertyName("total_time")]
    public required decimal TotalTime { get; init; }

    /// <summary>CDR total_parking_time, hours.</summary>
    [JsonPropertyName("total_parking_time")]
    public required decimal TotalParkingTime { get; init; }

    /// <summary>Reserved hours.</summary>
    [JsonPropertyName("total_reservation_time")]
    public required decimal TotalReservationTime { get; init; }

    /// <summary>Whether min_price raised the total.</summary>
    [JsonPropertyName("min_price_applied")]
    public required bool MinPriceApplied { get; init; }

    /// <summary>Whether max_price lowered the total.</summary>
    [JsonPropertyName("max_price_applied")]
    public required bool MaxPriceApplied { get; init; }

    /// <summary>CDR charging_periods as priced.</summary>
    [JsonPropertyName("charging_periods")]
    public required IReadOnlyList<PricingPeriodView> ChargingPeriods { get; init; }

    /// <summary>One line per (phase, element, dimension).</summary>
    [JsonPropertyName("breakdown")]
    public required IReadOnlyList<PricingLineView> Breakdown { get; init; }

    /// <summary>The breakdown as a plain-text table.</summary>
    [JsonPropertyName("breakdown_text")]
    public required string BreakdownText { get; init; }

    /// <summary>Quotes only: the tariff the CDR pipeline would select at that place for that token (null: none).</summary>
    [JsonPropertyName("selected_tariff_id")]
    public string? SelectedTariffId { get; init; }

    /// <summary>Quotes only: whether the quoted tariff is the one the CDR pipeline would select.</summary>
    [JsonPropertyName("tariff_applies")]
    public bool? TariffApplies { get; init; }
}

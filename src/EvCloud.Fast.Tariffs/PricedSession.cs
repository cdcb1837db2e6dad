using System.Globalization;
using System.Text;

namespace EvCloud.Fast.Tariffs;

/// <summary>Which part of a session a breakdown line or period belongs to.</summary>
public enum PricingPhase
{
    /// <summary>The reservation before the session (mod_tariffs ReservationRestrictionType).</summary>
    Reservation,
    /// <summary>The charging session itself, charging and parking.</summary>
    Session,
}

/// <summary>
/// One line of an explainable invoice: what one tariff element charged for one dimension, and why it applied.
/// Amounts are exact; only the totals of <see cref="PricedSession"/> are rounded.
/// </summary>
public sealed record PricingLine
{
    /// <summary>0-based index of the element in the tariff's <c>elements</c>.</summary>
    public required int ElementIndex { get; init; }

    /// <summary>The dimension priced.</summary>
    public required TariffDimensionType Dimension { get; init; }

    /// <summary>Reservation or session.</summary>
    public required PricingPhase Phase { get; init; }

    /// <summary>Consumed quantity under this element: kWh for ENERGY, hours for TIME / PARKING_TIME, 1 for FLAT.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>Quantity billed after step_size, same unit as <see cref="Quantity"/>.</summary>
    public required decimal BilledQuantity { get; init; }

    /// <summary>"kWh", "h" or "session".</summary>
    public required string Unit { get; init; }

    /// <summary>Price per unit, excl. VAT.</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>BilledQuantity × UnitPrice.</summary>
    public required decimal AmountExclVat { get; init; }

    /// <summary>VAT percentage of the component; null when no VAT is applicable.</summary>
    public decimal? VatPercent { get; init; }

    /// <summary>Amount including VAT (equal to excl. VAT when no VAT is applicable).</summary>
    public required decimal AmountInclVat { get; init; }

    /// <summary>Why this element priced this dimension, and how step_size changed the quantity.</summary>
    public required string Reason { get; init; }
}

/// <summary>
/// A session priced under one tariff: CDR totals (mod_cdrs CDR object), CDR charging periods, and a breakdown.
/// </summary>
public sealed class PricedSession
{
    internal PricedSession()
    {
    }

    /// <summary>The tariff's id.</summary>
    public required string TariffId { get; init; }

    /// <summary>The tariff's currency.</summary>
    public required string Currency { get; init; }

    /// <summary>CDR start_date_time: the reservation start when there was one, else the session start.</summary>
    public required DateTimeOffset StartDateTime { get; init; }

    /// <summary>CDR end_date_time.</summary>
    public required DateTimeOffset EndDateTime { get; init; }

    /// <summary>
    /// CDR total_cost: the sum of the component totals (each rounded as the options say), then bounded by min_price and
    /// then max_price. Without a bound applied it equals the sum of the component totals, excl. and incl. VAT alike.
    /// </summary>
    public required Price TotalCost { get; init; }

    /// <summary>The sum of the component totals before min_price / max_price (exact when rounding is off).</summary>
    public required Price TotalCostBeforeLimits { get; init; }

    /// <summary>CDR total_fixed_cost: FLAT of the session (not of the reservation).</summary>
    public required Price TotalFixedCost { get; init; }

    /// <summary>CDR total_energy_cost.</summary>
    public required Price TotalEnergyCost { get; init; }

    /// <summary>CDR total_time_cost: TIME while charging.</summary>
    public required Price TotalTimeCost { get; init; }

    /// <summary>CDR total_parking_cost.</summary>
    public required Price TotalParkingCost { get; init; }

    /// <summary>CDR total_reservation_cost: reservation TIME and FLAT.</summary>
    public required Price TotalReservationCost { get; init; }

    /// <summary>CDR total_energy, kWh.</summary>
    public required decimal TotalEnergy { get; init; }

    /// <summary>CDR total_time, hours: session start to end, charging and parking, reservation excluded.</summary>
    public required decimal TotalTime { get; init; }

    /// <summary>CDR total_parking_time, hours.</summary>
    public required decimal TotalParkingTime { get; init; }

    /// <summary>Hours between reservation start and session start (or expiry).</summary>
    public required decimal TotalReservationTime { get; init; }

    /// <summary>True when min_price raised the total (excl. or incl. VAT).</summary>
    public required bool MinPriceApplied { get; init; }

    /// <summary>True when max_price lowered the total (excl. or incl. VAT).</summary>
    public required bool MaxPriceApplied { get; init; }

    /// <summary>CDR charging_periods: a new one wherever the active price components or charging state change.</summary>
    public required IReadOnlyList<ChargingPeriod> ChargingPeriods { get; init; }

    /// <summary>One line per (phase, element, dimension), in order of first use.</summary>
    public required IReadOnlyList<PricingLine> Breakdown { get; init; }

    /// <summary>The breakdown as a plain-text table with totals, for a support desk or an invoice annex.</summary>
    public string ToBreakdownText() =>
        FormatBreakdown(TariffId, Currency, StartDateTime, EndDateTime, Breakdown, MinPriceApplied, MaxPriceApplied, TotalCost);

    /// <summary>
    /// Renders a breakdown as <see cref="ToBreakdownText"/> does, from stored parts (a CDR store keeps the lines, not the
    /// text, and renders it when asked).
    /// </summary>
    public static string FormatBreakdown(
        string tariffId, string currency, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<PricingLine> lines,
        bool minPriceApplied, bool maxPriceApplied, Price total)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(total);
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"Tariff {tariffId} ({currency}), {start:u} - {end:u}").AppendLine();
        foreach (var l in lines)
        {
            sb.Append(ci, $"{l.Phase,-11} #{l.ElementIndex + 1} {l.Dimension,-11} {l.Quantity,12:0.######} {l.Unit,-7} billed {l.BilledQuantity,12:0.######} x {l.UnitPrice,8:0.####} = {l.AmountExclVat,10:0.####} excl, VAT {(l.VatPercent is { } v ? v.ToString("0.##", ci) + "%" : "n/a"),6} = {l.AmountInclVat,10:0.####} incl  ({l.Reason})").AppendLine();
        }
        if (minPriceApplied)
        {
            sb.AppendLine("min_price applied: the session costs at least the tariff's minimum price.");
        }
        if (maxPriceApplied)
        {
            sb.AppendLine("max_price applied: the session costs at most the tariff's maximum price.");
        }
        sb.Append(ci, $"Total {total.ExclVat} excl. VAT, {total.InclVat} incl. VAT").AppendLine();
        return sb.ToString();
    }
}

namespace EvCloud.Fast.Tariffs;

/// <summary>
/// Prices sessions under one OCPI 2.2.1 tariff. Construct once per tariff (it parses the restrictions and collects
/// the boundaries that split periods) and call <see cref="Price"/> per session; thread-safe, no I/O, exact decimals.
/// </summary>
/// <remarks>
/// <para>Element choice (mod_tariffs Tariff object): for each dimension, at each moment, the first element in the list
/// whose restrictions all match and that has a component of that dimension prices it; no match means that dimension
/// is free at that moment. Restrictions are re-evaluated wherever they can change: local time-of-day windows, local
/// midnight (date and weekday), DST transitions, kWh and duration thresholds, current or power changes at meter points,
/// and charging/parking changes. A period is split there (mod_cdrs "ChargingPeriod"); energy inside a meter interval
/// is interpolated linearly in time, and the instant a kWh threshold is crossed is interpolated likewise (rounded up to
/// the next 100 ns tick, at which the energy is taken to be exactly the threshold).</para>
/// <para>TIME prices time charging and PARKING_TIME time not charging (mod_tariffs TariffDimensionType); ENERGY prices
/// energy in either state. FLAT is charged once per session, by the first element with a FLAT component whose
/// restrictions match at the earliest moment any does (mod_tariffs: "a fixed amount that has to be paid for any
/// Charging Session"). A reservation is priced by the elements with a <c>reservation</c> restriction only, and the
/// session by the elements without one; its FLAT is separate from the session's (example "reservation price and fee").</para>
/// <para>Quantities and amounts are exact decimals; only the totals are rounded (<see cref="TariffPricingOptions.Rounding"/>).
/// VAT is per component: incl. VAT = excl. × (1 + vat/100), and a component without <c>vat</c> has no VAT applicable,
/// so its incl. VAT amount equals excl. (mod_tariffs PriceComponent). min_price and max_price clamp the excl. and incl.
/// totals separately, as the Tariff object notes say; when a limit has no <c>incl_vat</c>, the incl. total is scaled by
/// the same factor as the excl. one, keeping the session's effective VAT rate.</para>
/// </remarks>
public sealed class TariffPricer
{
    private static readonly int[] s_noElements = [];

    /// <summary>Compiles <paramref name="tariff"/>.</summary>
    public TariffPricer(Tariff tariff, TariffPricingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        Tariff = tariff;
        Options = options ?? TariffPricingOptions.Default;
        Elements = new CompiledElement[tariff.Elements.Count];
        var timesOfDay = new List<long>();
        var kwh = new List<decimal>();
        var durations = new List<long>();
        var anyCalendar = false;
        for (var i = 0; i < Elements.Length; i++)
        {
            var e = new CompiledElement(i, tariff.Elements[i]);
            Elements[i] = e;
            e.AddTimeOfDayBoundaries(timesOfDay);
            e.AddKwhThresholds(kwh);
            e.AddDurationThresholds(durations);
            anyCalendar |= e.HasCalendarRestriction;
            HasCurrentOrPowerRestriction |= e.HasCurrentOrPowerRestriction;
            HasPowerRestriction |= e.HasPowerRestriction;
        }
        if (anyCalendar)
        {
            timesOfDay.Add(0);
        }
        TimesOfDay = SortedDistinct(timesOfDay, 0);
        KwhThresholds = [.. new SortedSet<decimal>(kwh.FindAll(k => k > 0))];
        DurationThresholds = SortedDistinct(durations, 1);

        SessionEnergy = Candidates(e => e.Reservation is null && e.Energy is not null);
        SessionTime = Candidates(e => e.Reservation is null && e.Time is not null);
        SessionParking = Candidates(e => e.Reservation is null && e.Parking is not null);
        SessionFlat = Candidates(e => e.Reservation is null && e.Flat is not null);
        ReservationTime = Candidates(e => e.Reservation == ReservationRestrictionType.Reservation && e.Time is not null);
        ReservationFlat = Candidates(e => e.Reservation == ReservationRestrictionType.Reservation && e.Flat is not null);
        // mod_tariffs ReservationRestrictionType note: for an expired reservation the RESERVATION_EXPIRES element
        // prices the time even when a RESERVATION element with TIME comes first; RESERVATION elements still apply to
        // what no RESERVATION_EXPIRES element prices (example "reservation price and expire fee": € 4 fee + time).
        ExpiredTime = [.. Candidates(e => e.Reservation == ReservationRestrictionType.ReservationExpires && e.Time is not null), .. ReservationTime];
        ExpiredFlat = [.. Candidates(e => e.Reservation == ReservationRestrictionType.ReservationExpires && e.Flat is not null), .. ReservationFlat];
        MoneyDecimals = MinorUnit(tariff.Currency);
    }

    /// <summary>The tariff priced.</summary>
    public Tariff Tariff { get; }

    /// <summary>The choices applied where the spec leaves room.</summary>
    public TariffPricingOptions Options { get; }

    internal CompiledElement[] Elements { get; }

    internal long[] TimesOfDay { get; }

    internal decimal[] KwhThresholds { get; }

    internal long[] DurationThresholds { get; }

    internal bool HasCurrentOrPowerRestriction { get; }

    internal bool HasPowerRestriction { get; }

    internal int[] SessionEnergy { get; }

    internal int[] SessionTime { get; }

    internal int[] SessionParking { get; }

    internal int[] SessionFlat { get; }

    internal int[] ReservationTime { get; }

    internal int[] ReservationFlat { get; }

    internal int[] ExpiredTime { get; }

    internal int[] ExpiredFlat { get; }

    internal int MoneyDecimals { get; }

    /// <summary>Prices <paramref name="session"/>.</summary>
    /// <exception cref="TariffNotValidException">The session starts outside the tariff's validity window (see options).</exception>
    public PricedSession Price(SessionUsage session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Options.EnforceValidityWindow)
        {
            var at = session.Reservation?.ReservedAt ?? session.Start;
            if ((Tariff.StartDateTime is { } from && at < from) || (Tariff.EndDateTime is { } until && at > until))
            {
                throw new TariffNotValidException($"Tariff {Tariff.Id} is valid from {Tariff.StartDateTime:O} to {Tariff.EndDateTime:O}, the session starts at {at:O}.");
            }
        }
        return new PricingRun(this, session).Run();
    }

    private int[] Candidates(Func<CompiledElement, bool> predicate)
    {
        var list = new List<int>();
        foreach (var e in Elements)
        {
            if (predicate(e))
            {
                list.Add(e.Index);
            }
        }
        return list.Count == 0 ? s_noElements : [.. list];
    }

    private static long[] SortedDistinct(List<long> values, long minimum)
    {
        var set = new SortedSet<long>();
        foreach (var v in values)
        {
            if (v >= minimum)
            {
                set.Add(v);
            }
        }
        return [.. set];
    }

    /// <summary>ISO 4217 minor unit; 2 unless the currency is one of the few with 0 or 3 decimals.</summary>
    internal static int MinorUnit(string currency) => currency.ToUpperInvariant() switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "ISK" or "JPY" or "KMF" or "KRW" or "PYG" or "RWF" or "UGX" or "UYI" or "VND" or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        "CLF" or "UYW" => 4,
        _ => 2,
    };
}

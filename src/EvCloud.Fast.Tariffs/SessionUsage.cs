namespace EvCloud.Fast.Tariffs;

/// <summary>
/// One meter reading of a session as the pricer sees it. The state it carries (charging or not, current, power)
/// holds from <see cref="Timestamp"/> until the next point (sample and hold); energy is interpolated linearly in
/// time between points, which is what mod_cdrs "ChargingPeriod" allows a CPO to do when a period boundary falls between readings.
/// </summary>
/// <param name="Timestamp">When the reading was taken.</param>
/// <param name="EnergyKwh">Cumulative meter reading in kWh (any origin: the pricer subtracts the reading at session start).</param>
/// <param name="IsCharging">
/// Whether the EV is taking energy from here on. False is PARKING_TIME: mod_cdrs CdrDimensionType (errata) defines it as
/// time the vehicle is not requesting power, so a charger that pauses while the EV still asks for power should report true.
/// </param>
/// <param name="CurrentA">Current summed over phases in A, for min_current / max_current; null when the charger did not report it.</param>
/// <param name="PowerKw">Power in kW, for min_power / max_power; null to use the average power to the next point.</param>
public readonly record struct MeterPoint(DateTimeOffset Timestamp, decimal EnergyKwh, bool IsCharging, decimal? CurrentA = null, decimal? PowerKw = null);

/// <summary>A reservation that preceded the session (OCPI 2.2.1 mod_tariffs ReservationRestrictionType).</summary>
/// <param name="ReservedAt">When the reservation started. Reservation time runs from here to the session start.</param>
/// <param name="Expired">
/// True when the reservation expired without a charging session; the session's <see cref="SessionUsage.Start"/> is then
/// the expiry instant and nothing after it is priced.
/// </param>
public sealed record SessionReservation(DateTimeOffset ReservedAt, bool Expired = false);

/// <summary>
/// What a charging session looks like to <see cref="TariffPricer"/>: its bounds, the location's time zone (restrictions
/// on time, date and weekday are local time at the location, mod_tariffs TariffRestrictions) and the meter series.
/// Validated on construction so the pricing loop needs no checks.
/// </summary>
public sealed class SessionUsage
{
    private readonly MeterPoint[] _points;
    private readonly VolumePeriod[]? _periods;

    /// <summary>Creates a session; use <see cref="SessionUsageBuilder"/> to build one from meter values as they arrive.</summary>
    /// <param name="start">Session start (OCPI Session / CDR start_date_time of the charging part).</param>
    /// <param name="end">Session end; not before <paramref name="start"/>.</param>
    /// <param name="timeZone">Time zone of the location.</param>
    /// <param name="points">Meter points in time order with non-decreasing energy; at least one unless the session is empty.</param>
    /// <param name="reservation">The reservation that preceded the session, if any.</param>
    /// <exception cref="ArgumentException">The bounds, the order of the points or their energy are inconsistent.</exception>
    public SessionUsage(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo timeZone, ReadOnlySpan<MeterPoint> points, SessionReservation? reservation = null)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (end < start)
        {
            throw new ArgumentException($"Session end {end:O} is before its start {start:O}.", nameof(end));
        }
        if (points.IsEmpty && end > start)
        {
            throw new ArgumentException("A session with a duration needs at least one meter point.", nameof(points));
        }
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i].Timestamp <= points[i - 1].Timestamp)
            {
                throw new ArgumentException($"Meter point {i} ({points[i].Timestamp:O}) is not after point {i - 1}.", nameof(points));
            }
            if (points[i].EnergyKwh < points[i - 1].EnergyKwh)
            {
                throw new ArgumentException($"Meter point {i} has less energy ({points[i].EnergyKwh} kWh) than point {i - 1}; the pricer takes cumulative import readings.", nameof(points));
            }
        }
        if (reservation is not null && reservation.ReservedAt > start)
        {
            throw new ArgumentException("A reservation starts before the session it reserves.", nameof(reservation));
        }
        Start = start;
        End = end;
        TimeZone = timeZone;
        _points = points.ToArray();
        Reservation = reservation;
    }

    private SessionUsage(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo timeZone, VolumePeriod[] periods, SessionReservation? reservation)
    {
        Start = start;
        End = end;
        TimeZone = timeZone;
        _points = [];
        _periods = periods;
        Reservation = reservation;
    }

    /// <summary>
    /// Creates a session from the CDR form: <c>start_date_time</c>, <c>end_date_time</c> and <c>charging_periods</c>, whose
    /// dimension volumes are authoritative (a period's TIME may disagree with its timestamps, as CDRs in the wild do).
    /// </summary>
    /// <remarks>
    /// <para>A period runs from its <c>start_date_time</c> to the next period's (the last to <paramref name="end"/>), as
    /// mod_cdrs ChargingPeriod defines. Its volumes are spread evenly over that wall-clock span so that restrictions on
    /// local time, date, kWh and duration are evaluated where they would fall; TIME comes first, then PARKING_TIME (a
    /// period with both is taken to charge, then stop). Energy is taken while charging when the period has TIME, else
    /// spread over the period. A period of zero span is priced at its start as a whole.</para>
    /// <para>Periods with RESERVATION_TIME are the reservation (mod_tariffs ReservationRestrictionType): they come first,
    /// the session starts at the first period without it, and a CDR with only reservation periods is an expired
    /// reservation. min_duration / max_duration count wall-clock time from the first session period.</para>
    /// <para>MIN_CURRENT / MAX_CURRENT (and the power pair) bound what the period saw: a min_* restriction applies when the
    /// period's maximum reaches it, a max_* restriction when the period's minimum is below it. A CPO starts a new period
    /// where the active price component changes (mod_cdrs ChargingPeriod), so within a period the first element in the
    /// list that could apply is the one that did. One of a pair stands for both. Without power dimensions the power is
    /// the period's average (ENERGY over TIME), as for meter readings.</para>
    /// </remarks>
    /// <exception cref="PricingInputException">A volume is negative, a dimension repeats in a period, periods overlap or
    /// lie outside the session, or a reservation period follows a session period; <see cref="PricingInputException.Field"/>
    /// names the field in the CDR's JSON form.</exception>
    public static SessionUsage FromChargingPeriods(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo timeZone, IReadOnlyList<ChargingPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(periods);
        if (end < start)
        {
            throw new PricingInputException("end_date_time", $"end_date_time {end:O} is before start_date_time {start:O}.");
        }
        var result = new VolumePeriod[periods.Count];
        var sessionStart = -1;
        for (var i = 0; i < result.Length; i++)
        {
            var period = periods[i] ?? throw new PricingInputException($"charging_periods[{i}]", "A charging period is null.");
            var at = period.StartDateTime;
            if (at < start || at > end)
            {
                throw new PricingInputException($"charging_periods[{i}].start_date_time", $"The period starts at {at:O}, outside the session ({start:O} to {end:O}).");
            }
            if (i > 0 && at < periods[i - 1].StartDateTime)
            {
                throw new PricingInputException($"charging_periods[{i}].start_date_time", $"The period starts at {at:O}, before period {i - 1} ({periods[i - 1].StartDateTime:O}): periods overlap.");
            }
            var v = VolumePeriod.From(period, i, at.UtcTicks, i + 1 < result.Length ? periods[i + 1].StartDateTime.UtcTicks : end.UtcTicks);
            if (v.IsReservation)
            {
                if (sessionStart >= 0)
                {
                    throw new PricingInputException($"charging_periods[{i}].dimensions", "A RESERVATION_TIME period follows a charging period; the reservation precedes the session.");
                }
            }
            else if (sessionStart < 0)
            {
                sessionStart = i;
            }
            result[i] = v;
        }
        SessionReservation? reservation = null;
        var sessionFrom = start;
        if (result.Length > 0 && result[0].IsReservation)
        {
            sessionFrom = sessionStart < 0 ? end : periods[sessionStart].StartDateTime;
            reservation = new SessionReservation(start, Expired: sessionStart < 0);
        }
        return new SessionUsage(sessionFrom, end, timeZone, result, reservation);
    }

    /// <summary>Creates a session at a location whose OCPI <c>time_zone</c> is the IANA id <paramref name="timeZoneId"/>.</summary>
    /// <exception cref="TimeZoneNotFoundException">The id is unknown (is tzdata installed?).</exception>
    public static SessionUsage Create(DateTimeOffset start, DateTimeOffset end, string timeZoneId, ReadOnlySpan<MeterPoint> points, SessionReservation? reservation = null)
        => new(start, end, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId), points, reservation);

    /// <summary>Session start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Session end.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Time zone of the location.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Meter points in time order.</summary>
    public ReadOnlySpan<MeterPoint> Points => _points;

    /// <summary>The reservation that preceded the session, if any.</summary>
    public SessionReservation? Reservation { get; }

    /// <summary>True when the session was given as charging periods with authoritative volumes.</summary>
    public bool HasVolumes => _periods is not null;

    internal ReadOnlySpan<VolumePeriod> Periods => _periods;
}

/// <summary>One CDR charging period as the pricer reads it: its wall-clock span and its authoritative volumes.</summary>
internal readonly record struct VolumePeriod(
    long StartTicks, long EndTicks, decimal EnergyKwh, long TimeTicks, long ParkingTicks, long ReservationTicks,
    decimal? CurrentLow, decimal? CurrentHigh, decimal? PowerLow, decimal? PowerHigh, bool IsReservation)
{
    // Hours are converted to 100 ns ticks, the engine's time unit; 4 decimals of an hour (0.36 s) are exact.
    private const decimal MaxHours = 100_000m;

    public static VolumePeriod From(ChargingPeriod period, int index, long startTicks, long endTicks)
    {
        if (period.Dimensions is null)
        {
            throw new PricingInputException($"charging_periods[{index}].dimensions", "A charging period needs its dimensions.");
        }
        decimal energy = 0;
        long time = 0, parking = 0, reservation = 0;
        decimal? minA = null, maxA = null, minP = null, maxP = null;
        var seen = 0;
        var reservationGiven = false;
        for (var d = 0; d < period.Dimensions.Count; d++)
        {
            var dimension = period.Dimensions[d];
            var field = $"charging_periods[{index}].dimensions[{d}]";
            if (dimension is null)
            {
                throw new PricingInputException(field, "A dimension is null.");
            }
            if (!Enum.IsDefined(dimension.Type))
            {
                throw new PricingInputException(field + ".type", "Not an OCPI CdrDimensionType.");
            }
            var bit = 1 << (int)dimension.Type;
            if ((seen & bit) != 0)
            {
                throw new PricingInputException(field + ".type", $"{dimension.Type} appears twice in one period.");
            }
            seen |= bit;
            var volume = dimension.Volume;
            if (volume < 0)
            {
                throw new PricingInputException(field + ".volume", $"The {dimension.Type} volume {volume} is negative.");
            }
            switch (dimension.Type)
            {
                case CdrDimensionType.Energy: energy = volume; break;
                case CdrDimensionType.Time: time = Ticks(volume, field); break;
                case CdrDimensionType.ParkingTime: parking = Ticks(volume, field); break;
                case CdrDimensionType.ReservationTime: reservation = Ticks(volume, field); reservationGiven = true; break;
                case CdrDimensionType.MinCurrent: minA = volume; break;
                case CdrDimensionType.MaxCurrent: maxA = volume; break;
                case CdrDimensionType.MinPower: minP = volume; break;
                case CdrDimensionType.MaxPower: maxP = volume; break;
                default: break;
            }
        }
        if (reservationGiven && (time > 0 || parking > 0 || energy > 0))
        {
            throw new PricingInputException($"charging_periods[{index}].dimensions", "A period has RESERVATION_TIME and charging volumes; the reservation precedes the session.");
        }
        return new VolumePeriod(startTicks, endTicks, energy, time, parking, reservation, minA ?? maxA, maxA ?? minA, minP ?? maxP, maxP ?? minP, reservationGiven);
    }

    private static long Ticks(decimal hours, string field)
    {
        if (hours > MaxHours)
        {
            throw new PricingInputException(field + ".volume", $"{hours} hours is beyond any session.");
        }
        return (long)Math.Round(hours * TimeSpan.TicksPerHour, MidpointRounding.AwayFromZero);
    }
}

/// <summary>Input the pricer cannot price, with the field at fault in the CDR's (or tariff's) JSON form.</summary>
public sealed class PricingInputException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public PricingInputException(string field, string message) : base(message, field)
    {
        Field = field;
    }

    /// <summary>Creates the exception.</summary>
    public PricingInputException()
    {
        Field = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public PricingInputException(string message) : base(message)
    {
        Field = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public PricingInputException(string message, Exception innerException) : base(message, innerException)
    {
        Field = string.Empty;
    }

    /// <summary>The field at fault, as a JSON path below the request (<c>charging_periods[2].dimensions[0].volume</c>).</summary>
    public string Field { get; }
}

/// <summary>
/// Collects meter values of a running session (as a session tracker receives them from OCPP MeterValues /
/// TransactionEvent) and produces a <see cref="SessionUsage"/> when the session ends, or a snapshot for a live price.
/// </summary>
public sealed class SessionUsageBuilder
{
    private readonly List<MeterPoint> _points = new(64);
    private readonly DateTimeOffset _start;
    private readonly TimeZoneInfo _timeZone;
    private SessionReservation? _reservation;

    /// <summary>Starts a session at <paramref name="start"/> at a location in <paramref name="timeZoneId"/> (IANA id).</summary>
    public SessionUsageBuilder(DateTimeOffset start, string timeZoneId)
        : this(start, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId))
    {
    }

    /// <summary>Starts a session at <paramref name="start"/> at a location in <paramref name="timeZone"/>.</summary>
    public SessionUsageBuilder(DateTimeOffset start, TimeZoneInfo timeZone)
    {
        _start = start;
        _timeZone = timeZone;
    }

    /// <summary>Records that the session was preceded by a reservation made at <paramref name="reservedAt"/>.</summary>
    public SessionUsageBuilder WithReservation(DateTimeOffset reservedAt)
    {
        _reservation = new SessionReservation(reservedAt);
        return this;
    }

    /// <summary>
    /// Adds a reading. A reading with the timestamp of the previous one replaces it (chargers repeat the last
    /// sample in Stop/Ended messages); an older one is rejected because meter data arrives in order per transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The reading is older than the previous one.</exception>
    public SessionUsageBuilder Add(DateTimeOffset timestamp, decimal energyKwh, bool isCharging, decimal? currentA = null, decimal? powerKw = null)
    {
        var point = new MeterPoint(timestamp, energyKwh, isCharging, currentA, powerKw);
        if (_points.Count > 0)
        {
            var last = _points[^1].Timestamp;
            if (timestamp == last)
            {
                _points[^1] = point;
                return this;
            }
            if (timestamp < last)
            {
                throw new ArgumentException($"Meter value at {timestamp:O} is older than the previous one at {last:O}.", nameof(timestamp));
            }
        }
        _points.Add(point);
        return this;
    }

    /// <summary>The session as it stands, ending at <paramref name="end"/>.</summary>
    public SessionUsage Build(DateTimeOffset end)
        => new(_start, end, _timeZone, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_points), _reservation);
}

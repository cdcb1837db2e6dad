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

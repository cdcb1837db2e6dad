using EvCloud.Fast.Cdr.Tariffs;

namespace EvCloud.Fast.Cdr.Sessions;

/// <summary>Turns a tracked session into the pricer's input: meter points in kWh with a charging flag per interval.</summary>
public static class SessionUsageFactory
{
    private const decimal MilliWhPerKwh = 1_000_000m;

    /// <summary>
    /// The points of <paramref name="session"/> up to <paramref name="endMs"/> (its end, or now for a running session):
    /// every register reading and every charging-state change, energy interpolated linearly at state changes. The
    /// flag of a point covers the interval after it: the last reported state when there is one, otherwise whether
    /// the register grew over that interval.
    /// </summary>
    public static SessionUsage Create(TrackedSession session, long endMs, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(session);
        endMs = Math.Max(endMs, session.StartMs);
        List<EnergyReading> readings = [.. session.Readings.Where(r => r.TimeMs <= endMs)];
        if (session.Ended && (readings.Count == 0 || readings[^1].TimeMs < endMs))
        {
            readings.Add(new EnergyReading(endMs, session.MeterStopMilliWh));
        }

        var times = new SortedSet<long>(readings.Select(r => r.TimeMs));
        foreach (ChargingStateChange state in session.States)
        {
            if (state.TimeMs <= endMs)
            {
                times.Add(state.TimeMs);
            }
        }

        times.Add(session.StartMs);
        long[] at = [.. times.Where(t => t >= session.StartMs && t < endMs)];
        var points = new MeterPoint[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            long energy = EnergyAt(readings, at[i]);
            long next = EnergyAt(readings, i + 1 < at.Length ? at[i + 1] : endMs);
            bool charging = StateAt(session.States, at[i]) ?? next > energy;
            points[i] = new MeterPoint(DateTimeOffset.FromUnixTimeMilliseconds(at[i]), energy / MilliWhPerKwh, charging);
        }

        long finalEnergy = EnergyAt(readings, endMs);
        SessionUsage usage = new SessionUsageBuilderAdapter(session.StartMs, timeZone, points, finalEnergy, endMs).Build();
        return usage;
    }

    /// <summary>Register value at <paramref name="timeMs"/>: linear between the readings around it, flat outside them.</summary>
    internal static long EnergyAt(List<EnergyReading> readings, long timeMs)
    {
        if (readings.Count == 0)
        {
            return 0;
        }

        if (timeMs <= readings[0].TimeMs)
        {
            return readings[0].EnergyMilliWh;
        }

        for (int i = 1; i < readings.Count; i++)
        {
            EnergyReading b = readings[i];
            if (timeMs <= b.TimeMs)
            {
                EnergyReading a = readings[i - 1];
                if (b.TimeMs == a.TimeMs)
                {
                    return b.EnergyMilliWh;
                }

                return a.EnergyMilliWh + (long)((b.EnergyMilliWh - a.EnergyMilliWh) * (decimal)(timeMs - a.TimeMs) / (b.TimeMs - a.TimeMs));
            }
        }

        return readings[^1].EnergyMilliWh;
    }

    private static bool? StateAt(IReadOnlyList<ChargingStateChange> states, long timeMs)
    {
        bool? state = null;
        foreach (ChargingStateChange change in states)
        {
            if (change.TimeMs > timeMs)
            {
                break;
            }

            state = change.Charging;
        }

        return state;
    }

    /// <summary>Feeds the points to <see cref="SessionUsageBuilder"/>, which checks order and monotonic energy.</summary>
    private readonly struct SessionUsageBuilderAdapter(long startMs, TimeZoneInfo timeZone, MeterPoint[] points, long finalEnergyMilliWh, long endMs)
    {
        public SessionUsage Build()
        {
            var builder = new SessionUsageBuilder(DateTimeOffset.FromUnixTimeMilliseconds(startMs), timeZone);
            foreach (MeterPoint point in points)
            {
                builder.Add(point.Timestamp, point.EnergyKwh, point.IsCharging);
            }

            if (points.Length == 0 || points[^1].Timestamp.ToUnixTimeMilliseconds() < endMs)
            {
                builder.Add(DateTimeOffset.FromUnixTimeMilliseconds(endMs), finalEnergyMilliWh / MilliWhPerKwh, false);
            }

            return builder.Build(DateTimeOffset.FromUnixTimeMilliseconds(endMs));
        }
    }
}

using EvCloud.Fast.Tariffs;

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
        var readings = new List<EnergyReading>(session.Readings.Count + 1);
        for (int i = 0; i < session.Readings.Count; i++)
        {
            EnergyReading reading = session.Readings[i];
            // NOTE: an ended session's last point is the register it ended at, whatever the charger stamped on its
            // readings; so its energy is TransactionEnergy's, the number the transaction API shows.
            if (i == 0 || reading.TimeMs < endMs || (reading.TimeMs == endMs && !session.Ended))
            {
                readings.Add(reading);
            }
        }

        if (session.Ended)
        {
            readings.Add(new EnergyReading(endMs, session.MeterStopMilliWh));
        }

        // Point times: the start, every reading and every state change before the end, merged in order (both lists are
        // sorted), without duplicates; then the end.
        IReadOnlyList<ChargingStateChange> states = session.States;
        var at = new List<long>(readings.Count + states.Count + 2) { session.StartMs };
        int r = 0, c = 0;
        while (r < readings.Count || c < states.Count)
        {
            long next = c >= states.Count || (r < readings.Count && readings[r].TimeMs <= states[c].TimeMs) ? readings[r++].TimeMs : states[c++].TimeMs;
            if (next > at[^1] && next < endMs)
            {
                at.Add(next);
            }
        }

        bool closed = endMs > session.StartMs;
        var points = new MeterPoint[at.Count + (closed ? 1 : 0)];
        for (int i = 0; i < at.Count; i++)
        {
            long energy = EnergyAt(readings, at[i]);
            long following = EnergyAt(readings, i + 1 < at.Count ? at[i + 1] : endMs);
            bool charging = StateAt(states, at[i]) ?? following > energy;
            points[i] = new MeterPoint(DateTimeOffset.FromUnixTimeMilliseconds(at[i]), energy / MilliWhPerKwh, charging);
        }

        if (closed)
        {
            points[^1] = new MeterPoint(DateTimeOffset.FromUnixTimeMilliseconds(endMs), EnergyAt(readings, endMs) / MilliWhPerKwh, false);
        }

        return new SessionUsage(DateTimeOffset.FromUnixTimeMilliseconds(session.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(endMs), timeZone, points);
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
}

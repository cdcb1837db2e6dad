using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;
using FsCheck.Xunit;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>The CDR's energy is <see cref="TransactionEnergy"/>'s, the rule the state store (and so the transaction API) applies.</summary>
public sealed class EnergyRuleTests
{
    private const long T0 = 1_764_000_000_000; // a Unix ms instant
    private const long Minute = 60_000;

    /// <summary>
    /// Any readings, in any order of time and value (before the start, after the stop, backwards, resets), any stop:
    /// the energy from the first to the last point the pricer gets equals the rule's.
    /// </summary>
    [Property]
    public bool TheCdrsEnergy_IsTheRulesEnergy_ForAnyReadingsAndStop(int[] minutes, int[] values, int meterStart, int meterStop, bool startUnknown)
    {
        long start = startUnknown ? -1 : Energy(meterStart);
        var tracker = new SessionTracker();
        tracker.Apply(new TransactionStarted(T0, "CP-1", 1, 1, "TAG", start, T0, 0, 0), 1);
        long firstReading = -1;
        long highest = start;
        int count = Math.Min(minutes.Length, values.Length);
        for (int i = 0; i < count; i++)
        {
            long at = T0 + ((long)(Math.Abs(minutes[i] % 240)) - 30) * Minute; // from 30 min before the start to 30 min after the stop
            long energy = Energy(values[i]);
            tracker.Apply(new MeterSampled(at, "CP-1", 1, 1, at, energy, null), 2 + i);
            firstReading = firstReading < 0 ? energy : firstReading;
            highest = Math.Max(highest, energy);
        }

        long stop = Energy(meterStop);
        TrackedSession session = tracker.Apply(new TransactionEnded(T0 + 180 * Minute, "CP-1", 1, stop, T0 + 180 * Minute, "Local", null, null), 1000)!;
        var points = SessionUsageFactory.Create(session, session.EndMs, TimeZoneInfo.Utc).Points;

        // The state store's side: the first reading is the start when the start is unknown (a stop alone leaves it unknown).
        long storeStart = start >= 0 ? start : firstReading;
        long expected = TransactionEnergy.Delivered(storeStart, TransactionEnergy.EndRegister(Math.Max(highest, storeStart), stop));
        return (points[^1].EnergyKwh - points[0].EnergyKwh) * 1_000_000m == expected;
    }

    private static long Energy(int value) => Math.Abs(value % 50_000) * 1_000L;
}

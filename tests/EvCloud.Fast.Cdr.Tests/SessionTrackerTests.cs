using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Cdr.Tests;

public sealed class SessionTrackerTests
{
    private const long T0 = 1_764_000_000_000; // a Unix ms instant
    private const long Minute = 60_000;

    [Fact]
    public void EndedTransaction_IsHandedOutOnce_WithEveryReading()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(7, meterStart: 1_000_000), 10);
        tracker.Apply(Sample(7, T0 + 10 * Minute, 3_000_000), 11);
        tracker.Apply(Sample(7, T0 + 20 * Minute, 5_000_000), 12);

        TrackedSession? ended = tracker.Apply(Ended(7, T0 + 30 * Minute, 6_000_000), 13);

        Assert.NotNull(ended);
        Assert.Equal([1_000_000L, 3_000_000, 5_000_000, 6_000_000], ended.Readings.Select(r => r.EnergyMilliWh));
        Assert.Null(tracker.Apply(Ended(7, T0 + 30 * Minute, 6_000_000), 14)); // a retransmitted stop ends nothing twice
        Assert.Null(tracker.ReplayFrom);
    }

    [Fact]
    public void ReplayFrom_IsTheStartOfTheOldestOpenSession()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(1, meterStart: 0), 100);
        tracker.Apply(Started(2, meterStart: 0, connectorId: 2), 200);
        tracker.Apply(Ended(1, T0 + Minute, 10), 300);

        Assert.Equal(200, tracker.ReplayFrom);
    }

    [Theory]
    [InlineData(5_000_000, 500_000)] // the late reading is below meterStart, taken before it
    [InlineData(5_000_000, 6_000_000)] // the late reading is above a reading taken after it
    public void OutOfOrderReading_ThatBreaksMonotonicEnergy_IsIgnored(long later, long lateEarlier)
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(3, meterStart: 1_000_000), 1);
        tracker.Apply(Sample(3, T0 + 20 * Minute, later), 2);
        tracker.Apply(Sample(3, T0 + 10 * Minute, lateEarlier), 3);

        TrackedSession session = tracker.Get(3)!;
        Assert.Equal([1_000_000L, later], session.Readings.Select(r => r.EnergyMilliWh));
    }

    [Fact]
    public void LateReading_InPlace_IsInsertedByTime()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(4, meterStart: 0), 1);
        tracker.Apply(Sample(4, T0 + 20 * Minute, 2_000_000), 2);
        tracker.Apply(Sample(4, T0 + 10 * Minute, 1_000_000), 3);

        Assert.Equal([T0, T0 + 10 * Minute, T0 + 20 * Minute], tracker.Get(4)!.Readings.Select(r => r.TimeMs));
    }

    [Fact]
    public void ConnectorStatus_DecidesChargingTime_AndEnergyIsInterpolatedAtTheChange()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(5, meterStart: 0), 1);
        tracker.Apply(Status(connectorId: 1, status: 3, T0), 2); // Charging
        tracker.Apply(Sample(5, T0 + 60 * Minute, 10_000_000), 3);
        tracker.Apply(Status(connectorId: 1, status: 5, T0 + 30 * Minute), 4); // SuspendedEV: older than the sample, still a state change
        TrackedSession session = tracker.Apply(Ended(5, T0 + 60 * Minute, 10_000_000), 5)!;

        SessionUsage usage = SessionUsageFactory.Create(session, session.EndMs, TimeZoneInfo.Utc);

        MeterPoint[] points = usage.Points.ToArray();
        Assert.Equal([T0, T0 + 30 * Minute, T0 + 60 * Minute], points.Select(p => p.Timestamp.ToUnixTimeMilliseconds()));
        Assert.Equal([0m, 5m, 10m], points.Select(p => p.EnergyKwh));
        Assert.Equal([true, false], points[..2].Select(p => p.IsCharging));
    }

    [Fact]
    public void WithoutChargingStatuses_AnIntervalCountsAsChargingWhenTheRegisterGrew()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(6, meterStart: 0), 1);
        tracker.Apply(Status(connectorId: 1, status: 10, T0), 2); // 2.x Occupied: says nothing about charging
        tracker.Apply(Sample(6, T0 + 30 * Minute, 7_000_000), 3);
        tracker.Apply(Sample(6, T0 + 45 * Minute, 7_000_000), 4);
        TrackedSession session = tracker.Apply(Ended(6, T0 + 60 * Minute, 7_000_000), 5)!;

        MeterPoint[] points = SessionUsageFactory.Create(session, session.EndMs, TimeZoneInfo.Utc).Points.ToArray();

        Assert.Equal([true, false, false], points[..3].Select(p => p.IsCharging));
    }

    [Fact]
    public void StatusOfAnotherConnector_DoesNotTouchTheSession()
    {
        var tracker = new SessionTracker();
        tracker.Apply(Started(8, meterStart: 0), 1);
        tracker.Apply(Status(connectorId: 2, status: 5, T0 + Minute), 2);

        Assert.Empty(tracker.Get(8)!.States);
    }

    private static TransactionStarted Started(int id, long meterStart, int connectorId = 1) =>
        new(T0, "CP-1", id, connectorId, "TAG", meterStart, T0, -1, 1);

    private static MeterSampled Sample(int id, long at, long energy) => new(at, "CP-1", id, 1, at, energy, null);

    private static StatusChanged Status(int connectorId, byte status, long at) => new(at, "CP-1", connectorId, status, 0, null, null, null, at);

    private static TransactionEnded Ended(int id, long at, long meterStop) => new(at, "CP-1", id, meterStop, at, "Local", null, null);
}

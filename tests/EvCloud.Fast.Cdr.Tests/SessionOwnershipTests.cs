using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>The tracker attributes readings and stops only to sessions of the charger that sent them; other stops are unbillable.</summary>
public sealed class SessionOwnershipTests
{
    private const long T0 = 1_764_000_000_000;
    private const long Minute = 60_000;

    [Fact]
    public void AReadingAndAStop_FromAnotherCharger_NeverReachTheSession()
    {
        var tracker = new SessionTracker();
        tracker.Apply(new TransactionStarted(T0, "CP-OWNER", 7, 1, "TAG", 1_000_000, T0, -1, 1), 10);

        tracker.Apply(new MeterSampled(T0 + Minute, "CP-HOSTILE", 7, 1, T0 + Minute, 50_000_000, null), 11);
        TrackedSession? ended = tracker.Apply(new TransactionEnded(T0 + 2 * Minute, "CP-HOSTILE", 7, 60_000_000, T0 + 2 * Minute, "Local", null, null), 12, out UnbillableStop? unbillable);

        Assert.Null(ended);
        Assert.Equal(UnbillableReason.ForeignTransaction, unbillable?.Reason);
        Assert.Equal("CP-HOSTILE", unbillable?.ChargerId);
        TrackedSession session = Assert.Single(tracker.Open);
        Assert.Equal([1_000_000L], session.Readings.Select(r => r.EnergyMilliWh));
    }

    [Fact]
    public void AStopForATransactionNeverStarted_IsReportedUnbillable_WithItsLogAddress()
    {
        var tracker = new SessionTracker();

        TrackedSession? ended = tracker.Apply(new TransactionEnded(T0, "CP-1", 2_147_483_647, 5_000, T0, "Local", "TAG", null), 42, out UnbillableStop? unbillable);

        Assert.Null(ended);
        Assert.NotNull(unbillable);
        Assert.Equal(UnbillableReason.UnknownTransaction, unbillable.Reason);
        Assert.Equal(42, unbillable.Address);
        Assert.Equal(2_147_483_647, unbillable.TransactionId);
    }

    [Fact]
    public void ASnapshot_KeepsItsReadings_WhileTheSessionGrows()
    {
        var tracker = new SessionTracker();
        tracker.Apply(new TransactionStarted(T0, "CP-1", 9, 1, "TAG", 0, T0, -1, 1), 1);
        TrackedSession snapshot = tracker.Get(9)!.Snapshot();

        tracker.Apply(new MeterSampled(T0 + Minute, "CP-1", 9, 1, T0 + Minute, 1_000, null), 2);

        Assert.Single(snapshot.Readings);
        Assert.Equal(2, tracker.Get(9)!.Readings.Count);
    }
}

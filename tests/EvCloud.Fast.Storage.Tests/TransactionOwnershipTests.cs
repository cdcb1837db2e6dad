using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

/// <summary>A transaction belongs to the charger it was issued to, and only ids this store issued are in its id space.</summary>
public sealed class TransactionOwnershipTests
{
    [Fact]
    public async Task AReadingOrAStop_FromAnotherCharger_ChangesNothing()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        var id = storage.State.ReserveTransactionId();
        storage.AppendAndApply(Started("CP-OWNER", id, 1, 1_000));

        storage.AppendAndApply(Sampled("CP-HOSTILE", id, 1, 9_000_000));
        storage.AppendAndApply(Ended("CP-HOSTILE", id, 9_500_000));
        storage.AppendAndApply(Started("CP-HOSTILE", id, 1, 0));

        Assert.True(storage.State.TryGetTransaction(id, out TransactionState tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(1_000, tx.LastEnergyMilliWh);
        Assert.Equal("CP-OWNER", tx.ChargerId);
        Assert.True(storage.State.TryGetConnector("CP-OWNER"u8, 1, out ConnectorState connector));
        Assert.Equal(id, connector.OpenTransactionId);
    }

    [Fact]
    public async Task AStopNamingAnIdNeverIssued_DoesNotMoveTheCounter_NorCreateATransaction_AlsoAfterACrash()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        var waiter = new DurabilityWaiter(storage.Log);
        var id = storage.State.ReserveTransactionId();
        await waiter.WaitDurableAsync(storage.AppendAndApply(Started("CP1", id, 1, 0)));
        await storage.State.CheckpointAsync();
        await waiter.WaitDurableAsync(storage.AppendAndApply(Ended("CP1", int.MaxValue, 10_000)));

        Assert.False(storage.State.TryGetTransaction(int.MaxValue, out _));
        Assert.Equal(id + 1, storage.State.ReserveTransactionId());
        await storage.CrashAsync();

        // Replayed from the checkpoint: the stop is in the log after it, and still moves nothing.
        await using var reopened = StorageEngine.Open(Options(directory.Path));
        Assert.True(reopened.RecoveryStats.FromCheckpoint);
        Assert.False(reopened.State.TryGetTransaction(int.MaxValue, out _));
        Assert.Equal(id + 1, reopened.State.ReserveTransactionId());
    }

    [Fact]
    public async Task ReserveTransactionId_NeverWraps_WhenTheIdSpaceIsExhausted()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        storage.AppendAndApply(Started("CP1", int.MaxValue, 1, 0));

        Assert.Throws<InvalidOperationException>(() => storage.State.ReserveTransactionId());
        Assert.Equal(int.MaxValue, storage.State.LastTransactionId);
    }
}

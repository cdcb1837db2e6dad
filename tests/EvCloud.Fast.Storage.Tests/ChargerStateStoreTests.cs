using System.Text;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

public class ChargerStateStoreTests
{
    [Fact]
    public async Task AppliedEvents_AreVisible_ThroughHotPathLookupsAndListings()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        var state = storage.State;

        storage.AppendAndApply(Booted("CP1"));
        storage.AppendAndApply(Status("CP1", 1, 3));
        storage.AppendAndApply(Status("CP1", 2, 1));
        var id = state.ReserveTransactionId();
        storage.AppendAndApply(Started("CP1", id, 1, 1_000_000));
        storage.AppendAndApply(Sampled("CP1", id, 1, 1_500_500));

        Assert.True(state.TryGetTransaction(id, out var tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(1_500_500, tx.LastEnergyMilliWh);
        Assert.True(tx.ChargerIdUtf8.SequenceEqual("CP1"u8));
        Assert.True(tx.IdTagUtf8.SequenceEqual("TAG-1"u8));
        Assert.True(state.TryGetConnector("CP1"u8, 1, out var connector));
        Assert.Equal(3, connector.Status);
        Assert.Equal(id, connector.OpenTransactionId);
        Assert.True(state.TryGetCharger("CP1"u8, out var charger));
        Assert.Equal("ACME", charger.Vendor);
        Assert.Equal(1, charger.BootCount);
        Assert.False(state.TryGetCharger("nope"u8, out _));

        var snapshot = Assert.Single(state.ListChargers());
        Assert.Equal("CP1", snapshot.ChargerId);
        Assert.Equal([1, 2], snapshot.Connectors.Select(c => c.ConnectorId));
        Assert.Equal(id, Assert.Single(snapshot.OpenTransactions).TransactionId);
        Assert.Equal(snapshot.ChargerId, state.GetCharger("CP1")!.ChargerId);
        Assert.Null(state.GetCharger("nope"));

        storage.AppendAndApply(Ended("CP1", id, 2_000_000));

        Assert.True(state.TryGetTransaction(id, out tx));
        Assert.Equal(TransactionStatus.Ended, tx.Status);
        Assert.Equal("Local", tx.StopReason);
        Assert.True(state.TryGetConnector("CP1"u8, 1, out connector));
        Assert.Equal(-1, connector.OpenTransactionId);
        Assert.Empty(state.GetCharger("CP1")!.OpenTransactions);
        Assert.Equal(2_000_000, Assert.Single(state.ListTransactions("CP1")).MeterStopMilliWh);
        Assert.Empty(state.ListTransactions("CP2"));
    }

    [Fact]
    public async Task OpenTransactionIdTags_AreEachConnectorsOpenTransaction_NotEndedOrReplacedOnes()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        storage.AppendAndApply(Booted("CP1"));
        storage.AppendAndApply(StartedWith("CP1", storage.State.ReserveTransactionId(), 1, "TAG-OPEN"));
        var ended = storage.State.ReserveTransactionId();
        storage.AppendAndApply(StartedWith("CP1", ended, 2, "TAG-ENDED"));
        storage.AppendAndApply(Ended("CP1", ended, 1_000));

        // Connector 3: a transaction that never stopped, replaced by a newer one on the same connector.
        storage.AppendAndApply(StartedWith("CP1", storage.State.ReserveTransactionId(), 3, "TAG-REPLACED"));
        storage.AppendAndApply(StartedWith("CP1", storage.State.ReserveTransactionId(), 3, "TAG-NEWER"));

        var tags = storage.State.OpenTransactionIdTags().Select(t => Encoding.UTF8.GetString(t)).Order(StringComparer.Ordinal);
        Assert.Equal(["TAG-NEWER", "TAG-OPEN"], tags);
    }

    private static byte[] StartedWith(string chargerId, int transactionId, int connectorId, string idTag) =>
        Encode(w => EventWriter.WriteTransactionStarted(w, 3_000, U(chargerId), transactionId, connectorId, U(idTag), 0, 3_000, -1, 1));

    [Fact]
    public async Task LongBootFields_AreTruncated_OnACharacterBoundary()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));

        // 49 ASCII bytes then "é" (2 bytes): the 50-byte vendor field cannot hold the whole "é".
        var vendor = new string('v', 49) + "é";
        storage.AppendAndApply(Encode(w => EventWriter.WriteChargerBooted(
            w, 1, "CP1"u8, 16, 1, ChargerIdentity.None with { Vendor = vendor })));

        Assert.True(storage.State.TryGetCharger("CP1"u8, out var charger));
        Assert.Equal(new string('v', 49), charger.Vendor);
    }

    [Fact]
    public async Task Touch_UpdatesLastSeenAndOnline_WithoutAnEvent()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        var tail = storage.Log.TailAddress;

        storage.State.Touch("CP9"u8, 123_456, online: true);

        Assert.True(storage.State.TryGetCharger("CP9"u8, out var charger));
        Assert.True(charger.Online);
        Assert.Equal(123_456, charger.LastSeenMs);
        Assert.Equal(tail, storage.Log.TailAddress);
    }

    [Fact]
    public async Task AcknowledgedTransactionData_SurvivesACrash_WithoutAnyCheckpoint()
    {
        using var directory = new TempDirectory();
        int transactionId;
        var storage = StorageEngine.Open(Options(directory.Path));
        {
            var waiter = new DurabilityWaiter(storage.Log);
            storage.AppendAndApply(Booted("CP1"));
            storage.AppendAndApply(Status("CP1", 1, 3));
            transactionId = storage.State.ReserveTransactionId();
            storage.AppendAndApply(Started("CP1", transactionId, 1, 1_000_000));
            storage.AppendAndApply(Sampled("CP1", transactionId, 1, 1_250_000));
            await waiter.WaitDurableAsync(storage.AppendAndApply(Sampled("CP1", transactionId, 1, 1_750_250, ts: 4_500)));
            await storage.CrashAsync();
        }

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.False(reopened.RecoveryStats.FromCheckpoint);
        Assert.Equal(5, reopened.RecoveryStats.ReplayedEvents);
        Assert.True(reopened.State.TryGetTransaction(transactionId, out var tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(1_750_250, tx.LastEnergyMilliWh);
        Assert.Equal(4_500, tx.LastMeterMs);
        Assert.True(reopened.State.TryGetConnector("CP1"u8, 1, out var connector));
        Assert.Equal(3, connector.Status);
        Assert.Equal(transactionId, connector.OpenTransactionId);
        Assert.True(reopened.State.TryGetCharger("CP1"u8, out var charger));
        Assert.Equal(1, charger.BootCount);
    }

    [Fact]
    public async Task TransactionIds_ContinueAboveEveryIdSeen_AfterACrash()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        var waiter = new DurabilityWaiter(storage.Log);
        storage.State.ReserveTransactionId();
        await storage.State.CheckpointAsync();

        // An id far above the counter (e.g. assigned before a data-directory migration) only exists in the log.
        await waiter.WaitDurableAsync(storage.AppendAndApply(Started("CP1", 5_000, 1, 0)));
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.True(reopened.RecoveryStats.FromCheckpoint);
        Assert.Equal(5_001, reopened.State.ReserveTransactionId());
    }

    [Fact]
    public async Task Recovery_ReplaysOnlyTheEventsAfterTheCheckpoint()
    {
        using var directory = new TempDirectory();
        int transactionId;
        var storage = StorageEngine.Open(Options(directory.Path));
        {
            var waiter = new DurabilityWaiter(storage.Log);
            storage.AppendAndApply(Booted("CP1"));
            transactionId = storage.State.ReserveTransactionId();
            storage.AppendAndApply(Started("CP1", transactionId, 1, 1_000_000));
            for (var i = 0; i < 20; i++)
            {
                storage.AppendAndApply(Sampled("CP1", transactionId, 1, 1_000_000 + i));
            }

            await storage.State.CheckpointAsync();
            var checkpointAddress = storage.State.CheckpointLogAddress;
            storage.AppendAndApply(Status("CP1", 1, 5));
            storage.AppendAndApply(Sampled("CP1", transactionId, 1, 3_000_000));
            await waiter.WaitDurableAsync(storage.AppendAndApply(Booted("CP1", ts: 9_000)));
            await storage.CrashAsync();

            await using var reopened = StorageEngine.Open(Options(directory.Path));

            Assert.True(reopened.RecoveryStats.FromCheckpoint);
            Assert.Equal(checkpointAddress, reopened.RecoveryStats.CheckpointLogAddress);
            Assert.Equal(3, reopened.RecoveryStats.ReplayedEvents);
            Assert.True(reopened.State.TryGetTransaction(transactionId, out var tx));
            Assert.Equal(3_000_000, tx.LastEnergyMilliWh);
            Assert.True(reopened.State.TryGetConnector("CP1"u8, 1, out var connector));
            Assert.Equal(5, connector.Status);
            Assert.True(reopened.State.TryGetCharger("CP1"u8, out var charger));
            Assert.Equal(2, charger.BootCount);
        }
    }

    [Fact]
    public async Task CleanShutdown_TakesAFinalCheckpoint_SoReopenReplaysNothing()
    {
        using var directory = new TempDirectory();
        await using (var storage = StorageEngine.Open(Options(directory.Path)))
        {
            storage.AppendAndApply(Booted("CP1"));
            storage.AppendAndApply(Status("CP1", 1, 3));
        }

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.True(reopened.RecoveryStats.FromCheckpoint);
        Assert.Equal(0, reopened.RecoveryStats.ReplayedEvents);
        Assert.True(reopened.State.TryGetConnector("CP1"u8, 1, out var connector));
        Assert.Equal(3, connector.Status);
    }

    [Fact]
    public async Task ReplayingEventsAlreadyApplied_ChangesNothing()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        var boot = Booted("CP1");
        var address = storage.AppendAndApply(boot);

        storage.State.Apply(boot, address);

        Assert.True(storage.State.TryGetCharger("CP1"u8, out var charger));
        Assert.Equal(1, charger.BootCount);
    }

    [Fact]
    public async Task ReserveTransactionId_IsUnique_UnderConcurrency()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        const int threads = 8;
        const int perThread = 10_000;
        var ids = new int[threads][];

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            var mine = new int[perThread];
            for (var i = 0; i < perThread; i++)
            {
                mine[i] = storage.State.ReserveTransactionId();
            }

            ids[t] = mine;
        })));

        var all = ids.SelectMany(x => x).ToArray();
        Assert.Equal(threads * perThread, all.Distinct().Count());
        Assert.Equal(threads * perThread, all.Max());
        Assert.All(ids, mine => Assert.Equal(mine.Order(), mine));
    }

    [Fact]
    public async Task ConcurrentAppliesForDifferentChargers_AllLand()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(n => Task.Run(() =>
        {
            var id = "CP" + n;
            for (var i = 0; i < 200; i++)
            {
                storage.AppendAndApply(Status(id, 1, (byte)(i % 7)));
            }
        })));

        Assert.Equal(32, storage.State.ListChargers().Count);
        Assert.All(Enumerable.Range(0, 32), n =>
        {
            Assert.True(storage.State.TryGetConnector(Encoding.UTF8.GetBytes("CP" + n), 1, out var c));
            Assert.Equal(199 % 7, c.Status);
        });
    }

    [Fact]
    public async Task ChargersReadAsOffline_AfterReopen()
    {
        using var directory = new TempDirectory();
        await using (var storage = StorageEngine.Open(Options(directory.Path)))
        {
            storage.AppendAndApply(Booted("CP1"));
            Assert.True(storage.State.TryGetCharger("CP1"u8, out var before));
            Assert.True(before.Online);
        }

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.True(reopened.State.TryGetCharger("CP1"u8, out var after));
        Assert.False(after.Online);
        Assert.Equal(1, after.BootCount);
    }

    [Fact]
    public async Task ChargersReadAsOffline_AfterACrash_AndAfterACleanShutdownWithNothingToReplay()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        storage.AppendAndApply(Booted("CP1"));
        await storage.State.CheckpointAsync();
        storage.State.Touch("CP2"u8, 5_000, online: true);
        await storage.State.CheckpointAsync(); // CP1 and CP2 online in the checkpoint, nothing after it
        await storage.CrashAsync();

        // After the crash: the online flags of the checkpoint are stale and cleared.
        await using (var reopened = StorageEngine.Open(Options(directory.Path)))
        {
            Assert.True(reopened.State.TryGetCharger("CP1"u8, out var cp1) && !cp1.Online);
            Assert.True(reopened.State.TryGetCharger("CP2"u8, out var cp2) && !cp2.Online);
            reopened.State.Touch("CP2"u8, 6_000, online: true);
        }

        // After a clean shutdown with CP2 online: the final checkpoint has it offline, no scan needed.
        await using var again = StorageEngine.Open(Options(directory.Path));
        Assert.Equal(0, again.RecoveryStats.ReplayedEvents);
        Assert.True(again.State.TryGetCharger("CP2"u8, out var last) && !last.Online);
        Assert.Equal(6_000, last.LastSeenMs);
    }

    [Fact]
    public async Task CheckpointsTakenDuringConcurrentApplies_LoseNothing_AfterACrash()
    {
        using var directory = new TempDirectory();
        const int chargers = 4;
        const int samples = 300;
        var transactionIds = new int[chargers];
        var storage = StorageEngine.Open(Options(directory.Path));
        using var stop = new CancellationTokenSource();
        var checkpoints = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await storage.State.CheckpointAsync();
            }
        });

        await Task.WhenAll(Enumerable.Range(0, chargers).Select(n => Task.Run(async () =>
        {
            var id = "CP" + n;
            var waiter = new DurabilityWaiter(storage.Log);
            transactionIds[n] = storage.State.ReserveTransactionId();
            storage.AppendAndApply(Started(id, transactionIds[n], 1, 0));
            for (var i = 1; i <= samples; i++)
            {
                await waiter.WaitDurableAsync(storage.AppendAndApply(Sampled(id, transactionIds[n], 1, i * 1_000L, ts: i)));
            }
        })));
        await stop.CancelAsync();
        await checkpoints;
        Assert.True(storage.State.CheckpointCount > 0);
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.All(transactionIds, id =>
        {
            Assert.True(reopened.State.TryGetTransaction(id, out var tx));
            Assert.Equal(samples * 1_000L, tx.LastEnergyMilliWh);
        });
    }
}

using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

/// <summary>OCPP 2.x transactions: charger-chosen ids, seqNo reconciliation, and their recovery.</summary>
public sealed class Ocpp2TransactionStateTests
{
    private static byte[] Started2(string chargerId, int id, string externalId, int seqNo, long meterStart) =>
        Encode(w => EventWriter.WriteTransactionStarted(w, 1_000, U(chargerId), id, 1, "TOKEN"u8, meterStart, 1_000, -1, 1, U(externalId), seqNo));

    private static byte[] Sampled2(string chargerId, int id, int seqNo, long energy) =>
        Encode(w => EventWriter.WriteMeterSampled(w, 2_000, U(chargerId), id, 1, 2_000, energy, "[]"u8, seqNo));

    private static byte[] Ended2(string chargerId, int id, int seqNo, long meterStop) =>
        Encode(w => EventWriter.WriteTransactionEnded(w, 3_000, U(chargerId), id, meterStop, 3_000, "Local"u8, default, default, seqNo));

    [Fact]
    public async Task ACharger2xTransactionId_ResolvesToTheStoreId_AndSurvivesACrash()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        int id = storage.State.ReserveTransactionId();
        var waiter = new DurabilityWaiter(storage.Log);
        await waiter.WaitDurableAsync(storage.AppendAndApply(Started2("CS1", id, "tx-a", 0, 1_000_000)));
        Assert.True(storage.State.TryGetTransactionByExternalId(U("CS1"), U("tx-a"), out int resolved));
        Assert.Equal(id, resolved);
        Assert.False(storage.State.TryGetTransactionByExternalId(U("CS2"), U("tx-a"), out _)); // ids are unique per charger only
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));
        Assert.True(reopened.State.TryGetTransactionByExternalId(U("CS1"), U("tx-a"), out resolved));
        Assert.Equal(id, resolved);
        Assert.True(reopened.State.TryGetTransaction(id, out TransactionState tx));
        Assert.Equal("tx-a", tx.ExternalId);
        Assert.True(tx.HasSeqNo(0));
        Assert.False(tx.HasSeqNo(1));
    }

    [Fact]
    public async Task SeqNos_AreRemembered_AndAnOlderReading_DoesNotMoveTheEnergyBack()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        int id = storage.State.ReserveTransactionId();
        storage.AppendAndApply(Started2("CS1", id, "tx-b", 0, 1_000_000));
        storage.AppendAndApply(Sampled2("CS1", id, 1, 2_000_000));
        storage.AppendAndApply(Sampled2("CS1", id, 3, 3_000_000));
        storage.AppendAndApply(Sampled2("CS1", id, 2, 2_500_000)); // late

        Assert.True(storage.State.TryGetTransaction(id, out TransactionState tx));
        Assert.Equal(3_000_000, tx.LastEnergyMilliWh);
        Assert.True(tx.HasSeqNo(0) && tx.HasSeqNo(1) && tx.HasSeqNo(2) && tx.HasSeqNo(3));
        Assert.False(tx.HasSeqNo(4));

        storage.AppendAndApply(Ended2("CS1", id, 4, 3_200_000));
        storage.AppendAndApply(Sampled2("CS1", id, 5, 9_000_000)); // after the end: kept in the log, not in the energy
        Assert.True(storage.State.TryGetTransaction(id, out tx));
        Assert.Equal(TransactionStatus.Ended, tx.Status);
        Assert.Equal(3_200_000, tx.LastEnergyMilliWh);
    }

    [Fact]
    public void TheSeqNoWindow_Tracks64Numbers_AndCountsOlderOnesAsSeen()
    {
        var record = new TransactionRecord { HighestSeqNo = -1 };
        Assert.False(record.HasSeqNo(0));
        record.NoteSeqNo(5);
        record.NoteSeqNo(3);
        Assert.True(record.HasSeqNo(5) && record.HasSeqNo(3));
        Assert.False(record.HasSeqNo(4));
        record.NoteSeqNo(200); // shifts everything out of the window
        Assert.True(record.HasSeqNo(200));
        Assert.False(record.HasSeqNo(199));
        Assert.True(record.HasSeqNo(100)); // more than 64 below the highest: treated as already applied
        record.NoteSeqNo(-1); // 1.6 events carry none
        Assert.Equal(200, record.HighestSeqNo);
    }

    [Fact]
    public async Task AfterManyGroupCommits_ACrashLosesNoDurableEvent()
    {
        // Fast-commit mode writes the commit-metadata file only every 1,000 commits: recovery must scan the
        // commit records past the last one. 1,500 durable appends, each its own commit, then a crash.
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        int id = storage.State.ReserveTransactionId();
        var waiter = new DurabilityWaiter(storage.Log);
        await waiter.WaitDurableAsync(storage.AppendAndApply(Started("CP1", id, 1, 0)));
        const int samples = 1_500;
        long commitsBefore = storage.Log.CommitCount;
        for (int i = 1; i <= samples; i++)
        {
            await waiter.WaitDurableAsync(storage.AppendAndApply(Sampled("CP1", id, 1, i * 10L, ts: 10_000 + i)));
        }

        Assert.True(storage.Log.CommitCount - commitsBefore > 1_000, "expected more commits than one metadata interval");
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));
        Assert.True(reopened.State.TryGetTransaction(id, out TransactionState tx));
        Assert.Equal(samples * 10L, tx.LastEnergyMilliWh);
    }
}

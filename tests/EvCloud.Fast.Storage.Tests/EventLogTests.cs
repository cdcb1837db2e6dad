using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

public class EventLogTests
{
    [Fact]
    public async Task WaitDurableAsync_Completes_OnceTheAppendIsCommitted()
    {
        using var directory = new TempDirectory();
        await using var log = OpenLog(directory.Path);
        var waiter = new DurabilityWaiter(log);

        var address = log.Append(Status("CP1", 1, 2));
        await waiter.WaitDurableAsync(address);

        Assert.True(log.CommittedUntil > address);
        Assert.True(log.CommitCount >= 1);
    }

    [Fact]
    public async Task WaitDurableAsync_CompletesSynchronously_ForAnAlreadyCommittedAddress()
    {
        using var directory = new TempDirectory();
        await using var log = OpenLog(directory.Path);
        var address = log.Append(Status("CP1", 1, 2));
        await log.FlushAsync();

        var wait = new DurabilityWaiter(log).WaitDurableAsync(address);

        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task OneWaiter_ServesManySequentialWaits()
    {
        using var directory = new TempDirectory();
        await using var log = OpenLog(directory.Path);
        var waiter = new DurabilityWaiter(log);
        var payload = Status("CP1", 1, 2);

        for (var i = 0; i < 50; i++)
        {
            var address = log.Append(payload);
            await waiter.WaitDurableAsync(address);
            Assert.True(log.CommittedUntil > address);
        }
    }

    [Fact]
    public async Task ConcurrentAppenders_ShareGroupCommits()
    {
        using var directory = new TempDirectory();
        await using var log = OpenLog(directory.Path);
        const int appenders = 16;
        const int perAppender = 100;

        await Task.WhenAll(Enumerable.Range(0, appenders).Select(n => Task.Run(async () =>
        {
            var waiter = new DurabilityWaiter(log);
            var payload = Status("CP" + n, 1, 2);
            for (var i = 0; i < perAppender; i++)
            {
                await waiter.WaitDurableAsync(log.Append(payload));
            }
        })));

        Assert.InRange(log.CommitCount, 1, (appenders * perAppender) - 1);
    }

    [Fact]
    public async Task Waits_FailWithObjectDisposed_AfterDisposal()
    {
        using var directory = new TempDirectory();
        var log = OpenLog(directory.Path);
        var waiter = new DurabilityWaiter(log);
        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiter.WaitDurableAsync(log.TailAddress + 1000));
        Assert.Throws<ObjectDisposedException>(() => log.Append(Status("CP1", 1, 2)));
    }

    [Fact]
    public async Task ReadAsync_ReturnsCommittedEntries_InOrder_AndSurvivesReopen()
    {
        using var directory = new TempDirectory();
        var addresses = new List<long>();
        await using (var log = OpenLog(directory.Path))
        {
            for (var i = 0; i < 10; i++)
            {
                addresses.Add(log.Append(Status("CP1", i, 2)));
            }
        }

        await using var reopened = OpenLog(directory.Path);
        var read = new List<(long Address, byte[] Payload)>();
        await foreach (var entry in reopened.ReadAsync(reopened.BeginAddress, follow: false))
        {
            read.Add((entry.Address, entry.Payload.ToArray())); // the payload is the reader's buffer: copied to keep
        }

        // NOTE: in fast-commit mode the log also holds commit records, which the scan skips; FASTER 2.6 then reports
        // an entry that follows commit records at the address of the last one skipped. So the reported address
        // is the append address or lies between it and the previous entry's: order is exact, equality is not.
        Assert.Equal(addresses.Count, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            Assert.True(read[i].Address <= addresses[i] && (i == 0 || read[i].Address > addresses[i - 1]), $"entry {i}: read at {read[i].Address}, appended at {addresses[i]}");
        }

        Assert.Equal(Enumerable.Range(0, 10), read.Select(e => ((StatusChanged)EventReader.Decode(e.Payload)).ConnectorId));

        // A consumer resumes from the Address of the last entry it processed: the scan from there starts with that
        // entry (or the commit records before it), never after it. (NextAddress is not used for resuming: with
        // commit records in between it can point before the next entry.)
        for (var k = 0; k < read.Count; k++)
        {
            await foreach (var entry in reopened.ReadAsync(read[k].Address, follow: false))
            {
                Assert.Equal(k, ((StatusChanged)EventReader.Decode(entry.Payload)).ConnectorId);
                break;
            }
        }
    }

    [Fact]
    public async Task ReadAsync_Follow_DeliversEntriesAppendedLater()
    {
        using var directory = new TempDirectory();
        await using var log = OpenLog(directory.Path);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var start = log.TailAddress;

        var reader = Task.Run(async () =>
        {
            await foreach (var entry in log.ReadAsync(start, follow: true, cancel.Token))
            {
                return EventReader.Decode(entry.Payload);
            }

            return null;
        });
        log.Append(Status("CP-late", 3, 4));

        var decoded = Assert.IsType<StatusChanged>(await reader);
        Assert.Equal("CP-late", decoded.ChargerId);
    }

    [Fact]
    public async Task UncommittedAppends_AreGone_AfterACrash()
    {
        using var directory = new TempDirectory();
        var log = OpenLog(directory.Path);
        var waiter = new DurabilityWaiter(log);
        var durable = log.Append(Status("CP1", 1, 2));
        await waiter.WaitDurableAsync(durable);
        var committed = log.CommittedUntil;
        await log.CrashAsync();

        await using var reopened = OpenLog(directory.Path);

        Assert.Equal(committed, reopened.RecoveredCommittedUntil);
        Assert.True(reopened.CommittedUntil > durable);
    }
}

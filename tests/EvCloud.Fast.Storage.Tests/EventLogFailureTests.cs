using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Tests.Shared;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

public class EventLogFailureTests
{
    /// <summary>Bounds a wait that must end on its own, so a regression fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static EventLog OpenGated(string directory, LogDeviceGate gate) =>
        EventLog.Open(new EventLogOptions { DataDirectory = directory, PageSize = 1 << 16, MemorySize = 1 << 20, SegmentSize = 1 << 22, CreateDevice = gate.Create });

    [Fact]
    public async Task AWait_FailsWithDurabilityException_WhenItsCommitsWriteFails()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        await using var log = OpenGated(directory.Path, gate);
        gate.Fail();

        var address = log.Append(Status("CP1", 1, 2));
        var wait = new DurabilityWaiter(log).WaitDurableAsync(address).AsTask();

        await Assert.ThrowsAsync<DurabilityException>(() => wait.WaitAsync(Bound));
        Assert.NotNull(log.CommitFailure);
        Assert.NotNull(log.FailingSince);
        Assert.True(log.CommitFailureCount >= 1);
        Assert.True(log.CommittedUntil <= address, "a failed write must not count as committed");
    }

    [Fact]
    public async Task ANewWait_FailsAtOnce_WhileCommitsFail()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        await using var log = OpenGated(directory.Path, gate);
        gate.Fail();
        var first = new DurabilityWaiter(log).WaitDurableAsync(log.Append(Status("CP1", 1, 2))).AsTask();
        await Assert.ThrowsAsync<DurabilityException>(() => first.WaitAsync(Bound));

        var second = new DurabilityWaiter(log).WaitDurableAsync(log.Append(Status("CP2", 1, 2)));

        Assert.True(second.IsFaulted, "a wait asked while the disk fails must fail, not hang");
        await Assert.ThrowsAsync<DurabilityException>(() => second.AsTask());
    }

    [Fact]
    public async Task Commits_Resume_AndTheEventsAppendedMeanwhileBecomeDurable_OnceTheDiskIsBack()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        long failedAddress;
        await using (var log = OpenGated(directory.Path, gate))
        {
            gate.Fail();
            failedAddress = log.Append(Status("CP1", 1, 2));
            await Assert.ThrowsAsync<DurabilityException>(() => new DurabilityWaiter(log).WaitDurableAsync(failedAddress).AsTask().WaitAsync(Bound));

            gate.Open();
            await log.WhenCommittingAsync().WaitAsync(Bound);

            Assert.Null(log.CommitFailure);
            Assert.Null(log.FailingSince);
            Assert.True(log.CommittedUntil > failedAddress, "the write that failed is retried, not skipped");
            var later = log.Append(Status("CP1", 1, 3));
            await new DurabilityWaiter(log).WaitDurableAsync(later).AsTask().WaitAsync(Bound);
        }

        await using var reopened = OpenLog(directory.Path);
        var addresses = new List<long>();
        await foreach (var entry in reopened.ReadAsync(reopened.BeginAddress, follow: false))
        {
            addresses.Add(entry.Address);
        }

        Assert.Equal(2, addresses.Count);
    }

    [Fact]
    public async Task AWait_DoesNotComplete_WhileItsCommitIsHeldAtTheDisk()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        await using var log = OpenGated(directory.Path, gate);
        gate.Hold();

        var address = log.Append(Status("CP1", 1, 2));
        var wait = new DurabilityWaiter(log).WaitDurableAsync(address);
        await gate.WriteHeld.WaitAsync(Bound);

        Assert.False(wait.IsCompleted, "durable before the disk took the write");
        Assert.True(log.PendingCommitAge >= TimeSpan.Zero);
        gate.Open();
        await wait.AsTask().WaitAsync(Bound);
        Assert.True(log.CommittedUntil > address);
        Assert.Equal(TimeSpan.Zero, log.PendingCommitAge);
    }

    [Fact]
    public async Task Disposing_WhileTheDiskFails_FailsTheWaitersAndDoesNotHang()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        var log = OpenGated(directory.Path, gate);
        gate.Fail();
        log.Append(Status("CP1", 1, 2));
        await gate.WriteFailed.WaitAsync(Bound);

        await log.DisposeAsync().AsTask().WaitAsync(Bound);
    }
}

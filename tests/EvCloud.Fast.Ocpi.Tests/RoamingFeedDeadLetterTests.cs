using System.Buffers;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>The roaming feed never skips an event whose hand-off failed: it dead-letters it, and a retry hands it over.</summary>
public sealed class RoamingFeedDeadLetterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-feed-" + Guid.NewGuid().ToString("N"));
    private readonly FlakyHandoff _handoff = new();
    private StorageEngine _storage = null!;
    private RoamingFeed _feed = null!;

    public async Task InitializeAsync()
    {
        _storage = StorageEngine.Open(SmallStorage.Options(_directory));
        _feed = new RoamingFeed(_storage, _handoff, TimeProvider.System, NullLogger<RoamingFeed>.Instance);
        await _feed.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _feed.StopAsync(CancellationToken.None);
        _feed.Dispose();
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ACdrWhoseHandOffFails_IsDeadLetteredWithItsReason_AndARetryHandsItOver()
    {
        _handoff.FailCdr = "CDR-1";
        Record("CDR-1", 1);
        Record("CDR-2", 2);

        // CDR-2 behind it is handed over: the feed moved on, but only after recording CDR-1 as a dead letter.
        await _handoff.Handled("CDR-2").WaitAsync(TimeSpan.FromSeconds(30));
        FeedDeadLetter dead = Assert.Single(_feed.DeadLetters());
        Assert.Equal("CDR-1", dead.CdrId);
        Assert.Equal(1, dead.TransactionId);
        Assert.Equal(nameof(DomainEventKind.CdrRecorded), dead.Kind);
        Assert.Equal(RoamingFeed.HandoffAttempts, dead.Attempts);
        Assert.Contains("outbox unavailable", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(RoamingFeed.HandoffAttempts, _handoff.Attempts("CDR-1"));

        // Still failing: kept, with the attempt counted.
        FeedDeadLetter again = (await _feed.RetryDeadAsync(dead.Address))!;
        Assert.NotEmpty(again.Reason);
        Assert.Equal(RoamingFeed.HandoffAttempts + 1, Assert.Single(_feed.DeadLetters()).Attempts);

        _handoff.FailCdr = null;
        FeedDeadLetter done = (await _feed.RetryDeadAsync(dead.Address))!;
        Assert.Empty(done.Reason);
        Assert.True(_handoff.Handled("CDR-1").IsCompleted);
        Assert.Empty(_feed.DeadLetters());
        Assert.Null(await _feed.RetryDeadAsync(dead.Address));
    }

    private void Record(string cdrId, int transactionId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        EventWriter.WriteCdrRecorded(buffer, 1_000, "CP-1", cdrId, transactionId, "EUR", "3.00", "3.63", "10", false);
        _storage.State.AppendAndApply(buffer.WrittenSpan);
    }

    /// <summary>Fails the hand-off of one CDR while told to; records every attempt and every CDR handed over.</summary>
    private sealed class FlakyHandoff : IRoamingHandoff
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, int> _attempts = [];
        private readonly Dictionary<string, TaskCompletionSource> _handled = [];

        public volatile string? FailCdr;

        public int Attempts(string cdrId)
        {
            lock (_lock)
            {
                return _attempts.GetValueOrDefault(cdrId);
            }
        }

        public Task Handled(string cdrId)
        {
            lock (_lock)
            {
                return Source(cdrId).Task;
            }
        }

        public Task<bool> HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken)
        {
            if (domainEvent is not CdrRecorded recorded)
            {
                return Task.FromResult(false);
            }

            lock (_lock)
            {
                _attempts[recorded.CdrId] = _attempts.GetValueOrDefault(recorded.CdrId) + 1;
                if (recorded.CdrId == FailCdr)
                {
                    throw new InvalidOperationException("outbox unavailable");
                }

                Source(recorded.CdrId).TrySetResult();
            }

            return Task.FromResult(true);
        }

        public Task FlushDueAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private TaskCompletionSource Source(string cdrId)
        {
            if (!_handled.TryGetValue(cdrId, out TaskCompletionSource? source))
            {
                source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _handled[cdrId] = source;
            }

            return source;
        }
    }
}

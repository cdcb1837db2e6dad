using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

/// <summary>Storage failures are never swallowed: each is logged at Error, counted, and visible on the engine.</summary>
public class StorageFailureReportingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AFailedCommit_IsLoggedAtError()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        var logs = new ListLoggerFactory();
        var options = Options(directory.Path);
        options.Log.CreateDevice = gate.Create;
        await using var storage = StorageEngine.Open(options, logs);
        gate.Fail();

        var wait = new DurabilityWaiter(storage.Log).WaitDurableAsync(storage.AppendAndApply(Status("CP1", 1, 2))).AsTask();
        await Assert.ThrowsAsync<DurabilityException>(() => wait.WaitAsync(Bound));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(EventLog), StringComparison.Ordinal) && e.Exception is not null);

        // The disk is back: the retried write succeeds before the store closes (closing checkpoints over a durable log).
        gate.Open();
        await storage.Log.WhenCommittingAsync().WaitAsync(Bound);
    }

    [Fact]
    public async Task AFailedCheckpoint_IsLoggedAtError_Counted_AndClearedByTheNextSuccess()
    {
        using var directory = new TempDirectory();
        var gate = new LogDeviceGate();
        var logs = new ListLoggerFactory();
        var options = Options(directory.Path);
        options.Log.CreateDevice = gate.Create;
        await using var storage = StorageEngine.Open(options, logs);
        // The disk fails before the event is appended: its commit cannot succeed, whenever the commit loop runs.
        gate.Fail();
        storage.AppendAndApply(Status("CP1", 1, 2));

        // NOTE: a checkpoint commits only over a durable log; while the log cannot commit, neither can it.
        await Assert.ThrowsAsync<DurabilityException>(() => storage.State.CheckpointAsync().AsTask().WaitAsync(Bound));

        Assert.NotNull(storage.State.LastCheckpointError);
        Assert.Equal(1, storage.State.ConsecutiveCheckpointFailures);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith("ChargerStateStore", StringComparison.Ordinal) && e.Message.Contains("checkpoint", StringComparison.OrdinalIgnoreCase));

        gate.Open();
        await storage.Log.WhenCommittingAsync().WaitAsync(Bound);
        await storage.State.CheckpointAsync();
        Assert.Null(storage.State.LastCheckpointError);
        Assert.Equal(0, storage.State.ConsecutiveCheckpointFailures);
    }

    [Fact]
    public async Task AnUndecodableEntry_IsSkippedAtRecovery_AndLoggedAtErrorWithItsAddress()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        storage.AppendAndApply(Status("CP1", 1, 2));
        long bad = storage.Log.Append([0x93, 0xC1, 0xC1, 0xC1]); // a MessagePack array of three never-used bytes (0xC1)
        await storage.Log.FlushAsync();
        await storage.CrashAsync(); // no final checkpoint: recovery replays both entries

        var logs = new ListLoggerFactory();
        await using var reopened = StorageEngine.Open(Options(directory.Path), logs);

        Assert.Equal(1, reopened.RecoveryStats.SkippedEvents);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private sealed record LogEntryRecord(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Keeps every log entry of every logger it creates.</summary>
    private sealed class ListLoggerFactory : ILoggerFactory
    {
        private readonly List<LogEntryRecord> _entries = [];

        public IReadOnlyList<LogEntryRecord> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, this);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private void Add(LogEntryRecord entry)
        {
            lock (_entries)
            {
                _entries.Add(entry);
            }
        }

        private sealed class ListLogger(string category, ListLoggerFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Add(new LogEntryRecord(category, logLevel, formatter(state, exception), exception));
        }
    }
}

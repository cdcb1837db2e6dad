using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// The durable domain event log: a FasterLog under <c>&lt;DataDirectory&gt;/log</c> with group commit.
/// Appends land in memory; one background loop flushes them, at most once per
/// <see cref="EventLogOptions.CommitInterval"/> and back to back while work keeps arriving, so
/// every append that arrives during a flush shares the next one.
/// </summary>
/// <remarks>
/// <para>Addresses are FasterLog logical addresses: an entry at address A is durable once
/// <see cref="CommittedUntil"/> &gt; A. Stop appending before disposing.</para>
/// <para>A failed write (full or failing disk) is retried by the log's device until it succeeds, so nothing appended is
/// lost or skipped; meanwhile every waiter fails with <see cref="DurabilityException"/> (nothing waiting on the log is
/// acknowledged), <see cref="CommitFailure"/> says why, and the first successful commit afterwards clears it.</para>
/// </remarks>
public sealed partial class EventLog : IAsyncDisposable, IDisposable
{
    private readonly RetryingLogDevice _device;
    private readonly ILogger _logger;
    private readonly FasterLog _log;
    private readonly TimeSpan _commitInterval;
    private readonly CommitSignal _signal = new();
    private readonly Lock _waitersLock = new();
    private readonly Task _commitLoop;

    /// <summary>Registered waiters; the commit loop compacts it in place, so steady state never grows it.</summary>
    private readonly List<DurabilityWaiter> _waiters = new(capacity: 1024);
    private readonly List<DurabilityWaiter> _completing = new(capacity: 1024);

    private long _commitCount;
    private long _lastCommitTicks;
    private long _lastCommitStart;
    private long _commitStartedMs;
    private long _commitFailureCount;

    /// <summary>Why commits fail, while they do (written under the waiters' lock, so no waiter registers past it).</summary>
    private Exception? _failure;
    private long _failingSinceMs;
    private TaskCompletionSource? _recovered;
    private volatile bool _stopping;
    private int _disposed;

    private EventLog(EventLogOptions options, RetryingLogDevice device, FasterLog log, ILogger logger)
    {
        _device = device;
        _log = log;
        _logger = logger;
        _commitInterval = options.CommitInterval;
        RecoveredCommittedUntil = log.CommittedUntilAddress;
        _commitLoop = Task.Run(RunCommitLoopAsync);
    }

    internal enum Registration
    {
        Pending,
        AlreadyDurable,
        Disposed,
        Failing,
    }

    /// <summary>First address still in the log (moves when the log is truncated).</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Address the next append will get (not yet durable).</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>Every entry below this address is on disk and survives a crash.</summary>
    public long CommittedUntil => Volatile.Read(ref _log.CommittedUntilAddress);

    /// <summary>Committed tail found on open; entries below it were recovered from disk.</summary>
    public long RecoveredCommittedUntil { get; }

    /// <summary>Group commits performed since open; appends ÷ commits is the batching factor.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <summary>Duration of the most recent group commit (also recorded in <c>evcloud.log.commit.duration</c>).</summary>
    public TimeSpan LastCommitDuration => TimeSpan.FromTicks(Interlocked.Read(ref _lastCommitTicks));

    /// <summary>
    /// While commits fail: the error (a failed device write or commit), else null. Every waiter fails meanwhile; the
    /// first commit that succeeds again clears it.
    /// </summary>
    public Exception? CommitFailure => Volatile.Read(ref _failure);

    /// <summary>When the current run of commit failures began; null while commits succeed.</summary>
    public DateTimeOffset? FailingSince => Volatile.Read(ref _failure) is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _failingSinceMs));

    /// <summary>Failed device writes and commits since open (also counted in <c>evcloud.log.commit.failures</c>).</summary>
    public long CommitFailureCount => Interlocked.Read(ref _commitFailureCount);

    /// <summary>
    /// How long the group commit in progress has taken so far; zero between commits. A commit that hangs (a disk
    /// that neither answers nor fails) shows here even though no error is reported.
    /// </summary>
    public TimeSpan PendingCommitAge
    {
        get
        {
            var started = Interlocked.Read(ref _commitStartedMs);
            return started == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, Environment.TickCount64 - started));
        }
    }

    /// <summary>Completes once commits succeed: at once while they do, else with the first commit that succeeds again.</summary>
    internal Task WhenCommittingAsync()
    {
        lock (_waitersLock)
        {
            return _recovered?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>Commits between two commit-metadata files in fast-commit mode (bounds the recovery scan).</summary>
    private const int FastCommitMetadataEvery = 1000;

    /// <summary>Opens (or creates) the log and recovers its committed tail; commit failures are logged to <paramref name="logger"/>.</summary>
    public static EventLog Open(EventLogOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.Combine(Path.GetFullPath(options.DataDirectory), options.Name);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "events.log");
        var inner = options.CreateDevice?.Invoke(path) ?? Devices.CreateLogDevice(path, recoverDevice: true);

        // NOTE: the device exists before the log, and its failures go to the log: the callback finds it through this box.
        EventLog? opened = null;
        var device = new RetryingLogDevice(inner, error => opened?.OnWriteFailed(error));
        FasterLog? log = null;
        try
        {
            var settings = new FasterLogSettings
            {
                LogDevice = device,
                PageSize = options.PageSize,
                MemorySize = options.MemorySize,
                SegmentSize = options.SegmentSize,
                TryRecoverLatest = false,

                // Fast commit: a commit is a record in the log itself, made durable by the same flush as the
                // events, instead of a separate metadata file per commit (a file created and synced each
                // time: ~1 ms and ~8.6 KB of allocations per commit). The metadata file is still written every
                // FastCommitMetadataEvery commits; recovery reads the newest and scans forward for commit records.
                FastCommitMode = options.FastCommit,
                LogCommitManager = new DeviceLogCommitCheckpointManager(
                    new LocalStorageNamedDeviceFactory(),
                    new DefaultCheckpointNamingScheme(Path.Combine(directory, "commits")),
                    removeOutdated: true,
                    fastCommitThrottleFreq: options.FastCommit ? FastCommitMetadataEvery : 0),
            };
            log = new FasterLog(settings);
            log.Recover();
            opened = new EventLog(options, device, log, logger ?? NullLogger.Instance);
            return opened;
        }
        catch
        {
            log?.Dispose();
            device.Dispose();
            throw;
        }
    }

    private long _appendedCount;

    /// <summary>
    /// Entries appended since this log was opened (at addresses from <see cref="RecoveredCommittedUntil"/> on): a
    /// follower that counts the entries it read from there gets its lag in entries (<c>evcloud.cdr.pipeline.lag.events</c>).
    /// </summary>
    public long AppendedCount => Interlocked.Read(ref _appendedCount);

    /// <summary>
    /// Appends one encoded event in memory and returns its address; it is not durable until a
    /// <see cref="DurabilityWaiter"/> says so. Does not allocate. When the in-memory log is full
    /// (the disk fell <see cref="EventLogOptions.MemorySize"/> behind) it spins until a flush frees a page.
    /// </summary>
    public long Append(ReadOnlySpan<byte> encodedEvent)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (!_log.TryEnqueue(encodedEvent, out var address))
        {
            address = AppendSlow(encodedEvent);
        }

        _signal.Set();
        StorageMetrics.Appended.Add(1);
        Interlocked.Increment(ref _appendedCount);
        return address;
    }

    /// <summary>
    /// Asks for a commit now and waits until everything appended so far is durable; fails with
    /// <see cref="DurabilityException"/> while commits fail.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var tail = _log.TailAddress;
        await new DurabilityWaiter(this).WaitDurableAsync(tail - 1).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads committed entries from <paramref name="fromAddress"/> (an address from
    /// <see cref="Append"/>, an Address this method returned, or <see cref="BeginAddress"/>). With
    /// <paramref name="follow"/> it waits for new commits until cancelled or the log is disposed;
    /// without it, it stops at the committed tail seen when called.
    /// </summary>
    /// <remarks>
    /// <para>Allocates nothing per entry: each entry is copied into one buffer the reader reuses, so its
    /// <see cref="LogEntry.Payload"/> is valid only until the enumerator moves on (decode it, or copy it, first). Every
    /// log consumer (CDR pipeline, roaming feed, event streams) reads every entry, so a copy per entry per consumer was
    /// most of what the server allocated per message.</para>
    /// <para>NOTE: the log also holds fast-commit records, which the scan skips. FASTER then reports an entry that
    /// follows commit records at an address at or below its append address (still above the previous entry's),
    /// and NextAddress may point at a commit record. To resume, read from the last processed entry's Address
    /// and skip that entry: the scan never starts after it.</para>
    /// </remarks>
    public async IAsyncEnumerable<LogEntry> ReadAsync(
        long fromAddress, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var end = follow ? long.MaxValue : CommittedUntil;
        using var iterator = _log.Scan(Math.Max(fromAddress, _log.BeginAddress), end);
        var copy = new EntryCopy();
        while (true)
        {
            while (iterator.TryConsumeNext(copy))
            {
                yield return new LogEntry(copy.Address, copy.NextAddress, copy.Buffer.AsMemory(0, copy.Length));
            }

            if (!await iterator.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Reads the committed entry appended at <paramref name="address"/> (an address <see cref="Append"/> returned).
    /// Only for logs opened without <see cref="EventLogOptions.FastCommit"/>, whose scan addresses are exact too.
    /// </summary>
    public async ValueTask<byte[]> ReadEntryAsync(long address, CancellationToken cancellationToken = default)
    {
        if (address >= CommittedUntil || address < _log.BeginAddress)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "Not a committed entry of this log.");
        }

        var (entry, length) = await _log.ReadAsync(address, 0, cancellationToken).ConfigureAwait(false);
        return entry.Length == length ? entry : entry[..length];
    }

    /// <summary>
    /// Feeds every committed entry from <paramref name="fromAddress"/> to the committed tail seen
    /// at the start to <paramref name="handler"/>, synchronously; returns how many were fed. Used
    /// by state recovery, which runs before anything else appends.
    /// </summary>
    internal long Replay(long fromAddress, LogEntryHandler handler)
    {
        var end = CommittedUntil;
        var count = 0L;
        using var iterator = _log.Scan(Math.Max(fromAddress, _log.BeginAddress), end);
        while (true)
        {
            while (iterator.GetNext(out var entry, out var length, out var address))
            {
                handler(entry.AsSpan(0, length), address);
                count++;
            }

            if (!iterator.WaitAsync().AsTask().GetAwaiter().GetResult())
            {
                return count;
            }
        }
    }

    internal Registration Register(DurabilityWaiter waiter, out Exception? failure)
    {
        lock (_waitersLock)
        {
            failure = _failure;
            if (_stopping)
            {
                return Registration.Disposed;
            }

            if (CommittedUntil > waiter.Address)
            {
                return Registration.AlreadyDurable;
            }

            if (failure is not null)
            {
                // NOTE: not a hang: while the disk fails, a wait fails at once; the charger retries later.
                return Registration.Failing;
            }

            _waiters.Add(waiter);
        }

        _signal.Set();
        return Registration.Pending;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Commits what was appended, completes the waiters it covers, fails the rest, and closes the files.</summary>
    public ValueTask DisposeAsync() => CloseAsync(finalCommit: true);

    /// <summary>
    /// Closes without the final commit, as a kill -9 would: whatever the commit loop had not yet
    /// flushed is lost. For crash tests only.
    /// </summary>
    internal ValueTask CrashAsync() => CloseAsync(finalCommit: false);

    private async ValueTask CloseAsync(bool finalCommit)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_waitersLock)
        {
            _stopping = true;
        }

        // A write that fails from here on fails the commit instead of being retried: closing must not wait for a disk.
        _device.StopRetrying();
        _signal.Set();
        await _commitLoop.ConfigureAwait(false);
        if (finalCommit)
        {
            await CommitOnceAsync().ConfigureAwait(false);
        }

        FailAllWaiters(new ObjectDisposedException(nameof(EventLog)));
        lock (_waitersLock)
        {
            _recovered?.TrySetException(new ObjectDisposedException(nameof(EventLog)));
        }

        _log.Dispose();
        _device.Dispose();
    }

    private long AppendSlow(ReadOnlySpan<byte> encodedEvent)
    {
        var spinner = new SpinWait();
        long address;
        while (!_log.TryEnqueue(encodedEvent, out address))
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (Volatile.Read(ref _failure) is { } failure)
            {
                // The in-memory log is full because the disk takes nothing: refuse rather than spin until it does.
                throw new DurabilityException(failure);
            }

            _signal.Set();
            spinner.SpinOnce();
        }

        return address;
    }

    private async Task RunCommitLoopAsync()
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            if (_stopping)
            {
                return;
            }

            var sinceLastStart = Stopwatch.GetElapsedTime(_lastCommitStart);
            if (sinceLastStart < _commitInterval)
            {
                await Task.Delay(_commitInterval - sinceLastStart).ConfigureAwait(false);
            }

            if (!await CommitOnceAsync().ConfigureAwait(false))
            {
                // FasterLog itself failed (not a device write, which the device retries): try again, but not 500 times a second.
                await Task.Delay(FailedCommitBackoff).ConfigureAwait(false);
            }

            if (_log.TailAddress > CommittedUntil)
            {
                _signal.Set();
            }
        }
    }

    /// <summary>Pause after a commit that threw, before the next attempt.</summary>
    private static readonly TimeSpan FailedCommitBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Commits what was appended and completes the waiters it covers; false when the commit threw.</summary>
    private async ValueTask<bool> CommitOnceAsync()
    {
        if (_log.TailAddress > CommittedUntil)
        {
            _lastCommitStart = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _commitStartedMs, Environment.TickCount64);
            try
            {
                await _log.CommitAsync().ConfigureAwait(false);
            }
            catch (Exception error)
            {
                // NOTE: a failed flush proves nothing about durability; its waiters must not be told "durable".
                OnCommitFailed(error);
                return false;
            }
            finally
            {
                Interlocked.Exchange(ref _commitStartedMs, 0);
            }

            var elapsed = Stopwatch.GetElapsedTime(_lastCommitStart);
            Interlocked.Exchange(ref _lastCommitTicks, elapsed.Ticks);
            Interlocked.Increment(ref _commitCount);
            StorageMetrics.CommitDuration.Record(elapsed.TotalMilliseconds);
        }

        if (Volatile.Read(ref _failure) is not null)
        {
            OnCommitsRecovered();
        }

        CompleteDurableWaiters(CommittedUntil);
        return true;
    }

    /// <summary>A device write failed (the device retries it): nothing waiting now may be told "durable".</summary>
    private void OnWriteFailed(Exception error) => OnCommitFailed(error);

    private void OnCommitFailed(Exception error)
    {
        bool first;
        lock (_waitersLock)
        {
            first = _failure is null;
            _failure = error;
            if (first)
            {
                Interlocked.Exchange(ref _failingSinceMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                _recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Interlocked.Increment(ref _commitFailureCount);
        StorageMetrics.CommitFailures.Add(1);
        if (first)
        {
            LogCommitsFailing(_logger, _log.TailAddress - CommittedUntil, error);
        }
        else
        {
            LogCommitStillFailing(_logger, error.Message);
        }

        FailAllWaiters(new DurabilityException(error));
    }

    private void OnCommitsRecovered()
    {
        long since;
        TaskCompletionSource? recovered;
        lock (_waitersLock)
        {
            if (_failure is null)
            {
                return;
            }

            _failure = null;
            since = Interlocked.Read(ref _failingSinceMs);
            recovered = _recovered;
            _recovered = null;
        }

        recovered?.TrySetResult();

        LogCommitsRecovered(_logger, TimeSpan.FromMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - since), CommittedUntil);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log commits fail ({PendingBytes} bytes not durable): nothing waiting for durability is acknowledged until a commit succeeds; the write is retried")]
    private static partial void LogCommitsFailing(ILogger logger, long pendingBytes, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event log write failed again: {Reason}")]
    private static partial void LogCommitStillFailing(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log commits succeed again after {Duration}; committed until {CommittedUntil}")]
    private static partial void LogCommitsRecovered(ILogger logger, TimeSpan duration, long committedUntil);

    private void CompleteDurableWaiters(long committedUntil)
    {
        lock (_waitersLock)
        {
            var kept = 0;
            for (var i = 0; i < _waiters.Count; i++)
            {
                var waiter = _waiters[i];
                if (waiter.Address < committedUntil)
                {
                    _completing.Add(waiter);
                }
                else
                {
                    _waiters[kept++] = waiter;
                }
            }

            _waiters.RemoveRange(kept, _waiters.Count - kept);
        }

        foreach (var waiter in _completing)
        {
            waiter.Complete();
        }

        _completing.Clear();
    }

    private void FailAllWaiters(Exception error)
    {
        lock (_waitersLock)
        {
            _completing.AddRange(_waiters);
            _waiters.Clear();
        }

        foreach (var waiter in _completing)
        {
            waiter.Fail(error);
        }

        _completing.Clear();
    }

    /// <summary>Copies each scanned entry into a buffer kept across entries (grown to the largest entry seen).</summary>
    private sealed class EntryCopy : ILogEntryConsumer
    {
        public byte[] Buffer { get; private set; } = new byte[1024];

        public int Length { get; private set; }

        public long Address { get; private set; }

        public long NextAddress { get; private set; }

        public void Consume(ReadOnlySpan<byte> entry, long currentAddress, long nextAddress)
        {
            if (entry.Length > Buffer.Length)
            {
                Buffer = new byte[(int)BitOperations.RoundUpToPowerOf2((uint)entry.Length)];
            }

            entry.CopyTo(Buffer);
            Length = entry.Length;
            Address = currentAddress;
            NextAddress = nextAddress;
        }
    }
}

using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using FASTER.core;

namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// The durable domain event log: a FasterLog under <c>&lt;DataDirectory&gt;/log</c> with group commit.
/// Appends land in memory; one background loop flushes them, at most once per
/// <see cref="EventLogOptions.CommitInterval"/> and back to back while work keeps arriving, so
/// every append that arrives during a flush shares the next one.
/// </summary>
/// <remarks>
/// Addresses are FasterLog logical addresses: an entry at address A is durable once
/// <see cref="CommittedUntil"/> &gt; A. Stop appending before disposing.
/// </remarks>
public sealed class EventLog : IAsyncDisposable, IDisposable
{
    private readonly IDevice _device;
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
    private volatile bool _stopping;
    private int _disposed;

    private EventLog(EventLogOptions options, IDevice device, FasterLog log)
    {
        _device = device;
        _log = log;
        _commitInterval = options.CommitInterval;
        RecoveredCommittedUntil = log.CommittedUntilAddress;
        _commitLoop = Task.Run(RunCommitLoopAsync);
    }

    internal enum Registration
    {
        Pending,
        AlreadyDurable,
        Disposed,
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

    /// <summary>Commits between two commit-metadata files in fast-commit mode (bounds the recovery scan).</summary>
    private const int FastCommitMetadataEvery = 1000;

    /// <summary>Opens (or creates) the log and recovers its committed tail.</summary>
    public static EventLog Open(EventLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.Combine(Path.GetFullPath(options.DataDirectory), options.Name);
        Directory.CreateDirectory(directory);
        var device = Devices.CreateLogDevice(Path.Combine(directory, "events.log"), recoverDevice: true);
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
            return new EventLog(options, device, log);
        }
        catch
        {
            log?.Dispose();
            device.Dispose();
            throw;
        }
    }

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
        return address;
    }

    /// <summary>Asks for a commit now and waits until everything appended so far is durable.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var tail = _log.TailAddress;
        _signal.Set();
        await _log.WaitForCommitAsync(tail, token: cancellationToken).ConfigureAwait(false);
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

    internal Registration Register(DurabilityWaiter waiter)
    {
        lock (_waitersLock)
        {
            if (_stopping)
            {
                return Registration.Disposed;
            }

            if (CommittedUntil > waiter.Address)
            {
                return Registration.AlreadyDurable;
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

        _signal.Set();
        await _commitLoop.ConfigureAwait(false);
        if (finalCommit)
        {
            await CommitOnceAsync().ConfigureAwait(false);
        }

        FailAllWaiters(new ObjectDisposedException(nameof(EventLog)));
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

            await CommitOnceAsync().ConfigureAwait(false);
            if (_log.TailAddress > CommittedUntil)
            {
                _signal.Set();
            }
        }
    }

    private async ValueTask CommitOnceAsync()
    {
        if (_log.TailAddress > CommittedUntil)
        {
            _lastCommitStart = Stopwatch.GetTimestamp();
            try
            {
                await _log.CommitAsync().ConfigureAwait(false);
            }
            catch (Exception error)
            {
                // NOTE: a failed flush proves nothing about durability; its waiters must not be told "durable".
                FailAllWaiters(error);
                return;
            }

            var elapsed = Stopwatch.GetElapsedTime(_lastCommitStart);
            Interlocked.Exchange(ref _lastCommitTicks, elapsed.Ticks);
            Interlocked.Increment(ref _commitCount);
            StorageMetrics.CommitDuration.Record(elapsed.TotalMilliseconds);
        }

        CompleteDurableWaiters(CommittedUntil);
    }

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

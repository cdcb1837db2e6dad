using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using EvCloud.Fast.Cluster.Nats;

namespace EvCloud.Fast.Cluster.Ownership;

/// <summary>
/// The cluster's directory of chargers: a JetStream KV bucket mapping charge point id → (gateway, epoch), with fenced
/// ownership. A gateway claims a charger by compare-and-set on the key's revision (create when absent, update with
/// the expected revision otherwise, epoch + 1), and watches the bucket: when another gateway writes a key this one
/// holds, the holder's callback runs (the gateway closes its stale socket with 1001).
/// </summary>
/// <remarks>
/// <para>Of two gateways claiming one id at once, exactly one compare-and-set succeeds; the other learns the winner
/// and gives up (its charger's socket is closed; the charger reconnects wherever its load balancer sends it, and
/// that gateway claims again). A claim never retries past a foreign write: retrying would just move the charger
/// back and forth between two sockets of which one is about to die.</para>
/// <para>Stale sockets close within the watch's delivery time (one JetStream push, milliseconds on a healthy
/// cluster). While this gateway is cut off from NATS it learns nothing; its watch resumes after the last revision it
/// saw once the connection is back, so no takeover is missed, only delayed.</para>
/// <para>Entries stay when a charger disconnects: the owner of record is the last gateway that had it, which is
/// where a command for it goes. A gateway that starts claims nothing: it holds no socket yet.</para>
/// </remarks>
public sealed partial class ChargerDirectory : IAsyncDisposable
{
    /// <summary>Revisions kept per key: the history a restarted gateway reads its own last epoch from.</summary>
    public const long History = 16;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly ClusterConnection _nats;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Holding> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<INatsKVStore> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _watchedLock = new();
    private TaskCompletionSource _watched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private long _watchedRevision;

    /// <summary>Creates the directory; <see cref="Start"/> opens the bucket and the watch.</summary>
    public ChargerDirectory(ClusterConnection nats, ILogger<ChargerDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(nats);
        _nats = nats;
        _logger = logger;
    }

    /// <summary>This gateway's node id.</summary>
    public string NodeId => _nats.NodeId;

    /// <summary>Completes once the bucket is open and the watch covers every later write.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The highest revision the watch has delivered (tests await it instead of sleeping).</summary>
    public long WatchedRevision => Interlocked.Read(ref _watchedRevision);

    /// <summary>Completes once the watch has handled every write up to <paramref name="revision"/>.</summary>
    public async Task WhenWatchedAsync(ulong revision, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task next;
            lock (_watchedLock)
            {
                if ((ulong)WatchedRevision >= revision)
                {
                    return;
                }

                next = _watched.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Chargers this gateway holds a claim for now.</summary>
    public int HeldCount => _held.Count;

    /// <summary>Whether this gateway holds a claim for <paramref name="chargePointId"/> now.</summary>
    public bool Holds(string chargePointId) => _held.ContainsKey(chargePointId);

    /// <summary>Opens the bucket and starts the watch in the background, retrying while NATS is unreachable.</summary>
    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>
    /// Claims <paramref name="chargePointId"/> for this gateway. <paramref name="onLost"/> runs (on the watch's
    /// thread, at most once) when another gateway takes it over later; <paramref name="holder"/> identifies this
    /// claim for <see cref="Release"/>. Transient NATS failures are retried until <paramref name="cancellationToken"/>
    /// ends the claim (the connection went away).
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(string chargePointId, object holder, Action<ChargerOwner> onLost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        var holding = new Holding(holder, onLost);
        _held[chargePointId] = holding; // a newer local connection of the same id supersedes the older one's claim
        string key = DirectoryKey.Encode(chargePointId);
        TimeSpan backoff = TimeSpan.FromMilliseconds(50);
        try
        {
            while (true)
            {
                try
                {
                    INatsKVStore store = await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    ClaimResult? result = await TryClaimOnceAsync(store, key, chargePointId, holding, cancellationToken).ConfigureAwait(false);
                    if (result is { } decided)
                    {
                        return decided;
                    }

                    backoff = TimeSpan.FromMilliseconds(50);
                }
                catch (Exception ex) when (ex is NatsException or TimeoutException or NatsKVException && !cancellationToken.IsCancellationRequested)
                {
                    LogClaimRetry(_logger, chargePointId, ex.Message);
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
        }
        catch
        {
            _held.TryRemove(KeyValuePair.Create(chargePointId, holding));
            throw;
        }
        finally
        {
            holding.Decided.TrySetResult();
        }
    }

    /// <summary>Forgets the claim <paramref name="holder"/> made (its connection ended); the directory entry stays.</summary>
    public void Release(string chargePointId, object holder)
    {
        if (_held.TryGetValue(chargePointId, out Holding? holding) && ReferenceEquals(holding.Holder, holder))
        {
            _held.TryRemove(KeyValuePair.Create(chargePointId, holding));
        }
    }

    /// <summary>The current directory entry of a charger, straight from the bucket (null when it has none).</summary>
    public async Task<(ChargerOwner Owner, ulong Revision)?> GetAsync(string chargePointId, CancellationToken cancellationToken = default)
    {
        INatsKVStore store = await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        NatsResult<NatsKVEntry<byte[]>> entry = await store.TryGetEntryAsync<byte[]>(DirectoryKey.Encode(chargePointId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entry.Success && ChargerOwner.TryDecode(entry.Value.Value, out ChargerOwner owner) ? (owner, entry.Value.Revision) : null;
    }

    /// <summary>
    /// The epoch to stamp on this gateway's events of <paramref name="chargePointId"/>: the epoch of its latest claim
    /// here (waiting for a claim still in progress, e.g. one made while NATS was unreachable), or, for events from
    /// before a restart, the newest epoch this node held according to the key's history; 0 when this node never owned
    /// it (consumers treat 0 as stale once any owner is known). It is the epoch held when the event is forwarded.
    /// </summary>
    public async ValueTask<long> EpochForEventsAsync(string chargePointId, CancellationToken cancellationToken)
    {
        if (_held.TryGetValue(chargePointId, out Holding? pending) && !pending.Decided.Task.IsCompleted)
        {
            await pending.Decided.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_epochs.TryGetValue(chargePointId, out long epoch))
        {
            return epoch;
        }

        INatsKVStore store = await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        epoch = 0;
        try
        {
            await foreach (NatsKVEntry<byte[]> entry in store.HistoryAsync<byte[]>(DirectoryKey.Encode(chargePointId), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entry.Operation == NatsKVOperation.Put && ChargerOwner.TryDecode(entry.Value, out ChargerOwner owner) && owner.NodeId == NodeId)
                {
                    epoch = Math.Max(epoch, owner.Epoch);
                }
            }
        }
        catch (NatsKVKeyNotFoundException)
        {
        }

        return _epochs.GetOrAdd(chargePointId, epoch);
    }

    // One compare-and-set round; null when it must be repeated (our own entry moved under us).
    private async Task<ClaimResult?> TryClaimOnceAsync(INatsKVStore store, string key, string chargePointId, Holding holding, CancellationToken cancellationToken)
    {
        NatsResult<NatsKVEntry<byte[]>> current = await store.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
        ChargerOwner next;
        NatsResult<ulong> written;
        if (current.Success)
        {
            // A value this code did not write counts as epoch 0: it is replaced like any other owner.
            long previous = ChargerOwner.TryDecode(current.Value.Value, out ChargerOwner owner) ? owner.Epoch : 0;
            next = new ChargerOwner(NodeId, previous + 1);
            written = await store.TryUpdateAsync(key, next.Encode(), current.Value.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (current.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
        {
            // NOTE: entries are never deleted by the cluster; an operator who deletes one restarts that charger's epochs.
            next = new ChargerOwner(NodeId, 1);
            written = await store.TryCreateAsync(key, next.Encode(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw current.Error;
        }

        if (written.Success)
        {
            return Won(chargePointId, holding, next, written.Value);
        }

        if (written.Error is not (NatsKVWrongLastRevisionException or NatsKVCreateException))
        {
            throw written.Error;
        }

        // Another write came between our read and our write: find out whose.
        (ChargerOwner Owner, ulong Revision)? winner = await GetAsync(chargePointId, cancellationToken).ConfigureAwait(false);
        if (winner is { } w && w.Owner.NodeId == NodeId)
        {
            return null; // a newer local connection of this id claimed meanwhile; try again
        }

        _held.TryRemove(KeyValuePair.Create(chargePointId, holding));
        return new ClaimResult(false, winner?.Owner ?? default, winner?.Revision ?? 0);
    }

    private ClaimResult Won(string chargePointId, Holding holding, ChargerOwner owner, ulong revision)
    {
        _epochs[chargePointId] = owner.Epoch;
        lock (holding)
        {
            holding.Revision = revision;
            if (holding.ForeignRevision <= revision)
            {
                return new ClaimResult(true, owner, revision);
            }

            // The watch already delivered a newer foreign write while our answer was on its way.
            holding.Lost = true;
        }

        _held.TryRemove(KeyValuePair.Create(chargePointId, holding));
        return new ClaimResult(false, holding.ForeignOwner, holding.ForeignRevision);
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        ulong resumeAt = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                INatsKVStore store = await _nats.KeyValue.CreateOrUpdateStoreAsync(
                    new NatsKVConfig(_nats.Options.DirectoryBucket) { History = History, Storage = NatsKVStorageType.File },
                    stopping).ConfigureAwait(false);
                if (resumeAt == 0)
                {
                    // Every write after the bucket's last sequence now is delivered: a claim made after Ready cannot
                    // be taken over unseen.
                    NatsKVStatus status = await store.GetStatusAsync(stopping).ConfigureAwait(false);
                    resumeAt = status.Info.State.LastSeq + 1;
                    _ready.TrySetResult(store);
                    LogDirectoryReady(_logger, _nats.Options.DirectoryBucket, NodeId);
                }

                var opts = new NatsKVWatchOpts { ResumeAtRevision = resumeAt, IgnoreDeletes = true };
                await foreach (NatsKVEntry<byte[]> entry in store.WatchAsync<byte[]>(">", opts: opts, cancellationToken: stopping).ConfigureAwait(false))
                {
                    resumeAt = entry.Revision + 1;
                    OnWatched(entry);
                    TaskCompletionSource watched;
                    lock (_watchedLock)
                    {
                        Interlocked.Exchange(ref _watchedRevision, (long)entry.Revision);
                        watched = _watched;
                        _watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    watched.TrySetResult();
                    backoff = TimeSpan.FromMilliseconds(100);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWatchRetry(_logger, ex.Message);
                try
                {
                    await Task.Delay(backoff, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void OnWatched(NatsKVEntry<byte[]> entry)
    {
        if (entry.Operation != NatsKVOperation.Put || entry.Value is null
            || !ChargerOwner.TryDecode(entry.Value, out ChargerOwner owner) || owner.NodeId == NodeId)
        {
            return;
        }

        if (DirectoryKey.Decode(entry.Key) is not { } chargePointId || !_held.TryGetValue(chargePointId, out Holding? holding))
        {
            return;
        }

        bool lost;
        lock (holding)
        {
            if (holding.Lost)
            {
                return;
            }

            holding.ForeignRevision = Math.Max(holding.ForeignRevision, entry.Revision);
            holding.ForeignOwner = owner;

            // NOTE: Revision is 0 while our own write is in flight; the claim then sees ForeignRevision when it lands.
            lost = holding.Revision != 0 && entry.Revision > holding.Revision;
            holding.Lost = lost;
        }

        if (lost)
        {
            _held.TryRemove(KeyValuePair.Create(chargePointId, holding));
            LogTakenOver(_logger, chargePointId, owner.NodeId, owner.Epoch);
            holding.OnLost(owner);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class Holding(object holder, Action<ChargerOwner> onLost)
    {
        public object Holder { get; } = holder;

        public Action<ChargerOwner> OnLost { get; } = onLost;

        public ulong Revision { get; set; }

        public ulong ForeignRevision { get; set; }

        public ChargerOwner ForeignOwner { get; set; }

        public bool Lost { get; set; }

        /// <summary>Completes when the claim is decided (won, lost, or abandoned with its connection).</summary>
        public TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger directory {Bucket} open for node {NodeId}")]
    private static partial void LogDirectoryReady(ILogger logger, string bucket, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger directory watch interrupted, resuming: {Reason}")]
    private static partial void LogWatchRetry(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claim of charger {ChargePointId} failed, retrying: {Reason}")]
    private static partial void LogClaimRetry(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger {ChargePointId} taken over by {NodeId} (epoch {Epoch})")]
    private static partial void LogTakenOver(ILogger logger, string chargePointId, string nodeId, long epoch);
}

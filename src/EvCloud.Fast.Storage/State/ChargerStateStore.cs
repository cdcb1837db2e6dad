using System.Diagnostics;
using EvCloud.Fast.Storage.Documents;
using EvCloud.Fast.Storage.Log;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using EventLog = EvCloud.Fast.Storage.Log.EventLog;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// Live per-charger state in three FASTER KV stores (chargers, connectors, transactions) under
/// <c>&lt;DataDirectory&gt;/state</c>, built only from domain events (<see cref="Apply"/>), the same
/// code path live and on replay. Checkpoints are periodic; recovery loads the last one and replays
/// the committed log after it, so state is as durable as the log.
/// </summary>
/// <remarks>
/// Events for one charger must be applied in log order (the connection that owns the charger
/// serialises them); events of different chargers may be applied concurrently from any thread.
/// </remarks>
public sealed partial class ChargerStateStore : IAsyncDisposable, IDisposable
{
    private const string MetaFileName = "checkpoint.json";

    private readonly EventLog _log;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly StoreFiles _chargerFiles;
    private readonly StoreFiles _connectorFiles;
    private readonly StoreFiles _transactionFiles;
    private readonly StoreFiles _aliasFiles;
    private readonly FasterKV<ChargerKey, ChargerRecord> _chargers;
    private readonly FasterKV<ConnectorKey, ConnectorRecord> _connectors;
    private readonly FasterKV<TransactionKey, TransactionRecord> _transactions;
    private readonly FasterKV<TransactionAliasKey, TransactionAliasRecord> _aliases;
    private readonly SessionPool _sessions;
    private readonly ApplyGate _gate = new();
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly DocumentStore _documents = new();
    private Task _checkpointLoop = Task.CompletedTask;
    private Guid? _documentSnapshot;
    private long _documentSnapshotChanges = -1;
    private long _highestAppliedAddress;
    private long _lastCheckpointMs;
    private int _checkpointFailures;
    private int _lastTransactionId;
    private int _disposed;
    private bool _closing;

    private ChargerStateStore(StateStoreOptions options, EventLog log, string directory, ILogger logger)
    {
        _log = log;
        _logger = logger;
        CheckpointInterval = options.CheckpointInterval;
        _directory = directory;
        _chargerFiles = new StoreFiles(Path.Combine(directory, "chargers"));
        _connectorFiles = new StoreFiles(Path.Combine(directory, "connectors"));
        _transactionFiles = new StoreFiles(Path.Combine(directory, "transactions"));
        _aliasFiles = new StoreFiles(Path.Combine(directory, "transaction-aliases"));
        _chargers = new FasterKV<ChargerKey, ChargerRecord>(_chargerFiles.Settings<ChargerKey, ChargerRecord>(options, ChargerKey.Comparer.Instance));
        _connectors = new FasterKV<ConnectorKey, ConnectorRecord>(_connectorFiles.Settings<ConnectorKey, ConnectorRecord>(options, ConnectorKey.Comparer.Instance));
        _transactions = new FasterKV<TransactionKey, TransactionRecord>(_transactionFiles.Settings<TransactionKey, TransactionRecord>(options, TransactionKey.Comparer.Instance));
        _aliases = new FasterKV<TransactionAliasKey, TransactionAliasRecord>(_aliasFiles.Settings<TransactionAliasKey, TransactionAliasRecord>(options, TransactionAliasKey.Comparer.Instance));
        _sessions = new SessionPool(options.SessionPoolSize, () => new StateSession(_chargers, _connectors, _transactions, _aliases));
        RecoveryStats = new RecoveryStats(false, 0, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>How the last open recovered: checkpoint used, events replayed, time taken.</summary>
    public RecoveryStats RecoveryStats { get; private set; }

    /// <summary>Operator- and partner-managed documents, rebuilt with the state (see <see cref="DocumentStore"/>).</summary>
    public DocumentStore Documents => _documents;

    /// <summary>Highest log address applied so far (live or replayed).</summary>
    public long HighestAppliedAddress => Interlocked.Read(ref _highestAppliedAddress);

    /// <summary>Log address covered by the last completed checkpoint; recovery replays from here.</summary>
    public long CheckpointLogAddress { get; private set; }

    /// <summary>Checkpoints completed since open.</summary>
    public int CheckpointCount { get; private set; }

    /// <summary>The last background checkpoint failure, if any (the next tick tries again).</summary>
    public Exception? LastCheckpointError { get; private set; }

    /// <summary>Background checkpoints that failed in a row; 0 once one succeeds.</summary>
    public int ConsecutiveCheckpointFailures => Volatile.Read(ref _checkpointFailures);

    /// <summary>When the last checkpoint completed (or, before the first, when the store was opened).</summary>
    public DateTimeOffset LastCheckpointAt => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _lastCheckpointMs));

    /// <summary>The period of background checkpoints.</summary>
    public TimeSpan CheckpointInterval { get; }

    /// <summary>
    /// Opens the stores, loads the latest checkpoint if there is one, then replays every committed
    /// event after the checkpoint's log address through <see cref="Apply"/>. Without a checkpoint the
    /// stores start empty and the whole log is replayed. Checkpoint failures and entries skipped at replay are logged
    /// to <paramref name="logger"/> at Error.
    /// </summary>
    public static ChargerStateStore Open(StateStoreOptions options, EventLog log, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var directory = Path.Combine(Path.GetFullPath(options.DataDirectory), "state");
        var meta = CheckpointMeta.TryRead(Path.Combine(directory, MetaFileName));
        if (meta is null && Directory.Exists(directory))
        {
            // NOTE: store files without a commit point are from a run that never checkpointed; the log rebuilds them.
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var store = new ChargerStateStore(options, log, directory, logger ?? NullLogger.Instance);
        try
        {
            store.Recover(meta, started);
        }
        catch
        {
            store.Close();
            throw;
        }

        store._lastCheckpointMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        store._checkpointLoop = store.RunCheckpointLoopAsync(options.CheckpointInterval);
        return store;
    }

    /// <summary>
    /// A new transaction id: unique, increasing, thread-safe, always in 1..2^31−1. After recovery it continues above
    /// every id this store issued (the checkpoint's counter and the TransactionStarted events replayed after it).
    /// </summary>
    /// <remarks>
    /// NOTE: only ids this store issued move the counter. A number a charger sends (a 1.6 StopTransaction or
    /// MeterValues naming an id we never issued) never does, so a charger cannot make the counter wrap or skip.
    /// Running out (2^31−1 transactions) throws rather than reuse an id.
    /// </remarks>
    public int ReserveTransactionId()
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastTransactionId);
            if (last == int.MaxValue)
            {
                ThrowIdSpaceExhausted();
            }

            var next = Math.Max(last, 0) + 1;
            if (Interlocked.CompareExchange(ref _lastTransactionId, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>The highest transaction id issued so far (0 before the first).</summary>
    public int LastTransactionId => Volatile.Read(ref _lastTransactionId);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowIdSpaceExhausted() =>
        throw new InvalidOperationException("Every transaction id in 1..2147483647 has been issued; ids are never reused.");

    /// <summary>
    /// Takes a full checkpoint (index + snapshot of the in-memory log) of the three stores and
    /// commits it with the log address it covers. Snapshot rather than fold-over: state records are
    /// updated in place thousands of times per second, and fold-over would make every record
    /// read-only after each checkpoint, so the next update of each would copy it to the log tail.
    /// </summary>
    /// <remarks>A failure is logged, counted and kept in <see cref="LastCheckpointError"/> as a periodic one is, then thrown.</remarks>
    public async ValueTask CheckpointAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await CheckpointCoreAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            OnCheckpointFailed(error);
            throw;
        }

        OnCheckpointSucceeded();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops the checkpoint timer, takes a final checkpoint and closes the stores. The log stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopCheckpointLoopAsync().ConfigureAwait(false);
        try
        {
            // A clean shutdown: every charger goes offline now (Touch no longer writes), so the next start can skip
            // the scan that does it after a crash.
            Volatile.Write(ref _closing, true);
            MarkAllOffline();
            await CheckpointCoreAsync(allOffline: true).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The next start replays from the previous checkpoint: nothing is lost, but say so.
            OnCheckpointFailed(error);
            throw;
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Closes without the final checkpoint, as a kill -9 would. For crash tests only.</summary>
    internal async ValueTask CrashAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopCheckpointLoopAsync().ConfigureAwait(false);
        Close();
    }

    private void Recover(CheckpointMeta? meta, long started)
    {
        var replayFrom = _log.BeginAddress;
        if (meta is not null)
        {
            _chargers.Recover(meta.Chargers);
            _connectors.Recover(meta.Connectors);
            _transactions.Recover(meta.Transactions);
            _aliases.Recover(meta.Aliases);
            _lastTransactionId = meta.LastTransactionId;
            if (meta.Documents is { } documents)
            {
                _documents.LoadSnapshot(DocumentSnapshotPath(documents));
                _documentSnapshot = documents;
                _documentSnapshotChanges = _documents.Changes;
            }

            replayFrom = Math.Max(meta.LogAddress, replayFrom);
            CheckpointLogAddress = meta.LogAddress;
            _highestAppliedAddress = meta.LogAddress;
        }

        var skipped = 0L;
        var replayed = _log.Replay(replayFrom, (entry, address) =>
        {
            try
            {
                Apply(entry, address);
            }
            catch (MessagePack.MessagePackSerializationException error)
            {
                // NOTE: never silently: an entry that cannot be decoded is an event the state does not have.
                skipped++;
                StorageMetrics.SkippedEntries.Add(1, new KeyValuePair<string, object?>("follower", "state"));
                LogReplaySkipped(_logger, address, entry.Length, error);
            }
        });

        // After a crash (or events since a clean shutdown) the last known online flags are stale: clear them.
        if (meta is not { AllOffline: true } || replayed > 0)
        {
            MarkAllOffline();
        }

        RecoveryStats = new RecoveryStats(
            meta is not null, replayFrom, replayed - skipped, skipped, _log.CommittedUntil, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A new process holds no sockets yet, so no charger is online whatever the log last said.</summary>
    private void MarkAllOffline()
    {
        var online = new List<ChargerKey>();
        var session = _sessions.Rent();
        try
        {
            using (var iterator = session.Chargers.Iterate())
            {
                while (iterator.GetNext(out _))
                {
                    if (iterator.GetValue().Online)
                    {
                        online.Add(iterator.GetKey());
                    }
                }
            }

            foreach (var key in online)
            {
                var charger = key;
                if (StateSession.TryRead(session.Chargers, ref charger, out var record))
                {
                    record.Online = false;
                    StateSession.Write(session.Chargers, ref charger, ref record);
                }
            }
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    private async Task RunCheckpointLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await CheckpointCoreAsync().ConfigureAwait(false);
                    OnCheckpointSucceeded();
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The next period tries again; until one succeeds a restart replays more of the log.
                    OnCheckpointFailed(error);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnCheckpointSucceeded()
    {
        if (LastCheckpointError is not null)
        {
            LogCheckpointRecovered(_logger, ConsecutiveCheckpointFailures);
        }

        LastCheckpointError = null;
        Volatile.Write(ref _checkpointFailures, 0);
    }

    private void OnCheckpointFailed(Exception error)
    {
        LastCheckpointError = error;
        var failures = Interlocked.Increment(ref _checkpointFailures);
        StorageMetrics.CheckpointFailures.Add(1);
        LogCheckpointFailed(_logger, failures, CheckpointLogAddress, error);
    }

    private async ValueTask StopCheckpointLoopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _checkpointLoop.ConfigureAwait(false);
    }

    private async ValueTask CheckpointCoreAsync(bool allOffline = false)
    {
        await _checkpointLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var logAddress = _log.TailAddress;
            _gate.Drain();
            var lastTransactionId = Volatile.Read(ref _lastTransactionId);
            var chargers = await TakeCheckpointAsync(_chargers).ConfigureAwait(false);
            var connectors = await TakeCheckpointAsync(_connectors).ConfigureAwait(false);
            var transactions = await TakeCheckpointAsync(_transactions).ConfigureAwait(false);
            var aliases = await TakeCheckpointAsync(_aliases).ConfigureAwait(false);
            var documents = SnapshotDocuments();

            // NOTE: the state must never be ahead of the log on disk: a checkpoint that covered events the log then
            // lost would bring back, after a crash, what was never acknowledged. So it commits only once the log
            // is durable up to its address (and fails while the log's commits fail).
            await _log.FlushAsync().ConfigureAwait(false);
            new CheckpointMeta(logAddress, lastTransactionId, chargers, connectors, transactions, aliases, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), documents, allOffline)
                .Write(Path.Combine(_directory, MetaFileName));
            PurgeDocumentSnapshotsBut(documents);
            _chargerFiles.PurgeAllBut(chargers);
            _connectorFiles.PurgeAllBut(connectors);
            _transactionFiles.PurgeAllBut(transactions);
            _aliasFiles.PurgeAllBut(aliases);
            CheckpointLogAddress = logAddress;
            CheckpointCount++;
            Interlocked.Exchange(ref _lastCheckpointMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        finally
        {
            _checkpointLock.Release();
        }
    }

    /// <summary>
    /// Writes the documents beside the checkpoint, unless nothing changed since the last snapshot (then the
    /// previous file is reused). Documents written after the checkpoint's log address may be in it too; the
    /// replay then writes them again, which changes nothing.
    /// </summary>
    private Guid? SnapshotDocuments()
    {
        var changes = _documents.Changes;
        if (changes == 0 && _documentSnapshot is null)
        {
            return null;
        }

        if (changes != _documentSnapshotChanges || _documentSnapshot is null)
        {
            var token = Guid.NewGuid();
            _documents.WriteSnapshot(DocumentSnapshotPath(token));
            _documentSnapshot = token;
            _documentSnapshotChanges = changes;
        }

        return _documentSnapshot;
    }

    private string DocumentSnapshotPath(Guid token) => Path.Combine(_directory, "documents-" + token.ToString("N") + ".msgpack");

    private void PurgeDocumentSnapshotsBut(Guid? keep)
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "documents-*.msgpack*"))
        {
            if (keep is null || file != DocumentSnapshotPath(keep.Value))
            {
                File.Delete(file);
            }
        }
    }

    private static async ValueTask<Guid> TakeCheckpointAsync<TKey, TValue>(FasterKV<TKey, TValue> store)
    {
        while (true)
        {
            var (success, token) = await store.TakeFullCheckpointAsync(CheckpointType.Snapshot).ConfigureAwait(false);
            if (success)
            {
                return token;
            }

            // NOTE: FASTER refuses to start while another state machine (index growth) runs; wait it out.
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "State checkpoint failed ({Failures} in a row); the last one covers the log up to {CheckpointLogAddress}, a restart replays from there")]
    private static partial void LogCheckpointFailed(ILogger logger, int failures, long checkpointLogAddress, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State checkpoint succeeded again after {Failures} failures")]
    private static partial void LogCheckpointRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "State recovery skipped the log entry at address {Address} ({Length} bytes): it cannot be decoded")]
    private static partial void LogReplaySkipped(ILogger logger, long address, int length, Exception error);

    private void Close()
    {
        _sessions.Dispose();
        _chargers.Dispose();
        _connectors.Dispose();
        _transactions.Dispose();
        _aliases.Dispose();
        _chargerFiles.Dispose();
        _connectorFiles.Dispose();
        _transactionFiles.Dispose();
        _aliasFiles.Dispose();
        _stop.Dispose();
        _checkpointLock.Dispose();
    }
}

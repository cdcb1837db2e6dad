using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using MessagePack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>The pipeline's durable position (document <c>cdr-pipeline/position</c>).</summary>
[MessagePackObject]
public sealed class PipelinePosition
{
    /// <summary>Where a restart reads from: the start of the oldest open session, or the last handled entry.</summary>
    [Key(0)]
    public long ReplayFrom { get; set; } = -1;

    /// <summary>The last entry whose CDR and notification are both durable.</summary>
    [Key(1)]
    public long Handled { get; set; } = -1;
}

/// <summary>
/// Turns every ended transaction into exactly one priced CDR. Follows the event log from its durable position,
/// feeds the <see cref="SessionTracker"/>, prices ended sessions with the assigned tariff, writes the CDRs to the
/// <see cref="CdrStore"/> and then a <see cref="CdrRecorded"/> notification to the event log.
/// </summary>
/// <remarks>
/// Exactly once: a CDR's id is derived from its transaction, and the store skips an id it already holds, so reading
/// the same events again after a crash never creates a second CDR. The restart position is the start of the oldest
/// open session (so its meter readings are read again) and is saved after each batch. The notification is at least
/// once: a crash after the CDR is durable but before its notification is, makes the restart send it again (consumers
/// key on the CDR id). Work is batched: everything the log has ready is read, CDRs are built, then one store commit
/// and one log commit cover the batch.
/// </remarks>
public sealed partial class CdrPipeline : BackgroundService
{
    /// <summary>Document collection of the pipeline's position.</summary>
    public const string Collection = "cdr-pipeline";

    /// <summary>Document collection of the unbillable stops, keyed by the stop's log address.</summary>
    public const string UnbillableCollection = "cdr-unbillable";

    private const int MaxBatch = 512;

    /// <summary>The pipeline's meter.</summary>
    public const string MeterName = "EvCloud.Fast.Cdr";

    /// <summary>Histogram: from a transaction's end reaching the server to its CDR being durable and visible.</summary>
    public const string LatencyName = "evcloud.cdr.latency";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        LatencyName, "ms", "From the end of a transaction reaching the server to its priced CDR being durable and visible");
    private static readonly Counter<long> Created = Meter.CreateCounter<long>("evcloud.cdr.created", "{cdr}", "CDRs written");
    private static readonly Counter<long> Unbillables = Meter.CreateCounter<long>("evcloud.cdr.unbillable", "{stop}", "Stops recorded as unbillable (no session to make a CDR of)");

    private readonly StorageEngine _storage;
    private readonly CdrStore _store;
    private readonly TariffStore _tariffs;
    private readonly CdrBuilder _builder;
    private readonly CdrOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CdrPipeline> _logger;
    private readonly SessionTracker _tracker = new();
    private readonly Lock _trackerLock = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PipelinePosition _position;
    private long _lastReadAddress = -1;
    private long _caughtUpAtMs;
    private volatile bool _waitingForEntries;

    /// <summary>Creates the pipeline; <paramref name="roaming"/> (optional) supplies roaming sessions' token owner and OCPI location.</summary>
    public CdrPipeline(StorageEngine storage, CdrStore store, TariffStore tariffs, CdrOptions options, TimeProvider time, ILogger<CdrPipeline> logger, ICdrRoamingResolver? roaming = null)
    {
        _storage = storage;
        _store = store;
        _tariffs = tariffs;
        _options = options;
        _builder = new CdrBuilder(options, roaming);
        _time = time;
        _logger = logger;
        _position = storage.Documents.TryGet(Collection, "position", out byte[]? saved)
            ? MessagePackSerializer.Deserialize<PipelinePosition>(saved)
            : new PipelinePosition();
        HeldGauge.Add(storage.Documents.List(HeldSession.Collection).Count);
    }

    /// <summary>The builder (location and time zone of chargers).</summary>
    public CdrBuilder Builder => _builder;

    /// <summary>Completes once the pipeline has read the log up to where it was when the pipeline started.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>Address of the last log entry the pipeline read (-1 before the first); compare with the log's committed tail.</summary>
    public long LastReadAddress => Interlocked.Read(ref _lastReadAddress);

    /// <summary>Whether the pipeline has read everything committed and waits for new entries.</summary>
    public bool WaitingForEntries => _waitingForEntries;

    /// <summary>When the pipeline last had read everything committed (null before it first did).</summary>
    public DateTimeOffset? LastCaughtUpAt => Interlocked.Read(ref _caughtUpAtMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// Snapshots of the open sessions, for live views: copied under the pipeline's lock, so a reader never enumerates
    /// readings the pipeline is adding to.
    /// </summary>
    public IReadOnlyList<TrackedSession> OpenSessions()
    {
        lock (_trackerLock)
        {
            return [.. _tracker.Open.Select(s => s.Snapshot())];
        }
    }

    /// <summary>
    /// Stops that could not become a CDR (document collection <see cref="UnbillableCollection"/>), oldest first: each
    /// with the charger, the transaction id it named and why. Together with the CDRs they account for every stop.
    /// </summary>
    public IReadOnlyList<UnbillableTransaction> Unbillable() =>
        [.. _storage.Documents.List(UnbillableCollection).Select(d => MessagePackSerializer.Deserialize<UnbillableTransaction>(d.Value)).OrderBy(u => u.Address)];

    /// <summary>
    /// The price so far of an open session, as if it ended now (null when the transaction is not open; no price when no
    /// tariff applies or the tariff fails while pricing, which holds the session once it ends). Runs on the caller's thread.
    /// </summary>
    public (TrackedSession Session, PricedSession? Priced)? PriceSoFar(int transactionId)
    {
        TrackedSession? session;
        long now;
        lock (_trackerLock)
        {
            session = _tracker.Get(transactionId)?.Snapshot();
            if (session is null)
            {
                return null;
            }

            now = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), session.Readings[^1].TimeMs);
        }

        try
        {
            // The snapshot is this call's own copy: no lock needed to read its readings.
            SessionUsage usage = SessionUsageFactory.Create(session, now, _builder.TimeZoneOf(session.ChargerId));
            Tariff? tariff = _tariffs.Resolve(session.ChargerId, session.ConnectorId, session.IdTag, _builder.LocationOf(session.ChargerId).LocationId);
            return (session, tariff is null ? null : _tariffs.PricerFor(tariff).Price(usage));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // NOTE: a live view (the API, the roaming session's PATCH) shows no cost rather than fail: the failure is
            // reported once the session ends and is held for review.
            return (session, null);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!_options.Enabled)
        {
            _caughtUp.TrySetResult();
            return;
        }

        long startTail = _storage.Log.CommittedUntil;
        long from = _position.ReplayFrom >= 0 ? _position.ReplayFrom : _storage.Log.BeginAddress;
        var pending = new List<(TrackedSession Session, long Address, long ReceivedMs)>();
        var unbillable = new List<UnbillableStop>();
        long lastAddress = -1;
        long lastSaved = Environment.TickCount64;
        bool tracked = false;
        try
        {
            await using IAsyncEnumerator<LogEntry> entries =
                _storage.Log.ReadAsync(from, follow: true, stoppingToken).GetAsyncEnumerator(stoppingToken);
            while (true)
            {
                ValueTask<bool> next = entries.MoveNextAsync();
                if (!next.IsCompleted || pending.Count + unbillable.Count >= MaxBatch)
                {
                    // NOTE: the position moves only for entries the tracker used: saving it is itself a log entry, and
                    // saving because of it would write one every few seconds forever on an idle log.
                    if (pending.Count > 0 || unbillable.Count > 0 || (tracked && Environment.TickCount64 - lastSaved > 5_000))
                    {
                        RecordUnbillable(unbillable);
                        await FlushAsync(pending, lastAddress, stoppingToken).ConfigureAwait(false);
                        lastSaved = Environment.TickCount64;
                        tracked = false;
                    }

                    if (lastAddress >= startTail - 1 || !next.IsCompleted)
                    {
                        _caughtUp.TrySetResult();
                    }

                    if (!next.IsCompleted)
                    {
                        Interlocked.Exchange(ref _caughtUpAtMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
                        _waitingForEntries = true;
                    }
                }

                bool more = await next.ConfigureAwait(false);
                if (_waitingForEntries)
                {
                    // NOTE: caught up until this moment: the readiness check counts a lag from when new entries came,
                    // not from the start of an idle spell.
                    Interlocked.Exchange(ref _caughtUpAtMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
                    _waitingForEntries = false;
                }
                if (!more)
                {
                    break;
                }

                (long address, _, ReadOnlyMemory<byte> payload) = entries.Current;
                lastAddress = address;
                Volatile.Write(ref _lastReadAddress, address);
                if (!TryDecode(payload, out DomainEvent? domainEvent, out bool malformed))
                {
                    if (malformed)
                    {
                        // NOTE: never silently: a transaction event lost here is a CDR missing or wrong.
                        StorageMetrics.SkippedEntries.Add(1, new KeyValuePair<string, object?>("follower", "cdr"));
                        LogSkipped(_logger, address, payload.Length);
                    }

                    continue;
                }

                tracked = true;

                TrackedSession? ended;
                UnbillableStop? stray;
                lock (_trackerLock)
                {
                    ended = _tracker.Apply(domainEvent, address, out stray);
                }

                if (ended is not null)
                {
                    pending.Add((ended, address, domainEvent.TimestampMs));
                }
                else if (stray is not null && address > _position.Handled)
                {
                    // NOTE: a restart reads again from the last handled entry; a stop at or below it was handled (its
                    // CDR or unbillable record is durable before the position that covers it), whatever the tracker says now.
                    unbillable.Add(stray);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // Storage closed under the reader at shutdown: the next start resumes from the saved position.
        }
        finally
        {
            _caughtUp.TrySetResult();
        }
    }

    /// <summary>Builds, stores and announces the CDRs of a batch, then saves the position.</summary>
    private async Task FlushAsync(List<(TrackedSession Session, long Address, long ReceivedMs)> pending, long lastAddress, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var batch = new List<StoredCdr>(pending.Count);
        var renotify = new List<StoredCdr>();
        foreach ((TrackedSession session, long address, _) in pending)
        {
            string id = _options.CdrIdOf(session.TransactionId);
            if (_store.Contains(id))
            {
                if (address > _position.Handled && await _store.ReadAsync(id, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    renotify.Add(stored);
                }

                continue;
            }

            // A session that cannot be priced is held for review, never written as a final CDR at zero cost.
            (StoredCdr? priced, Tariff? tariff, Exception? error) = TryPrice(session, now);
            if (priced is null)
            {
                await HoldAsync(session, tariff?.Id, error!, now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            batch.Add(priced);
        }

        IReadOnlyList<StoredCdr> written = await _store.AddAsync(batch, cancellationToken).ConfigureAwait(false);
        long visibleMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach ((_, _, long receivedMs) in pending)
        {
            Latency.Record(Math.Max(0, visibleMs - receivedMs));
        }

        Created.Add(written.Count);
        Notify([.. written, .. renotify]);
        foreach (StoredCdr cdr in written)
        {
            await ReleaseAsync(cdr.Id, cancellationToken).ConfigureAwait(false);
        }

        pending.Clear();

        long replayFrom;
        lock (_trackerLock)
        {
            long tooOld = now.ToUnixTimeMilliseconds() - (long)_options.MaxOpenSession.TotalMilliseconds;
            replayFrom = _tracker.Open.Where(s => s.StartMs >= tooOld).Select(s => s.StartAddress).DefaultIfEmpty(lastAddress).Min();
        }

        if (lastAddress >= 0 && (replayFrom != _position.ReplayFrom || lastAddress > _position.Handled))
        {
            // NOTE: not awaited: the log keeps order, so once this entry is durable the notifications before it are too,
            // and if a crash loses it the restart reads from the previous position and redoes idempotent work.
            _position = new PipelinePosition { ReplayFrom = replayFrom, Handled = Math.Max(_position.Handled, lastAddress) };
            _storage.PutDocument(Collection, "position", MessagePackSerializer.Serialize(_position));
        }
    }

    /// <summary>
    /// Records each stop that can have no CDR as an unbillable document, once: the key is the stop's log address, so
    /// reading the same stop again after a restart finds it recorded. Written before the position that passes it (the
    /// log keeps order), so a crash loses neither.
    /// </summary>
    private void RecordUnbillable(List<UnbillableStop> stops)
    {
        foreach (UnbillableStop stop in stops)
        {
            string key = stop.Address.ToString("D19", CultureInfo.InvariantCulture);
            if (_storage.Documents.TryGet(UnbillableCollection, key, out _))
            {
                continue;
            }

            LogUnbillable(_logger, stop.TransactionId, stop.ChargerId, stop.Reason);
            Unbillables.Add(1);
            _storage.PutDocument(UnbillableCollection, key, MessagePackSerializer.Serialize(UnbillableTransaction.From(stop)));
        }

        stops.Clear();
    }

    /// <summary>Appends the CdrRecorded notifications; they become durable with the log's next group commit.</summary>
    private void Notify(IReadOnlyList<StoredCdr> cdrs)
    {
        if (cdrs.Count == 0)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (StoredCdr cdr in cdrs)
        {
            buffer.ResetWrittenCount();
            EventWriter.WriteCdrRecorded(buffer, _time.GetUtcNow().ToUnixTimeMilliseconds(), cdr.ChargerId, cdr.Id, cdr.TransactionId, cdr.Currency, cdr.TotalExclVat, cdr.TotalInclVat, cdr.TotalEnergyKwh, cdr.Credit);
            _storage.State.AppendAndApply(buffer.WrittenSpan);
        }
    }

    internal static StoredCdr Store(Cdrs.Cdr cdr, int transactionId, string chargerId, int connectorId, string? idTag, string? tariffId, PricedSession? priced, SessionUsage usage, string timeZone, DateTimeOffset now)
    {
        var points = new StoredPoint[usage.Points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            MeterPoint p = usage.Points[i];
            points[i] = new StoredPoint(p.Timestamp.ToUnixTimeMilliseconds(), (long)(p.EnergyKwh * 1_000_000m), p.IsCharging);
        }

        return new StoredCdr
        {
            Id = cdr.Id,
            TransactionId = transactionId,
            ChargerId = chargerId,
            ConnectorId = connectorId,
            IdTag = idTag,
            StartMs = cdr.StartDateTime.ToUnixTimeMilliseconds(),
            EndMs = cdr.EndDateTime.ToUnixTimeMilliseconds(),
            CreatedMs = now.ToUnixTimeMilliseconds(),
            Currency = cdr.Currency,
            TotalExclVat = cdr.TotalCost.ExclVat.ToString(CultureInfo.InvariantCulture),
            TotalInclVat = cdr.TotalCost.InclVat?.ToString(CultureInfo.InvariantCulture),
            TotalEnergyKwh = cdr.TotalEnergy.ToString(CultureInfo.InvariantCulture),
            Credit = cdr.Credit ?? false,
            CreditReferenceId = cdr.CreditReferenceId,
            TariffId = tariffId,
            CdrJson = JsonSerializer.SerializeToUtf8Bytes(cdr, OcpiCdrJsonContext.Default.Cdr),
            BreakdownJson = priced is null ? null : JsonSerializer.SerializeToUtf8Bytes(priced.Breakdown, CdrBreakdownJsonContext.Default.IReadOnlyListPricingLine),
            MinPriceApplied = priced?.MinPriceApplied ?? false,
            MaxPriceApplied = priced?.MaxPriceApplied ?? false,
            Points = points,
            TimeZone = timeZone,
        };
    }

    /// <summary>Only the kinds the tracker reads are decoded; the rest of the log is skipped after its header.</summary>
    private static bool TryDecode(ReadOnlyMemory<byte> payload, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DomainEvent? domainEvent, out bool malformed) =>
        EventReader.TryDecode(
            payload,
            out domainEvent,
            out malformed,
            static kind => kind is DomainEventKind.TransactionStarted or DomainEventKind.MeterSampled or DomainEventKind.StatusChanged or DomainEventKind.TransactionEnded,
            includeRaw: false);

    [LoggerMessage(Level = LogLevel.Error, Message = "CDR pipeline skipped the log entry at address {Address} ({Length} bytes): it cannot be decoded")]
    private static partial void LogSkipped(ILogger logger, long address, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop of transaction {TransactionId} from {ChargerId} ends no session ({Reason}); recorded as unbillable")]
    private static partial void LogUnbillable(ILogger logger, int transactionId, string chargerId, UnbillableReason reason);

    /// <summary>UTF-8 text of a stored JSON body.</summary>
    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}

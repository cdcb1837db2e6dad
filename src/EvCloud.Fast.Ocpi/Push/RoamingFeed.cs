using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using MessagePack;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>
/// Follows the event log for the CPO's sending modules and hands each relevant event to them through the
/// <see cref="IRoamingHandoff"/>: transactions, CDRs, tariff writes, connector status and charger connections.
/// </summary>
/// <remarks>
/// <para>The position (document <c>ocpi-feed/position</c>) is the address of the last entry handled; a restart reads from it
/// and skips entries at or below it (the resume rule of the event log's <c>ReadAsync</c>). Handlers are
/// idempotent — sessions and CDR ids are checked against what is stored — so the events between the last saved
/// position and a crash are simply handled again. The first start begins at the log's tail: history from before the
/// bridge ran is not pushed. The position is saved only after entries that concerned roaming, since saving is itself
/// a log entry.</para>
/// <para>A failed hand-off is never skipped: it is tried <see cref="HandoffAttempts"/> times, then recorded as a
/// <see cref="FeedDeadLetter"/> (with its reason, counted in <c>evcloud.ocpi.feed.dead_letters</c>) before the position
/// moves past it. The dead letter keeps a copy of the event; <c>POST /api/v1/ocpi/feed/dead-letters/{address}/retry</c>
/// hands it over again. A tariff event is retried with the tariff as it is now (an older version must not overwrite a newer one).</para>
/// </remarks>
public sealed partial class RoamingFeed : BackgroundService
{
    /// <summary>Document collection of the position.</summary>
    public const string Collection = "ocpi-feed";

    /// <summary>Document collection of the dead letters.</summary>
    public const string DeadCollection = "ocpi-feed-dead";

    /// <summary>Attempts of one hand-off before it is dead-lettered (100 ms, then 200 ms between them).</summary>
    public const int HandoffAttempts = 3;

    private readonly StorageEngine _storage;
    private readonly IRoamingHandoff _handoff;
    private readonly TimeProvider _time;
    private readonly ILogger<RoamingFeed> _logger;
    private readonly long _firstStartHandled;

    /// <summary>One hand-off at a time: the feed's loop and an operator's retry never run a sender concurrently.</summary>
    private readonly SemaphoreSlim _handleGate = new(1, 1);

    /// <summary>Creates the feed.</summary>
    public RoamingFeed(StorageEngine storage, IRoamingHandoff handoff, TimeProvider time, ILogger<RoamingFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _handoff = handoff;
        _time = time;
        _logger = logger;

        // NOTE: taken here, before the listeners open, not when ExecuteAsync gets a thread: on a busy machine that can
        // be after the first chargers' events, which would then count as history and never be pushed.
        _firstStartHandled = _storage.Log.CommittedUntil - 1;
        OcpiMetrics.FeedDeadLetters.Add(_storage.Documents.List(DeadCollection).Count);
    }

    /// <summary>Dead letters, in log order.</summary>
    public IReadOnlyList<FeedDeadLetter> DeadLetters() =>
        [.. _storage.Documents.List(DeadCollection).Select(d => MessagePackSerializer.Deserialize<FeedDeadLetter>(d.Value)).OrderBy(d => d.Address)];

    /// <summary>
    /// Hands a dead letter's event over again: null when there is no such dead letter, else the dead letter as it is
    /// now — removed (<see cref="FeedDeadLetter.Reason"/> empty) when the hand-off worked, or kept with the new reason.
    /// </summary>
    public async Task<FeedDeadLetter?> RetryDeadAsync(long address, CancellationToken cancellationToken = default)
    {
        if (!_storage.Documents.TryGet(DeadCollection, FeedDeadLetter.DocumentKey(address), out byte[]? saved))
        {
            return null;
        }

        FeedDeadLetter dead = MessagePackSerializer.Deserialize<FeedDeadLetter>(saved);
        if (!EventReader.TryDecode(dead.Event, out DomainEvent? domainEvent, includeRaw: false))
        {
            dead.Reason = "The recorded event does not decode.";
            return dead;
        }

        domainEvent = Current(domainEvent);
        await _handleGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            dead.Attempts++;
            dead.LastAttemptMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            try
            {
                await _handoff.HandleAsync(domainEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException and not ObjectDisposedException)
            {
                OcpiMetrics.HandoffFailures.Add(1);
                dead.Reason = error.GetType().Name + ": " + error.Message;
                await _storage.PutDocumentAsync(DeadCollection, dead.Key, MessagePackSerializer.Serialize(dead), cancellationToken).ConfigureAwait(false);
                return dead;
            }

            await _storage.DeleteDocumentAsync(DeadCollection, dead.Key, cancellationToken).ConfigureAwait(false);
            OcpiMetrics.FeedDeadLetters.Add(-1);
            dead.Reason = "";
            return dead;
        }
        finally
        {
            _handleGate.Release();
        }
    }

    /// <summary>Forgets a dead letter (an operator settled it another way); false when unknown.</summary>
    public async Task<bool> DiscardDeadAsync(long address, CancellationToken cancellationToken = default)
    {
        string key = FeedDeadLetter.DocumentKey(address);
        if (!_storage.Documents.TryGet(DeadCollection, key, out _))
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(DeadCollection, key, cancellationToken).ConfigureAwait(false);
        OcpiMetrics.FeedDeadLetters.Add(-1);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Task ticker = TickAsync(stoppingToken);
        long handled = _storage.Documents.TryGet(Collection, "position", out byte[]? saved)
            ? MessagePackSerializer.Deserialize<long>(saved)
            : _firstStartHandled;
        // NOTE: a scan must start at an entry: the first start reads from the beginning and skips what was there.
        long from = saved is null ? _storage.Log.BeginAddress : Math.Max(handled, _storage.Log.BeginAddress);
        long last = handled;
        bool relevant = false;
        try
        {
            await using IAsyncEnumerator<LogEntry> entries =
                _storage.Log.ReadAsync(from, follow: true, stoppingToken).GetAsyncEnumerator(stoppingToken);
            while (true)
            {
                ValueTask<bool> next = entries.MoveNextAsync();
                if (!next.IsCompleted && relevant)
                {
                    await _storage.PutDocumentAsync(Collection, "position", MessagePackSerializer.Serialize(last), stoppingToken).ConfigureAwait(false);
                    relevant = false;
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                (long address, _, ReadOnlyMemory<byte> payload) = entries.Current;
                if (address <= handled)
                {
                    continue;
                }

                last = address;
                if (!EventReader.TryDecode(payload, out DomainEvent? domainEvent, out bool malformed, static kind => kind is DomainEventKind.TransactionStarted or DomainEventKind.MeterSampled
                        or DomainEventKind.TransactionEnded or DomainEventKind.CdrRecorded or DomainEventKind.DocumentPut or DomainEventKind.DocumentDeleted
                        or DomainEventKind.StatusChanged or DomainEventKind.ChargerConnected or DomainEventKind.ChargerDisconnected, includeRaw: false))
                {
                    if (malformed)
                    {
                        StorageMetrics.SkippedEntries.Add(1, new KeyValuePair<string, object?>("follower", "roaming"));
                        LogSkipped(_logger, address, payload.Length);
                    }

                    continue;
                }

                relevant |= await HandOffAsync(domainEvent, address, payload, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // Storage closed under the reader at shutdown: the next start resumes from the saved position.
        }

        try
        {
            await ticker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Hands one event over, retrying; dead-letters it when every attempt failed. True when it concerned roaming.</summary>
    /// <remarks>NOTE: <paramref name="payload"/> is the log reader's buffer: valid until the reader moves on, so copied only here.</remarks>
    private async Task<bool> HandOffAsync(DomainEvent domainEvent, long address, ReadOnlyMemory<byte> payload, CancellationToken stoppingToken)
    {
        Exception? failure = null;
        for (int attempt = 1; attempt <= HandoffAttempts; attempt++)
        {
            await _handleGate.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                return await _handoff.HandleAsync(domainEvent, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException and not ObjectDisposedException)
            {
                failure = error;
                OcpiMetrics.HandoffFailures.Add(1);
                LogHandoffFailed(_logger, domainEvent.Kind, address, attempt, error);
            }
            finally
            {
                _handleGate.Release();
            }

            if (attempt < HandoffAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), _time, stoppingToken).ConfigureAwait(false);
            }
        }

        // NOTE: durable before the position can move past the event: a crash in between hands the event over again.
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var dead = new FeedDeadLetter
        {
            Address = address,
            Kind = domainEvent.Kind.ToString(),
            ChargerId = domainEvent.ChargerId,
            TransactionId = domainEvent switch
            {
                CdrRecorded r => r.TransactionId,
                TransactionStarted t => t.TransactionId,
                TransactionEnded t => t.TransactionId,
                MeterSampled m => m.TransactionId,
                _ => 0,
            },
            CdrId = (domainEvent as CdrRecorded)?.CdrId,
            Reason = failure!.GetType().Name + ": " + failure.Message,
            Attempts = HandoffAttempts,
            Event = payload.ToArray(),
            DeadMs = now,
            LastAttemptMs = now,
        };
        bool existed = _storage.Documents.TryGet(DeadCollection, dead.Key, out _);
        await _storage.PutDocumentAsync(DeadCollection, dead.Key, MessagePackSerializer.Serialize(dead), stoppingToken).ConfigureAwait(false);
        if (!existed)
        {
            OcpiMetrics.FeedDeadLetters.Add(1);
        }

        LogDeadLettered(_logger, domainEvent.Kind, address, dead.Reason);
        return true;
    }

    /// <summary>A tariff event is retried with the tariff as stored now; any other event as it was.</summary>
    private DomainEvent Current(DomainEvent domainEvent) => domainEvent switch
    {
        DocumentPut { Collection: TariffStore.TariffCollection } or DocumentDeleted { Collection: TariffStore.TariffCollection } =>
            ((domainEvent as DocumentPut)?.Key ?? ((DocumentDeleted)domainEvent).Key) is var key && _storage.Documents.TryGet(TariffStore.TariffCollection, key, out byte[]? value)
                ? new DocumentPut(domainEvent.TimestampMs, TariffStore.TariffCollection, key, value)
                : new DocumentDeleted(domainEvent.TimestampMs, TariffStore.TariffCollection, key),
        _ => domainEvent,
    };

    /// <summary>Once a second: session progress the update interval held back.</summary>
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await _handleGate.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await _handoff.FlushDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException and not ObjectDisposedException)
            {
                LogHandoffFailed(_logger, DomainEventKind.MeterSampled, -1, 1, error);
            }
            finally
            {
                _handleGate.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Roaming feed skipped the log entry at address {Address} ({Length} bytes): it cannot be decoded")]
    private static partial void LogSkipped(ILogger logger, long address, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI roaming feed could not hand over {Kind} at {Address} (attempt {Attempt})")]
    private static partial void LogHandoffFailed(ILogger logger, DomainEventKind kind, long address, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCPI roaming feed dead-lettered {Kind} at {Address}: {Reason} (retry with POST /api/v1/ocpi/feed/dead-letters/{Address}/retry)")]
    private static partial void LogDeadLettered(ILogger logger, DomainEventKind kind, long address, string reason);
}

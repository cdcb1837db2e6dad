using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpi.Cdrs;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Tariffs;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using MessagePack;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>
/// Follows the event log for the CPO's sending modules: transactions feed the <see cref="SessionSender"/>,
/// <see cref="CdrRecorded"/> the <see cref="CdrSender"/>, writes of the tariff store the <see cref="TariffSender"/>, and
/// connector status and charger connections the <see cref="LocationPush"/>.
/// </summary>
/// <remarks>
/// The position (document <c>ocpi-feed/position</c>) is the address of the last entry handled; a restart reads from it
/// and skips entries at or below it (the resume rule of the event log's <c>ReadAsync</c>). Handlers are
/// idempotent — sessions and CDR ids are checked against what is stored — so the events between the last saved
/// position and a crash are simply handled again. The first start begins at the log's tail: history from before the
/// bridge ran is not pushed. The position is saved only after entries that concerned roaming, since saving is itself
/// a log entry.
/// </remarks>
public sealed partial class RoamingFeed : BackgroundService
{
    /// <summary>Document collection of the position.</summary>
    public const string Collection = "ocpi-feed";

    private readonly StorageEngine _storage;
    private readonly SessionSender _sessions;
    private readonly CdrSender _cdrs;
    private readonly TariffSender _tariffs;
    private readonly LocationPush _locations;
    private readonly ILogger<RoamingFeed> _logger;
    private readonly long _firstStartHandled;

    /// <summary>Creates the feed.</summary>
    public RoamingFeed(StorageEngine storage, SessionSender sessions, CdrSender cdrs, TariffSender tariffs, LocationPush locations, ILogger<RoamingFeed> logger)
    {
        _storage = storage;
        _sessions = sessions;
        _cdrs = cdrs;
        _tariffs = tariffs;
        _locations = locations;
        _logger = logger;

        // NOTE: taken here, before the listeners open, not when ExecuteAsync gets a thread: on a busy machine that can
        // be after the first chargers' events, which would then count as history and never be pushed.
        _firstStartHandled = _storage.Log.CommittedUntil - 1;
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

                try
                {
                    relevant |= domainEvent switch
                    {
                        StatusChanged status => await _locations.OnStatusChangedAsync(status, stoppingToken).ConfigureAwait(false),
                        ChargerConnected connected => await _locations.OnConnectionChangedAsync(connected.ChargerId, online: true, connected.TimestampMs, stoppingToken).ConfigureAwait(false),
                        ChargerDisconnected disconnected => await _locations.OnConnectionChangedAsync(disconnected.ChargerId, online: false, disconnected.TimestampMs, stoppingToken).ConfigureAwait(false),
                        CdrRecorded recorded => await _cdrs.OnRecordedAsync(recorded, stoppingToken).ConfigureAwait(false),
                        DocumentPut put when put.Collection == TariffStore.TariffCollection => await _tariffs.OnChangedAsync(put.Key, put.Value, stoppingToken).ConfigureAwait(false),
                        DocumentDeleted deleted when deleted.Collection == TariffStore.TariffCollection => await _tariffs.OnChangedAsync(deleted.Key, null, stoppingToken).ConfigureAwait(false),
                        DocumentPut or DocumentDeleted => false,
                        _ => await _sessions.ApplyAsync(domainEvent, stoppingToken).ConfigureAwait(false),
                    };
                }
                catch (Exception error) when (error is not OperationCanceledException and not ObjectDisposedException)
                {
                    LogHandlerFailed(_logger, domainEvent.Kind, address, error);
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

        try
        {
            await ticker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Once a second: session progress the update interval held back.</summary>
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await _sessions.FlushDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException and not ObjectDisposedException)
            {
                LogHandlerFailed(_logger, DomainEventKind.MeterSampled, -1, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Roaming feed skipped the log entry at address {Address} ({Length} bytes): it cannot be decoded")]
    private static partial void LogSkipped(ILogger logger, long address, int length);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCPI roaming feed could not handle {Kind} at {Address}")]
    private static partial void LogHandlerFailed(ILogger logger, DomainEventKind kind, long address, Exception error);
}

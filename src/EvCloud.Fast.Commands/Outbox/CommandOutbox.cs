using System.Collections.Concurrent;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;
using MessagePack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Commands.Outbox;

/// <summary>
/// The durable per-charger outbox: commands queued for a charger that is offline (or asked to be queued) wait in the
/// <c>command-outbox</c> document collection, are sent in order once the charger is connected and Accepted, and
/// record their result. Delivery is at most once: a command is marked Sending durably before it goes out, and one
/// found in that state after a restart is marked Interrupted rather than sent again (a Reset or a RemoteStart must
/// never run twice).
/// </summary>
/// <remarks>
/// A charger is ready for its queued commands when it is connected, its last BootNotification was Accepted, and
/// either that boot came on this connection or <see cref="CommandOptions.OutboxConnectGrace"/> passed since it connected
/// (chargers often reconnect without booting; a charger that does boot gets its BootNotification answered first).
/// Finished commands are kept for <see cref="CommandOptions.OutboxRetention"/>, then removed (their
/// <c>CommandCompleted</c> events stay in the log).
/// </remarks>
public sealed partial class CommandOutbox : BackgroundService
{
    /// <summary>Document collection of queued commands.</summary>
    public const string Collection = "command-outbox";

    private readonly ConcurrentDictionary<string, QueuedCommand> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _delivering = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly StorageEngine _storage;
    private readonly CommandService _commandService;
    private readonly OcppGateway _gateway;
    private readonly CommandOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CommandOutbox> _logger;
    private long _sequence;

    /// <summary>Loads the outbox; commands left in Sending by the previous run become Interrupted.</summary>
    public CommandOutbox(StorageEngine storage, CommandService commandService, OcppGateway gateway, CommandOptions options, TimeProvider time, ILogger<CommandOutbox> logger)
    {
        _storage = storage;
        _commandService = commandService;
        _gateway = gateway;
        _options = options;
        _time = time;
        _logger = logger;
        foreach ((_, byte[] value) in storage.Documents.List(Collection))
        {
            QueuedCommand command = MessagePackSerializer.Deserialize<QueuedCommand>(value);
            _commands[command.Id] = command;
            _sequence = Math.Max(_sequence, command.Sequence);
        }
    }

    /// <summary>Commands in the outbox (pending and recently finished), oldest first.</summary>
    public IReadOnlyList<QueuedCommand> List(string? chargerId = null) =>
        [.. _commands.Values.Where(c => chargerId is null || c.ChargerId == chargerId).OrderBy(c => c.Sequence).Select(c => c.Clone())];

    /// <summary>
    /// How many commands are not answered yet and when the oldest of them was queued (0 when none): one pass over the
    /// outbox without the copies and the ordering of <see cref="List"/>, for gauges read on every scrape.
    /// </summary>
    public (int Undelivered, long OldestCreatedUnixMs) Backlog()
    {
        int undelivered = 0;
        long oldest = long.MaxValue;
        foreach (QueuedCommand command in _commands.Values)
        {
            if (!command.IsFinished)
            {
                undelivered++;
                oldest = Math.Min(oldest, command.CreatedUnixMs);
            }
        }

        return (undelivered, undelivered == 0 ? 0 : oldest);
    }

    /// <summary>One command, if it is (still) in the outbox.</summary>
    public QueuedCommand? Get(string id) => _commands.TryGetValue(id, out QueuedCommand? command) ? command.Clone() : null;

    /// <summary>Queues a command durably and returns it; it goes out as soon as its charger is ready.</summary>
    public async Task<QueuedCommand> EnqueueAsync(
        string chargerId, string action, byte[] payload, TimeSpan ttl, string source, string? operation, CancellationToken cancellationToken = default)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var command = new QueuedCommand
        {
            Id = CommandService.NewCommandId(),
            ChargerId = chargerId,
            Action = action,
            Payload = payload,
            Sequence = Interlocked.Increment(ref _sequence),
            CreatedUnixMs = now,
            ExpiresUnixMs = now + (long)ttl.TotalMilliseconds,
            State = QueuedCommandState.Queued,
            Source = source,
            Operation = operation,
        };
        await SaveAsync(command, cancellationToken).ConfigureAwait(false);
        _wake.Release();
        return command.Clone();
    }

    /// <summary>Cancels a command that has not been sent yet: the command (null when unknown) and whether this call cancelled it.</summary>
    public async Task<(QueuedCommand? Command, bool Cancelled)> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!_commands.TryGetValue(id, out QueuedCommand? command))
        {
            return (null, false);
        }

        lock (command)
        {
            if (!command.IsPending)
            {
                return (command.Clone(), false);
            }

            command.State = QueuedCommandState.Cancelled;
            command.Outcome = "Cancelled";
            command.FinishedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        await SaveAsync(command, cancellationToken).ConfigureAwait(false);
        await _commandService.RecordAsync(command.ChargerId, command.Id, command.Action, "Cancelled", command.Payload, null, command.Source, cancellationToken).ConfigureAwait(false);
        return (command.Clone(), true);
    }

    /// <summary>Looks for work now instead of at the next sweep (a charger just booted, a command was queued).</summary>
    public void Wake() => _wake.Release();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await InterruptLeftoversAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
                await _wake.WaitAsync(_options.OutboxSweepInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogSweepFailed(_logger, error);
                await Task.Delay(_options.OutboxSweepInterval, stoppingToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(_delivering.Values).ConfigureAwait(false);
    }

    private async Task InterruptLeftoversAsync(CancellationToken cancellationToken)
    {
        foreach (QueuedCommand command in _commands.Values.Where(c => c.State == QueuedCommandState.Sending).ToArray())
        {
            await FinishAsync(command, QueuedCommandState.Interrupted, new OcppCallResult(OcppCallStatus.Offline, ErrorDescription: "The server restarted before the charger answered"), "Interrupted", cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var ready = new HashSet<string>(StringComparer.Ordinal);
        foreach (QueuedCommand command in _commands.Values)
        {
            if (command.IsFinished)
            {
                if (now - command.FinishedUnixMs > (long)_options.OutboxRetention.TotalMilliseconds)
                {
                    await _storage.DeleteDocumentAsync(Collection, command.Id, cancellationToken).ConfigureAwait(false);
                    _commands.TryRemove(command.Id, out _);
                }

                continue;
            }

            if (command.IsPending && now >= command.ExpiresUnixMs && !_delivering.ContainsKey(command.ChargerId))
            {
                await FinishAsync(command, QueuedCommandState.Expired, new OcppCallResult(OcppCallStatus.Offline, ErrorDescription: "The charger was not reachable before the command expired"), "Expired", cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            if (command.IsPending && !ready.Contains(command.ChargerId) && IsReady(command.ChargerId, now))
            {
                ready.Add(command.ChargerId);
            }
        }

        foreach (string chargerId in ready)
        {
            if (!_delivering.ContainsKey(chargerId))
            {
                _delivering[chargerId] = DeliverAsync(chargerId, cancellationToken);
            }
        }
    }

    private bool IsReady(string chargerId, long now)
    {
        if (!_gateway.Registry.TryGet(chargerId, out OcppConnection connection))
        {
            return false;
        }

        // NOTE: the state record, not a snapshot: this runs every sweep for every charger with queued commands.
        if (!_storage.State.TryGetCharger(System.Text.Encoding.UTF8.GetBytes(chargerId), out ChargerState charger)
            || charger.RegistrationStatus != (byte)RegistrationStatus.Accepted)
        {
            return false;
        }

        long connectedAt = connection.ConnectedAt.ToUnixTimeMilliseconds();
        return charger.LastBootMs >= connectedAt || now - connectedAt >= (long)_options.OutboxConnectGrace.TotalMilliseconds;
    }

    /// <summary>Sends a charger's pending commands one by one, in order, while it stays connected.</summary>
    private async Task DeliverAsync(string chargerId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                QueuedCommand? next = _commands.Values.Where(c => c.ChargerId == chargerId && c.IsPending).MinBy(c => c.Sequence);
                if (next is null || !_gateway.Registry.IsConnected(chargerId))
                {
                    return;
                }

                lock (next)
                {
                    if (!next.IsPending)
                    {
                        continue;
                    }

                    next.State = QueuedCommandState.Sending;
                    next.SentUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                }

                // NOTE: durable before it goes out, so a crash during the call can never lead to a second delivery.
                await SaveAsync(next, cancellationToken).ConfigureAwait(false);
                if (!_gateway.Registry.IsConnected(chargerId))
                {
                    next.State = QueuedCommandState.Queued;
                    await SaveAsync(next, cancellationToken).ConfigureAwait(false);
                    return;
                }

                OcppCallResult result = await _gateway.CallAsync(chargerId, next.Action, next.Payload).ConfigureAwait(false);
                QueuedCommandState state = result.Status switch
                {
                    OcppCallStatus.Completed => QueuedCommandState.Completed,
                    OcppCallStatus.Offline => QueuedCommandState.Interrupted,
                    _ => QueuedCommandState.Failed,
                };
                await FinishAsync(next, state, result, result.Status.ToString(), CancellationToken.None).ConfigureAwait(false);
                LogDelivered(_logger, next.Id, next.Action, chargerId, result.Status);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            LogDeliveryFailed(_logger, chargerId, error);
        }
        finally
        {
            _delivering.TryRemove(chargerId, out _);
        }
    }

    private async Task FinishAsync(QueuedCommand command, QueuedCommandState state, OcppCallResult result, string outcome, CancellationToken cancellationToken)
    {
        lock (command)
        {
            command.State = state;
            command.Outcome = outcome;
            command.Response = result.Payload;
            command.ErrorCode = result.ErrorCode;
            command.ErrorDescription = result.ErrorDescription;
            command.FinishedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        await SaveAsync(command, cancellationToken).ConfigureAwait(false);
        await _commandService.RecordAsync(command.ChargerId, command.Id, command.Action, outcome, command.Payload, result, command.Source, cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveAsync(QueuedCommand command, CancellationToken cancellationToken)
    {
        byte[] value;
        lock (command)
        {
            value = MessagePackSerializer.Serialize(command);
        }

        await _storage.PutDocumentAsync(Collection, command.Id, value, cancellationToken).ConfigureAwait(false);
        _commands[command.Id] = command;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued command {CommandId} ({Action}) delivered to {ChargerId}: {Status}")]
    private static partial void LogDelivered(ILogger logger, string commandId, string action, string chargerId, OcppCallStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering queued commands to {ChargerId} failed; they stay queued")]
    private static partial void LogDeliveryFailed(ILogger logger, string chargerId, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sweep failed; retrying")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}

using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Host.Health;

/// <summary>
/// <c>outbox.commands</c>: whether queued charger commands go out. Degraded when a command stays queued although its
/// charger has been connected for <see cref="HealthOptions.CommandOutboxStuckAfter"/>, or stays in flight that long.
/// Commands waiting for an offline charger are normal and only reported in the data.
/// </summary>
public sealed class CommandOutboxHealthCheck(CommandOutbox outbox, OcppGateway gateway, HealthOptions options, TimeProvider time) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        long limitMs = (long)options.CommandOutboxStuckAfter.TotalMilliseconds;
        long nowMs = now.ToUnixTimeMilliseconds();
        int queued = 0, stuck = 0;
        long oldestQueuedMs = nowMs;
        string? example = null;
        foreach (QueuedCommand command in outbox.List())
        {
            if (command.IsFinished)
            {
                continue;
            }

            queued++;
            oldestQueuedMs = Math.Min(oldestQueuedMs, command.CreatedUnixMs);
            bool inFlightTooLong = command.State == QueuedCommandState.Sending && nowMs - command.SentUnixMs > limitMs;
            bool notSent = command.IsPending && nowMs - command.CreatedUnixMs > limitMs
                && gateway.Registry.TryGet(command.ChargerId, out OcppConnection connection) && now - connection.ConnectedAt > options.CommandOutboxStuckAfter;
            if (inFlightTooLong || notSent)
            {
                stuck++;
                example ??= $"{command.Id} ({command.Action} to {command.ChargerId}, {command.State})";
            }
        }

        var data = new Dictionary<string, object>
        {
            ["undelivered"] = queued,
            ["oldestUndeliveredSeconds"] = (nowMs - oldestQueuedMs) / 1000.0,
            ["stuck"] = stuck,
        };
        return Task.FromResult(stuck > 0
            ? HealthCheckResult.Degraded($"{stuck} command(s) not delivered to connected chargers, e.g. {example}", data: data)
            : HealthCheckResult.Healthy($"{queued} command(s) waiting, none stuck", data));
    }
}

/// <summary>
/// <c>outbox.ocpi</c>: whether pushes to roaming partners are delivered. Degraded when the oldest undelivered push is
/// older than <see cref="HealthOptions.PushOutboxOldestAfter"/> (a partner unreachable or refusing: data says which and
/// why) or when dead letters wait for an operator (retry or discard them in the admin API).
/// </summary>
public sealed class PushOutboxHealthCheck(PushOutbox outbox, HealthOptions options, TimeProvider time) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        IReadOnlyList<OutboxItem> pending = outbox.Pending();
        OutboxItem? oldest = null;
        int failing = 0;
        foreach (OutboxItem item in pending)
        {
            if (oldest is null || item.CreatedMs < oldest.CreatedMs)
            {
                oldest = item;
            }

            if (item.Attempts > 0 && item.LastError is not null)
            {
                failing++;
            }
        }

        int dead = outbox.DeadLetterCount;
        double oldestSeconds = oldest is null ? 0 : (nowMs - oldest.CreatedMs) / 1000.0;
        var data = new Dictionary<string, object>
        {
            ["undelivered"] = pending.Count,
            ["failing"] = failing,
            ["oldestUndeliveredSeconds"] = oldestSeconds,
            ["deadLetters"] = dead,
        };
        if (oldest is not null && oldestSeconds > options.PushOutboxOldestAfter.TotalSeconds)
        {
            data["oldestPartner"] = oldest.PartnerId;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The oldest push to {oldest.PartnerId} ({oldest.Method} {oldest.Module}{oldest.Path}) waits since {oldestSeconds / 60:0.#} min after {oldest.Attempts} attempt(s): {oldest.LastError ?? "not sent yet"}",
                data: data));
        }

        if (dead > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"{dead} push(es) given up (dead letters) wait for an operator", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{pending.Count} push(es) waiting, {failing} retrying", data));
    }
}

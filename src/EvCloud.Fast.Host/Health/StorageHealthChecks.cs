using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Host.Health;

/// <summary>
/// <c>storage.commits</c>: whether the event log makes events durable. Unhealthy while commits fail (nothing that waits
/// for durability is acknowledged then: transaction messages go unanswered) or one hangs past
/// <see cref="HealthOptions.CommitStallAfter"/>; Healthy again with the first commit that succeeds.
/// </summary>
public sealed class StorageCommitHealthCheck(StorageEngine storage, HealthOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EventLog log = storage.Log;
        TimeSpan pending = log.PendingCommitAge;
        var data = new Dictionary<string, object>
        {
            ["committedUntil"] = log.CommittedUntil,
            ["tail"] = log.TailAddress,
            ["commits"] = log.CommitCount,
            ["commitFailures"] = log.CommitFailureCount,
            ["lastCommitMs"] = log.LastCommitDuration.TotalMilliseconds,
            ["pendingCommitMs"] = pending.TotalMilliseconds,
        };
        if (log.CommitFailure is { } failure)
        {
            data["failingSince"] = log.FailingSince!.Value;
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Event log commits fail since {log.FailingSince:O}: {failure.Message}", data: data));
        }

        if (pending > options.CommitStallAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"An event log commit has been running for {pending.TotalSeconds:0.#} s", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy("Event log commits succeed", data));
    }
}

/// <summary>
/// <c>storage.checkpoints</c>: whether the state checkpoints succeed. Degraded after a failed checkpoint or none for
/// <see cref="HealthOptions.CheckpointOverdueAfter"/>: the server works, but a restart replays more of the log.
/// </summary>
public sealed class StorageCheckpointHealthCheck(StorageEngine storage, HealthOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ChargerStateStore state = storage.State;
        TimeSpan overdue = options.CheckpointOverdueAfter ?? (state.CheckpointInterval * 3);
        TimeSpan age = DateTimeOffset.UtcNow - state.LastCheckpointAt;
        var data = new Dictionary<string, object>
        {
            ["lastCheckpointAt"] = state.LastCheckpointAt,
            ["checkpointLogAddress"] = state.CheckpointLogAddress,
            ["consecutiveFailures"] = state.ConsecutiveCheckpointFailures,
        };
        if (state.LastCheckpointError is { } error)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{state.ConsecutiveCheckpointFailures} state checkpoint(s) failed in a row: {error.Message}", data: data));
        }

        if (age > overdue)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"No state checkpoint for {age.TotalMinutes:0.#} min", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy("State checkpoints succeed", data));
    }
}

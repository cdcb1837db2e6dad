using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Host.Health;

/// <summary>
/// <c>cdr.pipeline</c>: whether every ended transaction gets its CDR in time. Degraded when the pipeline has not caught
/// up with the event log for <see cref="HealthOptions.CdrPipelineBehindAfter"/> (a burst it is working through, or a
/// pipeline that is stuck); Unhealthy when it stopped. Data: its position and how far the log's tail is ahead of it.
/// </summary>
public sealed class CdrPipelineHealthCheck(CdrPipeline pipeline, CdrOptions cdrOptions, StorageEngine storage, HealthOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!cdrOptions.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The CDR pipeline does not run in this process (Cdr:Enabled=false)"));
        }

        long read = pipeline.LastReadAddress;
        long committed = storage.Log.CommittedUntil;
        var data = new Dictionary<string, object>
        {
            ["lastReadAddress"] = read,
            ["logCommittedUntil"] = committed,
            ["lagBytes"] = Math.Max(0, committed - Math.Max(read, storage.Log.BeginAddress)),
            ["waitingForEntries"] = pipeline.WaitingForEntries,
        };
        if (pipeline.LastCaughtUpAt is { } caughtUp)
        {
            data["lastCaughtUpAt"] = caughtUp;
        }

        if (pipeline.ExecuteTask is { IsCompleted: true } stopped)
        {
            string reason = stopped.Exception?.GetBaseException().Message ?? "it returned";
            return Task.FromResult(HealthCheckResult.Unhealthy("The CDR pipeline stopped: " + reason, stopped.Exception, data));
        }

        if (pipeline.WaitingForEntries)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The CDR pipeline has read every committed event", data));
        }

        TimeSpan behind = DateTimeOffset.UtcNow - (pipeline.LastCaughtUpAt ?? DateTimeOffset.MinValue);
        if (pipeline.CaughtUp.IsCompleted && behind > options.CdrPipelineBehindAfter)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The CDR pipeline has not caught up with the event log for {behind.TotalMinutes:0.#} min", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy("The CDR pipeline is reading the event log", data));
    }
}

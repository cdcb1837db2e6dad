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
/// <remarks>
/// The age is measured on the same <see cref="TimeProvider"/> the pipeline stamps <see cref="CdrPipeline.LastCaughtUpAt"/>
/// with: two clocks would make the difference meaningless under a test clock, or after a wall-clock step.
/// </remarks>
public sealed class CdrPipelineHealthCheck(CdrPipeline pipeline, CdrOptions cdrOptions, StorageEngine storage, HealthOptions options, TimeProvider time) : IHealthCheck
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

        var state = new CdrPipelineState(pipeline.ExecuteTask, pipeline.WaitingForEntries, pipeline.CaughtUp.IsCompleted, pipeline.LastCaughtUpAt);
        return Task.FromResult(Evaluate(state, time.GetUtcNow(), options.CdrPipelineBehindAfter, data));
    }

    /// <summary>The verdict on one reading of the pipeline (public for the tests, which set each state).</summary>
    public static HealthCheckResult Evaluate(CdrPipelineState state, DateTimeOffset now, TimeSpan behindAfter, IReadOnlyDictionary<string, object> data)
    {
        if (state.Execution is { IsCompleted: true } stopped)
        {
            string reason = stopped.Exception?.GetBaseException().Message ?? "it returned";
            return HealthCheckResult.Unhealthy("The CDR pipeline stopped: " + reason, stopped.Exception, data);
        }

        if (state.WaitingForEntries)
        {
            return HealthCheckResult.Healthy("The CDR pipeline has read every committed event", data);
        }

        // NOTE: before its first catch-up (the replay at start) the pipeline has no age to report; the replay's
        // progress shows in lagBytes.
        if (state.CaughtUpOnce && state.LastCaughtUpAt is { } caughtUp && now - caughtUp > behindAfter)
        {
            return HealthCheckResult.Degraded(
                $"The CDR pipeline has not caught up with the event log for {(now - caughtUp).TotalMinutes:0.#} min", data: data);
        }

        return HealthCheckResult.Healthy("The CDR pipeline is reading the event log", data);
    }
}

/// <summary>One reading of <see cref="CdrPipeline"/> for <see cref="CdrPipelineHealthCheck.Evaluate"/>.</summary>
/// <param name="Execution">The pipeline's background task (null before it started).</param>
/// <param name="WaitingForEntries">Whether it has read every committed entry and waits for the next.</param>
/// <param name="CaughtUpOnce">Whether it has finished its replay at start.</param>
/// <param name="LastCaughtUpAt">When it last had read every committed entry.</param>
public readonly record struct CdrPipelineState(Task? Execution, bool WaitingForEntries, bool CaughtUpOnce, DateTimeOffset? LastCaughtUpAt);

using System.Diagnostics.Metrics;

namespace EvCloud.Fast.Storage;

/// <summary>
/// Instruments of the <c>EvCloud.Fast.Storage</c> meter. Shared statics: instruments are cheap to
/// record into when nobody listens, and one meter per process is what exporters expect.
/// </summary>
public static class StorageMetrics
{
    public const string MeterName = "EvCloud.Fast.Storage";

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>Wall time of one FasterLog group commit, in milliseconds.</summary>
    internal static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>("evcloud.log.commit.duration", "ms", "Duration of one event log group commit.");

    /// <summary>Failed event log writes and commits (each retry of a failing write counts again).</summary>
    internal static readonly Counter<long> CommitFailures =
        Meter.CreateCounter<long>("evcloud.log.commit.failures", "{failure}", "Event log writes or commits that failed; nothing waiting on them was acknowledged.");

    /// <summary>State checkpoints that failed (the next period tries again; recovery then replays more of the log).</summary>
    internal static readonly Counter<long> CheckpointFailures =
        Meter.CreateCounter<long>("evcloud.state.checkpoint.failures", "{failure}", "State checkpoints that failed.");

    /// <summary>Log entries that could not be decoded and were skipped by a log follower, by follower.</summary>
    public static readonly Counter<long> SkippedEntries =
        Meter.CreateCounter<long>("evcloud.log.entries.skipped", "{entry}", "Event log entries a follower could not decode and skipped.");

    /// <summary>Events appended to the log (durable or not yet).</summary>
    internal static readonly Counter<long> Appended =
        Meter.CreateCounter<long>("evcloud.log.appended", "{event}", "Events appended to the event log.");
}

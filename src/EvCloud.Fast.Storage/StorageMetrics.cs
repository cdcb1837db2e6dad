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

    /// <summary>Events appended to the log (durable or not yet).</summary>
    internal static readonly Counter<long> Appended =
        Meter.CreateCounter<long>("evcloud.log.appended", "{event}", "Events appended to the event log.");
}

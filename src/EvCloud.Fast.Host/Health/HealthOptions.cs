namespace EvCloud.Fast.Host.Health;

/// <summary>Thresholds of the readiness checks (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// A group commit still running after this long makes storage Unhealthy even without an error: a disk that
    /// neither answers nor fails holds every durable answer. Normal commits take milliseconds.
    /// </summary>
    public TimeSpan CommitStallAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No successful checkpoint for this long makes storage Degraded; null is three checkpoint periods.</summary>
    public TimeSpan? CheckpointOverdueAfter { get; set; }

    /// <summary>The CDR pipeline not caught up with the log for this long is Degraded (CDRs come late).</summary>
    public TimeSpan CdrPipelineBehindAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A queued command not sent although its charger has been connected this long, or one in flight this long, makes
    /// the command outbox Degraded. Commands for offline chargers wait by design and never count.
    /// </summary>
    public TimeSpan CommandOutboxStuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The oldest undelivered OCPI push older than this makes the push outbox Degraded (a partner is unreachable or refuses).</summary>
    public TimeSpan PushOutboxOldestAfter { get; set; } = TimeSpan.FromMinutes(15);
}

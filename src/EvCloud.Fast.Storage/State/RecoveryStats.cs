namespace EvCloud.Fast.Storage.State;

/// <summary>What <see cref="ChargerStateStore.Open"/> did to get back to the last durable state.</summary>
/// <param name="FromCheckpoint">A checkpoint was found and loaded.</param>
/// <param name="CheckpointLogAddress">Log address the checkpoint covers; replay started there (BeginAddress without a checkpoint).</param>
/// <param name="ReplayedEvents">Committed events fed through Apply after the checkpoint.</param>
/// <param name="SkippedEvents">Entries that could not be decoded and were skipped.</param>
/// <param name="LogCommittedUntil">Committed tail of the log at recovery.</param>
/// <param name="Duration">Checkpoint load plus replay.</param>
public sealed record RecoveryStats(
    bool FromCheckpoint,
    long CheckpointLogAddress,
    long ReplayedEvents,
    long SkippedEvents,
    long LogCommittedUntil,
    TimeSpan Duration);

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// Settings of the FASTER KV stores under <c>&lt;DataDirectory&gt;/state</c>. There are three stores
/// (chargers, connectors, transactions); the sizes apply to each. Sizes are powers of two.
/// </summary>
public sealed class StateStoreOptions
{
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Time between background checkpoints. Recovery replays the log written since the last one:
    /// 60 s at 5,000 events/s is 300k events, a few seconds of replay.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Hash index size in bytes per store; 4 MB is 64k buckets of 8 entries, ~500k keys before chains grow.</summary>
    public long IndexSize { get; set; } = 1L << 22;

    /// <summary>
    /// In-memory log per store. Hot-path reads must not go to disk: with the 8-byte record header
    /// and the key, 64 MB holds ~160k chargers (408 B each), ~240k connectors (272 B) or ~320k
    /// transactions (204 B). Ended transactions stay in the store, so older ones spill to disk.
    /// </summary>
    public long MemorySize { get; set; } = 1L << 26;

    public long PageSize { get; set; } = 1L << 20;

    public long SegmentSize { get; set; } = 1L << 28;

    /// <summary>
    /// FASTER sessions kept ready. A session serves one thread at a time; more concurrent callers
    /// than this get a temporary session (allocates), so size it above the thread-pool's busy threads.
    /// </summary>
    public int SessionPoolSize { get; set; } = Math.Max(8, Environment.ProcessorCount * 4);
}

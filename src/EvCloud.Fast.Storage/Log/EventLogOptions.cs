using FASTER.core;

namespace EvCloud.Fast.Storage.Log;

/// <summary>Settings of the FasterLog event log; sizes are powers of two, as FASTER requires.</summary>
public sealed class EventLogOptions
{
    /// <summary>Data directory; the log lives in <c>&lt;DataDirectory&gt;/&lt;Name&gt;</c>.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Sub-directory of this log: <c>log</c> for the domain events; other append-only stores (CDRs) use their own.</summary>
    public string Name { get; set; } = "log";

    /// <summary>
    /// Commit records inside the log (fast commit) instead of one metadata file per commit: cheaper commits, but a
    /// scan then reports some entries at addresses that are not their own (see <see cref="EventLog.ReadAsync"/>).
    /// Stores that read entries back by address (<see cref="EventLog.ReadEntryAsync"/>) turn it off.
    /// </summary>
    public bool FastCommit { get; set; } = true;

    /// <summary>Size of one log file on disk. 256 MB keeps truncation granular without thousands of files.</summary>
    public long SegmentSize { get; set; } = 1L << 28;

    /// <summary>
    /// In-memory part of the log. Appends wait when this fills faster than the disk drains it, so it
    /// bounds the burst absorbed: 64 MB is ~400k events of ~160 bytes.
    /// </summary>
    public long MemorySize { get; set; } = 1L << 26;

    /// <summary>Log page size; an entry must fit in a page, so 4 MB leaves room for large raw payloads.</summary>
    public long PageSize { get; set; } = 1L << 22;

    /// <summary>
    /// Minimum spacing between the starts of two group commits. 2 ms bounds the added ack latency
    /// while letting a busy gateway fold hundreds of appends into one flush (at most 500 fsyncs/s).
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Creates the device the log is written to, given the path of its file; null (the default) is a local file
    /// (<see cref="Devices.CreateLogDevice"/>). Whatever it returns, failed writes are retried above it (see
    /// <see cref="EventLog"/>). Tests put a device here that holds or fails writes on command.
    /// </summary>
    public Func<string, IDevice>? CreateDevice { get; set; }
}

using System.Text.Json.Serialization;

namespace EvCloud.Fast.Load;

/// <summary>The JSON report of an <c>idle</c> run (written to <c>--out</c>).</summary>
internal sealed record IdleReport(
    string Scenario,
    DateTimeOffset StartedAt,
    string CommandLine,
    string Url,
    int Chargers,
    int First,
    string Prefix,
    int RampPerSecond,
    double HoldSeconds,
    double SettleSeconds,
    string[] SourceIps,
    int Warmup,
    long WarmupBooted,
    bool Aborted,
    double DurationSeconds,
    StartupSummary Startup,
    MessageSummary Messages,
    ServerSummary? Server,
    ClientSummary Client);

/// <summary>How the fleet came up.</summary>
/// <param name="Booted">Chargers that completed BootNotification and both StatusNotifications.</param>
/// <param name="Failed">Chargers that ended on their own (before or after boot).</param>
/// <param name="Errors">Error counts by kind (a charger may see more than one).</param>
/// <param name="StartupSeconds">From the first connect to the last charger booted or failed.</param>
/// <param name="BootedPerSecond">Booted / StartupSeconds: the connect rate achieved.</param>
/// <param name="BootMsP50">Median time from TCP connect to the last StatusNotification.conf.</param>
/// <param name="BootMsP99">99th percentile of the same.</param>
/// <param name="BootMsMax">Slowest charger.</param>
internal sealed record StartupSummary(
    long Booted,
    long Failed,
    Dictionary<string, long> Errors,
    double StartupSeconds,
    double BootedPerSecond,
    int BootMsP50,
    int BootMsP99,
    int BootMsMax);

internal sealed record MessageSummary(long Sent, long Received, long ServerPings, long ServerCalls, long Heartbeats);

/// <summary>
/// The server's memory. Per-charger figures divide the growth over the baseline by the chargers open at the
/// 'after' reading; the "AfterGc" ones compare readings taken right after an induced full GC (--induce-gc).
/// </summary>
internal sealed record ServerSummary(
    int Pid,
    MemoryReading Baseline,
    MemoryReading? AfterSettle,
    MemoryReading? EndOfHold,
    MemoryReading? AfterDisconnect,
    double? RssKbPerCharger,
    double? RssAnonKbPerCharger,
    double? GcRegionKbPerCharger,
    MemoryReading? BaselineGc,
    MemoryReading? AfterSettleGc,
    double? RssKbPerChargerAfterGc,
    double? GcRegionKbPerChargerAfterGc,
    int? HealthConnectedChargers,
    List<MemoryReading> Samples);

/// <summary>The simulator's own footprint, to show it is not the limit (and to check the GC-region estimate).</summary>
internal sealed record ClientSummary(MemoryReading? AfterSettle, long GcCommittedKb, long GcHeapKb, double? RssKbPerCharger);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IdleReport))]
[JsonSerializable(typeof(HealthBody))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>The body of the gateway's <c>GET /health</c>.</summary>
internal sealed record HealthBody(string Status, int ConnectedChargers);

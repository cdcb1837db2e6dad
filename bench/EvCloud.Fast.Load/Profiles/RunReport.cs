using System.Text.Json.Serialization;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>The JSON report of a profile run (<c>--out</c> prefix + <c>.json</c>).</summary>
internal sealed record RunReport(
    string Profile,
    DateTimeOffset StartedAt,
    string CommandLine,
    string Url,
    bool Tls,
    int Chargers,
    int Workers,
    int RampPerSecond,
    double RatePerSecond,
    bool Aborted,
    double RunSeconds,
    StartupFigures Startup,
    WindowFigures? Window,
    StormFigures? Storm,
    Dictionary<string, long> Errors,
    ServerWindow? Server,
    List<SecondPoint> Timeline);

/// <summary>The ramp: every charger connected and booted (or failed).</summary>
internal sealed record StartupFigures(long Booted, long Failed, double Seconds, double ConnectsPerSecond);

/// <summary>The measured window: after the ramp and the warm-up, for --duration.</summary>
/// <param name="Answers">CALLRESULTs and CALLERRORs received in the window.</param>
/// <param name="AnswersPerSecond">The throughput: CALL→answer round trips per second.</param>
internal sealed record WindowFigures(double Seconds, long Answers, double AnswersPerSecond, LatencyFigures All, Dictionary<string, LatencyFigures> ByAction);

/// <summary>CALL→answer latency in milliseconds, from an HdrHistogram (3 significant digits).</summary>
internal sealed record LatencyFigures(long Count, double P50, double P90, double P99, double P999, double Max);

/// <summary>Storm: from the reconnect signal to the last charger Accepted and its status answered.</summary>
internal sealed record StormFigures(int Chargers, int Reconnected, double Seconds, bool Restarted, LatencyFigures Boot);

/// <summary>Server figures over the window, from its /metrics (and /proc with --server-pid).</summary>
/// <param name="AllocatedBytesPerMessage">GC allocated bytes / CALLs the server counted in the window (everything the process allocated, timers and the scrape included).</param>
/// <param name="CpuPercent">CPU time / wall time, of one core (200% = both cores of this machine).</param>
internal sealed record ServerWindow(
    ServerScrape? Start,
    ServerScrape? End,
    double? Messages,
    double? AllocatedBytesPerMessage,
    double? CpuPercent,
    double? WorkingSetMb,
    double? GcCollections,
    double? MeanCommitMs,
    double? ProcRssMb,
    double? ProcCpuPercent);

/// <summary>One second of the run.</summary>
internal sealed record SecondPoint(
    double T,
    long Open,
    long Booted,
    double ConnectsPerSecond,
    double SentPerSecond,
    double AnswersPerSecond,
    double P50Ms,
    double P99Ms,
    long Errors,
    double? ServerRssMb,
    double? ServerCpuPercent);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class RunReportJsonContext : JsonSerializerContext;

namespace EvCloud.Fast.Ocpp.Diagnostics;

/// <summary>
/// <c>LogRateLimit</c>: how many lines of each storm-prone kind (charger connected, disconnected, boot, push failing)
/// are written per window; see <see cref="LogRateLimiter"/>. The defaults write every line of a normal day (a few
/// reconnects a minute) and cap a fleet-wide reconnect at 20 lines per kind per 10 s plus one summary line.
/// </summary>
public sealed class LogRateLimitOptions
{
    /// <summary>Lines per kind and window (0 writes only the summaries).</summary>
    public int Lines { get; set; } = 20;

    /// <summary>The window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A limiter for one kind of line.</summary>
    public LogRateLimiter Create(Microsoft.Extensions.Logging.ILogger logger, string kind, TimeProvider? time = null) => new(logger, kind, Lines, Window, time);
}

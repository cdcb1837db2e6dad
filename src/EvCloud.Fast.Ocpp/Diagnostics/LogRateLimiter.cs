using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Diagnostics;

/// <summary>
/// Caps one kind of per-charger log line (connected, disconnected, boot, a failing push) at <see cref="Limit"/> lines
/// per <see cref="Window"/>; the lines over the cap are counted, not written, and one summary line says how many were
/// left out once the window that dropped them has passed.
/// </summary>
/// <remarks>
/// Why: 20k chargers reconnecting after a network blip or a restart would write 40k lines (disconnect, connect) and
/// 20k boots within seconds, burying the lines that matter and costing ~10 MB of log per storm. A fixed window
/// (not sampling) keeps the first lines of a storm, which name the chargers it started with, and the counts stay
/// exact in the metrics (<c>evcloud.ocpp.connects</c>, <c>evcloud.ocpp.disconnects</c>), which are never limited.
/// <para>
/// Cost: one <see cref="TimeProvider.GetUtcNow"/> and a lock per line that is logged at all (the caller checks
/// <see cref="ILogger.IsEnabled"/> first), nothing on the charger message path. The summary comes from a timer armed
/// when a window first drops a line, so it is written even when the storm ends with that window.
/// </para>
/// </remarks>
public sealed partial class LogRateLimiter : IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _windowStartTicks = long.MinValue;
    private int _written;
    private long _suppressed;
    private ITimer? _summaryTimer;

    /// <summary>Creates a limiter for the log lines of <paramref name="kind"/> (named in the summary line).</summary>
    public LogRateLimiter(ILogger logger, string kind, int limit, TimeSpan window, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _logger = logger;
        Kind = kind;
        Limit = limit;
        Window = window;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The kind of line, as the summary names it ("charger connected").</summary>
    public string Kind { get; }

    /// <summary>Lines written per window.</summary>
    public int Limit { get; }

    /// <summary>The window length.</summary>
    public TimeSpan Window { get; }

    /// <summary>Lines left out so far (all windows), for tests and diagnostics.</summary>
    public long TotalSuppressed { get; private set; }

    /// <summary>
    /// Whether one more line of this kind may be written now. Returns false (and counts the line) once the window holds
    /// <see cref="Limit"/> lines.
    /// </summary>
    public bool TryAcquire()
    {
        long now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (_windowStartTicks == long.MinValue || now - _windowStartTicks >= Window.Ticks)
            {
                FlushLocked();
                _windowStartTicks = now;
                _written = 0;
            }

            if (_written < Limit)
            {
                _written++;
                return true;
            }

            _suppressed++;
            TotalSuppressed++;
            if (_suppressed == 1)
            {
                // NOTE: due at the window's end, so the summary covers exactly the lines this window dropped.
                TimeSpan due = TimeSpan.FromTicks(Math.Max(1, _windowStartTicks + Window.Ticks - now));
                _summaryTimer?.Dispose();
                _summaryTimer = _time.CreateTimer(static state => ((LogRateLimiter)state!).OnSummaryDue(), this, due, Timeout.InfiniteTimeSpan);
            }

            return false;
        }
    }

    /// <summary>Writes the summary of the current window now, if it dropped anything (at shutdown, and for tests).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    private void OnSummaryDue()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (_suppressed == 0)
        {
            return;
        }

        LogSuppressed(_logger, _suppressed, Kind, Limit, Window.TotalSeconds);
        _suppressed = 0;
        _summaryTimer?.Dispose();
        _summaryTimer = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Suppressed} more '{Kind}' lines left out (at most {Limit} per {WindowSeconds} s are written; the metrics count every one)")]
    private static partial void LogSuppressed(ILogger logger, long suppressed, string kind, int limit, double windowSeconds);
}

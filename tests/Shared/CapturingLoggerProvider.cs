using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Tests.Shared;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every line (category, level, message, structured state) and lets a test
/// await the first line matching a condition, so no test sleeps to wait for a log line.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<CapturedLine> _lines = [];
    private readonly List<(Func<CapturedLine, bool> Match, TaskCompletionSource<CapturedLine> Done)> _waiters = [];

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<CapturedLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The first line (already written or still to come) that matches, or a timeout failure naming the lines seen.</summary>
    public async Task<CapturedLine> WaitForAsync(Func<CapturedLine, bool> match, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<CapturedLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            CapturedLine? existing = _lines.Find(l => match(l));
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("No matching log line; seen:\n" + string.Join("\n", Lines.Select(l => l.Message)));
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(CapturedLine line)
    {
        List<TaskCompletionSource<CapturedLine>> matched = [];
        lock (_lock)
        {
            _lines.Add(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    matched.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (TaskCompletionSource<CapturedLine> done in matched)
        {
            done.TrySetResult(line);
        }
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    values[pair.Key] = pair.Value;
                }
            }

            provider.Add(new CapturedLine(category, logLevel, formatter(state, exception), values));
        }
    }
}

/// <summary>One captured log line.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>A structured value as text (invariant).</summary>
    public string? Value(string name) => Values.TryGetValue(name, out object? value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

using EvCloud.Fast.Ocpp.Diagnostics;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EvCloud.Fast.Ocpp.Tests.Diagnostics;

public sealed class LogRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public void AStorm_WritesTheFirstLinesOfEachWindow_AndCountsTheRest()
    {
        using LogRateLimiter limiter = new(_logs.CreateLogger("test"), "charger connected", limit: 3, TimeSpan.FromSeconds(10), _time);

        bool[] first = [.. Enumerable.Range(0, 1000).Select(_ => limiter.TryAcquire())];

        Assert.Equal(3, first.Count(a => a));
        Assert.True(first[0] && first[1] && first[2]);
        Assert.Equal(997, limiter.TotalSuppressed);
    }

    [Fact]
    public void TheSummary_IsWrittenWhenTheWindowEnds_EvenIfTheStormStopped()
    {
        using LogRateLimiter limiter = new(_logs.CreateLogger("test"), "charger disconnected", limit: 2, TimeSpan.FromSeconds(10), _time);
        for (int i = 0; i < 20_000; i++)
        {
            limiter.TryAcquire();
        }

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(_logs.Lines);

        _time.Advance(TimeSpan.FromSeconds(1));

        CapturedLine summary = Assert.Single(_logs.Lines);
        Assert.Equal(LogLevel.Information, summary.Level);
        Assert.Equal("19998", summary.Value("Suppressed"));
        Assert.Equal("charger disconnected", summary.Value("Kind"));
        Assert.Contains("19998 more 'charger disconnected' lines left out", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewWindow_WritesAgain_AndSummarisesThePreviousOneOnce()
    {
        using LogRateLimiter limiter = new(_logs.CreateLogger("test"), "OCPI push failed", limit: 1, TimeSpan.FromSeconds(10), _time);
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());

        _time.Advance(TimeSpan.FromSeconds(10)); // the timer writes the summary of the first window
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["2", "1"], _logs.Lines.Select(l => l.Value("Suppressed")));
    }

    [Fact]
    public void AQuietDay_WritesEveryLine_AndNoSummary()
    {
        using LogRateLimiter limiter = new(_logs.CreateLogger("test"), "boot", limit: 20, TimeSpan.FromSeconds(10), _time);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(limiter.TryAcquire());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Empty(_logs.Lines);
        Assert.Equal(0, limiter.TotalSuppressed);
    }
}

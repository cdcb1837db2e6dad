using System.Diagnostics;
using HdrHistogram;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// CALL→answer latencies per action, in microseconds, in HdrHistograms (3 significant digits, up to 60 s).
/// Recording takes a per-action lock: uncontended in practice (two cores, a few threads), and simpler than
/// HdrHistogram's Recorder phasers. <see cref="TakeInterval"/> swaps in fresh histograms once a second.
/// </summary>
internal sealed class LatencyRecorder
{
    public const long HighestMicros = 60_000_000;

    private readonly Lock[] _locks;
    private readonly LongHistogram[] _interval;

    public LatencyRecorder()
    {
        _locks = new Lock[ChargerActions.Count];
        _interval = new LongHistogram[ChargerActions.Count];
        for (int i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new Lock();
            _interval[i] = NewHistogram();
        }
    }

    public static LongHistogram NewHistogram() => new(1, HighestMicros, 3);

    public void Record(ChargerAction action, long stopwatchTicks)
    {
        long micros = Math.Clamp(stopwatchTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicros);
        lock (_locks[(int)action])
        {
            _interval[(int)action].RecordValue(micros);
        }
    }

    /// <summary>The histograms since the last call, per action (empty ones included).</summary>
    public LongHistogram[] TakeInterval()
    {
        var taken = new LongHistogram[_interval.Length];
        for (int i = 0; i < taken.Length; i++)
        {
            LongHistogram fresh = NewHistogram();
            lock (_locks[i])
            {
                taken[i] = _interval[i];
                _interval[i] = fresh;
            }
        }

        return taken;
    }

    /// <summary>A histogram as (value, count) pairs of its recorded buckets: how workers hand latencies to the coordinator.</summary>
    public static long[][] ToPairs(LongHistogram histogram)
    {
        var pairs = new List<long[]>();
        foreach (HdrHistogram.Iteration.HistogramIterationValue v in histogram.RecordedValues())
        {
            pairs.Add([v.ValueIteratedTo, v.CountAtValueIteratedTo]);
        }

        return pairs.ToArray();
    }

    public static void AddPairs(LongHistogram into, long[][] pairs)
    {
        foreach (long[] p in pairs)
        {
            into.RecordValueWithCount(Math.Min(p[0], HighestMicros), p[1]);
        }
    }
}

namespace EvCloud.Fast.Tariffs;

/// <summary>
/// UTC offsets of a location over one session: the offset at the start plus every transition (DST) inside it, so
/// local wall-clock time is one comparison away instead of a <see cref="TimeZoneInfo"/> call per meter point.
/// </summary>
internal sealed class ZoneClock
{
    private const long ScanStep = TimeSpan.TicksPerDay;

    private readonly long[] _transitions;
    private readonly long[] _offsets;

    private ZoneClock(long[] transitions, long[] offsets)
    {
        _transitions = transitions;
        _offsets = offsets;
    }

    public ReadOnlySpan<long> Transitions => _transitions;

    public static ZoneClock For(TimeZoneInfo zone, long fromUtc, long toUtc)
    {
        var first = Offset(zone, fromUtc);
        var last = Offset(zone, toUtc);
        if (first == last && toUtc - fromUtc <= 7 * TimeSpan.TicksPerDay)
        {
            // NOTE: zones change offset at most twice a year (a few, like Morocco's, a month apart), so equal offsets a
            // week apart mean no transition in between.
            return new ZoneClock([], [first]);
        }
        var transitions = new List<long>(2);
        var offsets = new List<long>(3) { first };
        var t = fromUtc;
        var current = first;
        while (t < toUtc)
        {
            var next = Math.Min(t + ScanStep, toUtc);
            var offsetNext = Offset(zone, next);
            if (offsetNext != current)
            {
                var lo = t;
                var hi = next;
                while (hi - lo > TimeSpan.TicksPerSecond)
                {
                    var mid = lo + ((hi - lo) / 2);
                    if (Offset(zone, mid) == current)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid;
                    }
                }
                var whole = hi - (hi % TimeSpan.TicksPerSecond);
                transitions.Add(whole > lo && Offset(zone, whole) != current ? whole : hi);
                offsets.Add(offsetNext);
                current = offsetNext;
            }
            t = next;
        }
        return new ZoneClock([.. transitions], [.. offsets]);
    }

    public long OffsetAt(long utcTicks)
    {
        var i = 0;
        while (i < _transitions.Length && utcTicks >= _transitions[i])
        {
            i++;
        }
        return _offsets[i];
    }

    public long ToLocal(long utcTicks) => utcTicks + OffsetAt(utcTicks);

    /// <summary>
    /// Every instant in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>) where the local clock shows one of
    /// <paramref name="timesOfDay"/>, plus the transitions themselves (the wall clock jumps there). A wall time skipped by
    /// a spring-forward gap has no instant; one repeated by a fall-back has two.
    /// </summary>
    public void AddWallClockInstants(ReadOnlySpan<long> timesOfDay, long fromUtc, long toUtc, List<long> into)
    {
        var minOffset = long.MaxValue;
        var maxOffset = long.MinValue;
        foreach (var o in _offsets)
        {
            minOffset = Math.Min(minOffset, o);
            maxOffset = Math.Max(maxOffset, o);
        }
        var firstDay = (fromUtc + minOffset) / TimeSpan.TicksPerDay;
        var lastDay = (toUtc + maxOffset) / TimeSpan.TicksPerDay;
        for (var day = firstDay; day <= lastDay; day++)
        {
            foreach (var tod in timesOfDay)
            {
                var wall = (day * TimeSpan.TicksPerDay) + tod;
                for (var s = 0; s < _offsets.Length; s++)
                {
                    var utc = wall - _offsets[s];
                    var segmentStart = s == 0 ? long.MinValue : _transitions[s - 1];
                    var segmentEnd = s == _transitions.Length ? long.MaxValue : _transitions[s];
                    if (utc >= segmentStart && utc < segmentEnd && utc > fromUtc && utc < toUtc)
                    {
                        into.Add(utc);
                    }
                }
            }
        }
        foreach (var t in _transitions)
        {
            if (t > fromUtc && t < toUtc)
            {
                into.Add(t);
            }
        }
    }

    private static long Offset(TimeZoneInfo zone, long utcTicks)
        => zone.GetUtcOffset(new DateTimeOffset(utcTicks, TimeSpan.Zero)).Ticks;
}

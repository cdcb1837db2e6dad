using System.Diagnostics;
using System.Net;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// The chargers of one worker process: ramp, the shared 100 ms tick, the open-loop rate scheduler, and the
/// drop / reconnect / close commands the coordinator sends.
/// </summary>
internal sealed class WorkerFleet
{
    private readonly ProfileCharger[] _chargers;
    private readonly Task[] _runs;
    private readonly IPAddress[] _sources;
    private int _started;
    private long _connectedTotal;
    private volatile bool _sending;

    public WorkerFleet(RunOptions options, IPAddress[] sources)
    {
        Options = options;
        _sources = sources;
        EscapedPrefix = Uri.EscapeDataString(options.Prefix);
        HostHeader = options.Url.Authority;
        HeartbeatMs = (long)options.Heartbeat.TotalMilliseconds;
        MeterMs = (long)options.Meter.TotalMilliseconds;
        TimerDriven = options.Rate == 0 && options.Profile is LoadProfile.Steady or LoadProfile.Storm;
        ClosedLoop = options.Rate == 0 && options.Profile is LoadProfile.Stress or LoadProfile.Transactions;
        _chargers = new ProfileCharger[options.Chargers];
        _runs = new Task[options.Chargers];
        for (int i = 0; i < _chargers.Length; i++)
        {
            _chargers[i] = new ProfileCharger(this, options.First + i);
            _runs[i] = Task.CompletedTask;
        }
    }

    public RunOptions Options { get; }

    public LoadStats Stats { get; } = new();

    public LatencyRecorder Latency { get; } = new();

    public string EscapedPrefix { get; }

    public string HostHeader { get; }

    public long HeartbeatMs { get; }

    public long MeterMs { get; }

    /// <summary>Steady and storm without --rate: each charger's own heartbeat and meter timers.</summary>
    public bool TimerDriven { get; }

    /// <summary>Stress and transactions without --rate: the next CALL as soon as the last is answered.</summary>
    public bool ClosedLoop { get; }

    /// <summary>False until the coordinator says go (after the ramp), so closed-loop traffic does not slow the ramp.</summary>
    public bool Sending => _sending;

    public long ConnectedTotal => Interlocked.Read(ref _connectedTotal);

    public int Count => _chargers.Length;

    public void ConnectedOne() => Interlocked.Increment(ref _connectedTotal);

    /// <summary>Starts every charger at this worker's share of the ramp; populate keeps at most --window open.</summary>
    public async Task RampAsync(double perSecond, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        int next = 0;
        while (next < _chargers.Length && !cancel.IsCancellationRequested)
        {
            int due = (int)Math.Min(_chargers.Length, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            if (Options.Profile == LoadProfile.Populate)
            {
                due = (int)Math.Min(due, Stats.Settled + Options.Window);
            }

            for (; next < due; next++)
            {
                _runs[next] = _chargers[next].RunAsync(_sources.Length == 0 ? null : _sources[next % _sources.Length]);
                Volatile.Write(ref _started, next + 1);
            }

            await Task.Delay(10, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Lets closed-loop chargers start sending: every booted charger sends its first CALL.</summary>
    public void StartSending()
    {
        _sending = true;
        if (ClosedLoop)
        {
            foreach (ProfileCharger c in _chargers)
            {
                c.TrySendScheduled();
            }
        }
    }

    public void StopSending() => _sending = false;

    /// <summary>The shared tick (100 ms) and, with --rate, the open-loop scheduler (every 5 ms, round robin over idle chargers).</summary>
    public async Task TickAsync(double ratePerSecond, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ratePerSecond > 0 ? 5 : 100));
        long lastTick = 0;
        var clock = Stopwatch.StartNew();
        double credit = 0;
        TimeSpan last = TimeSpan.Zero;
        int cursor = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                int started = Volatile.Read(ref _started);
                if (now - lastTick >= 100)
                {
                    lastTick = now;
                    for (int i = 0; i < started; i++)
                    {
                        _chargers[i].Tick(now);
                    }
                }

                if (ratePerSecond > 0 && _sending && started > 0)
                {
                    TimeSpan elapsed = clock.Elapsed;
                    credit = Math.Min(credit + ((elapsed - last).TotalSeconds * ratePerSecond), ratePerSecond / 10);
                    last = elapsed;
                    int tried = 0;
                    while (credit >= 1 && tried < started)
                    {
                        if (_chargers[cursor].TrySendScheduled())
                        {
                            credit--;
                        }

                        cursor = (cursor + 1) % started;
                        tried++;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Storm: every socket dropped at once, as chargers see a server restart.</summary>
    public async Task DropAsync()
    {
        int started = Volatile.Read(ref _started);
        for (int i = 0; i < started; i++)
        {
            _chargers[i].Abort();
        }

        await Task.WhenAny(Task.WhenAll(_runs), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
    }

    /// <summary>Storm: every charger reconnects at once, retrying refused connects until <paramref name="retryUntil"/>.</summary>
    public void ReconnectAll(long retryUntil)
    {
        for (int i = 0; i < _chargers.Length; i++)
        {
            _runs[i] = _chargers[i].RunAsync(_sources.Length == 0 ? null : _sources[i % _sources.Length], retryUntil);
        }

        Volatile.Write(ref _started, _chargers.Length);
    }

    /// <summary>The latest boot time of the fleet (Stopwatch timestamp), when every charger has booted since <paramref name="since"/>; else 0.</summary>
    public long AllBootedSince(long since)
    {
        long latest = 0;
        foreach (ProfileCharger c in _chargers)
        {
            long at = c.BootedAt;
            if (at < since)
            {
                return 0;
            }

            latest = Math.Max(latest, at);
        }

        return latest;
    }

    public int BootedSince(long since) => _chargers.Count(c => c.BootedAt >= since && c.BootedAt != 0);

    public async Task CloseAsync(TimeSpan grace)
    {
        _sending = false;
        int started = Volatile.Read(ref _started);
        for (int i = 0; i < started; i++)
        {
            _chargers[i].BeginClose();
        }

        Task all = Task.WhenAll(_runs);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) != all)
        {
            for (int i = 0; i < started; i++)
            {
                _chargers[i].Abort();
            }

            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    /// <summary>Populate: whether every charger has run (booted and closed, or failed).</summary>
    public bool AllDone => Volatile.Read(ref _started) == _chargers.Length && _chargers.All(c => c.IsEnded);
}

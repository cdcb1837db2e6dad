using System.Diagnostics;
using System.Net;

namespace EvCloud.Fast.Load;

/// <summary>
/// The simulated chargers of one process: starts them at the ramp rate, drives their deadlines and
/// heartbeats from one shared timer, and closes them at the end.
/// </summary>
internal sealed class Fleet
{
    private readonly SimulatedCharger[] _chargers;
    private readonly Task[] _runs;
    private int _started;

    public Fleet(LoadOptions options)
    {
        Options = options;
        EscapedPrefix = Uri.EscapeDataString(options.Prefix);
        HostHeader = options.Url.Authority;
        _chargers = new SimulatedCharger[options.Chargers];
        _runs = new Task[options.Chargers];
        for (int i = 0; i < _chargers.Length; i++)
        {
            _chargers[i] = new SimulatedCharger(this, options.First + i);
            _runs[i] = Task.CompletedTask;
        }
    }

    public LoadOptions Options { get; }

    public LoadStats Stats { get; } = new();

    /// <summary>The id prefix, percent-encoded for the request target.</summary>
    public string EscapedPrefix { get; }

    public string HostHeader { get; }

    public int Started => Volatile.Read(ref _started);

    public IReadOnlyList<SimulatedCharger> Chargers => _chargers;

    /// <summary>Starts every charger, <see cref="LoadOptions.Ramp"/> per second, in 10 ms batches.</summary>
    public async Task RampAsync(CancellationToken cancel)
    {
        IPAddress[] sources = Options.SourceIps;
        var clock = Stopwatch.StartNew();
        int next = 0;
        while (next < _chargers.Length && !cancel.IsCancellationRequested)
        {
            int due = (int)Math.Min(_chargers.Length, (long)(clock.Elapsed.TotalSeconds * Options.Ramp) + 1);
            for (; next < due; next++)
            {
                IPAddress? source = sources.Length == 0 ? null : sources[next % sources.Length];
                _runs[next] = _chargers[next].RunAsync(source);
                Volatile.Write(ref _started, next + 1);
            }

            await Task.Delay(10, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The shared timer: twice a second, every charger checks its deadline or heartbeat.</summary>
    public async Task TickAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                int started = Started;
                for (int i = 0; i < started; i++)
                {
                    _chargers[i].Tick(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends Close to every charger, waits up to <paramref name="grace"/> for the server's answers, then drops the rest.</summary>
    public async Task CloseAsync(TimeSpan grace)
    {
        int started = Started;
        for (int i = 0; i < started; i++)
        {
            _chargers[i].BeginClose();
        }

        Task all = Task.WhenAll(_runs);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) != all)
        {
            Abort();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    /// <summary>Drops every socket at once (the hard time cap).</summary>
    public void Abort()
    {
        int started = Started;
        for (int i = 0; i < started; i++)
        {
            _chargers[i].Abort();
        }
    }
}

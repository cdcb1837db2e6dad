using System.Diagnostics;
using System.Text.Json;

namespace EvCloud.Fast.Load;

/// <summary>
/// The <c>idle</c> scenario: baseline reading, ramp, settle, 'after' reading, hold, close, report. Every phase
/// is bounded: the whole run stops at <see cref="LoadOptions.MaxDuration"/>, whatever happens.
/// </summary>
internal sealed class IdleRun
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    private readonly LoadOptions _options;
    private readonly string _commandLine;
    private readonly Fleet _fleet;
    private readonly Stopwatch _clock = new();
    private readonly List<MemoryReading> _samples = [];

    public IdleRun(LoadOptions options, string commandLine)
    {
        _options = options;
        _commandLine = commandLine;
        _fleet = new Fleet(options);
    }

    public async Task<IdleReport> RunAsync()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        _clock.Start();
        using var cap = new CancellationTokenSource(_options.MaxDuration);
        using var background = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            cap.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;

        MemoryReading? baseline = null, baselineGc = null, afterSettleGc = null;
        long warmupBooted = 0;
        Task ticker = _fleet.TickAsync(background.Token);
        Task progress = _options.Quiet ? Task.CompletedTask : ProgressAsync(background.Token);

        MemoryReading? afterSettle = null, endOfHold = null, afterDisconnect = null;
        ClientSummary client = new(null, 0, 0, null);
        int? healthConnected = null;
        TimeSpan startup = TimeSpan.Zero;
        bool aborted = false;
        try
        {
            if (_options.Warmup > 0)
            {
                warmupBooted = await WarmupAsync(cap.Token).ConfigureAwait(false);
            }

            baseline = Sample("baseline");
            if (_options.InduceGc && baseline is not null)
            {
                baselineGc = await SampleAfterGcAsync("baseline-gc").ConfigureAwait(false);
            }

            // Ramp, and wait until every charger has booted or failed.
            Task ramp = _fleet.RampAsync(cap.Token);
            TimeSpan rampStart = _clock.Elapsed;
            while (_fleet.Stats.Settled < _options.Chargers)
            {
                await Task.Delay(50, cap.Token).ConfigureAwait(false);
            }

            startup = _clock.Elapsed - rampStart;
            await ramp.ConfigureAwait(false);

            // Hold: idle, a reading every few seconds, the 'after' reading once the fleet has settled.
            TimeSpan holdStart = _clock.Elapsed;
            TimeSpan nextSample = holdStart + SampleEvery;
            while (_clock.Elapsed - holdStart < _options.Hold)
            {
                await Task.Delay(200, cap.Token).ConfigureAwait(false);
                if (afterSettle is null && _clock.Elapsed - holdStart >= _options.Settle)
                {
                    afterSettle = Sample("after-settle");
                    healthConnected = await ReadHealthAsync(cap.Token).ConfigureAwait(false);
                    client = ClientReading();
                    if (_options.InduceGc && afterSettle is not null)
                    {
                        afterSettleGc = await SampleAfterGcAsync("after-settle-gc").ConfigureAwait(false);
                    }
                }
                else if (_clock.Elapsed >= nextSample)
                {
                    Sample("hold");
                    nextSample += SampleEvery;
                }
            }

            endOfHold = Sample("end-of-hold");
            await _fleet.CloseAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(5), cap.Token).ConfigureAwait(false);
            afterDisconnect = Sample("after-disconnect");
        }
        catch (OperationCanceledException) when (cap.IsCancellationRequested)
        {
            aborted = true;
            Console.Error.WriteLine($"Run stopped at {_clock.Elapsed.TotalSeconds:F0}s (--max-duration {_options.MaxDuration} or Ctrl+C); dropping every connection.");
            _fleet.Abort();
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
            await background.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }

        return BuildReport(startedAt, aborted, startup, warmupBooted, new Readings(baseline, baselineGc, afterSettle, afterSettleGc, endOfHold, afterDisconnect), healthConnected, client);
    }

    private sealed record Readings(
        MemoryReading? Baseline,
        MemoryReading? BaselineGc,
        MemoryReading? AfterSettle,
        MemoryReading? AfterSettleGc,
        MemoryReading? EndOfHold,
        MemoryReading? AfterDisconnect);

    /// <summary>Boots a small fleet with other ids and closes it, so first-use costs land before the baseline.</summary>
    private async Task<long> WarmupAsync(CancellationToken cancel)
    {
        LoadOptions warm = _options.ForWarmup();
        var fleet = new Fleet(warm);
        using var stop = new CancellationTokenSource();
        Task ticker = fleet.TickAsync(stop.Token);
        try
        {
            await fleet.RampAsync(cancel).ConfigureAwait(false);
            while (fleet.Stats.Settled < warm.Chargers)
            {
                await Task.Delay(50, cancel).ConfigureAwait(false);
            }

            await fleet.CloseAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
        }

        Console.Error.WriteLine($"warm-up: {fleet.Stats.Booted} of {warm.Chargers} booted and closed; waiting 5 s before the baseline");
        await Task.Delay(TimeSpan.FromSeconds(5), cancel).ConfigureAwait(false);
        return fleet.Stats.Booted;
    }

    private async Task<MemoryReading?> SampleAfterGcAsync(string label)
    {
        return await GcTrigger.InduceFullGcAsync(_options.ServerPid!.Value).ConfigureAwait(false) ? Sample(label) : null;
    }

    private IdleReport BuildReport(
        DateTimeOffset startedAt,
        bool aborted,
        TimeSpan startup,
        long warmupBooted,
        Readings readings,
        int? healthConnected,
        ClientSummary client)
    {
        LoadStats stats = _fleet.Stats;
        int[] bootMs = _fleet.Chargers.Select(c => c.BootMilliseconds).Where(ms => ms >= 0).Order().ToArray();
        int Percentile(double p) => bootMs.Length == 0 ? -1 : bootMs[Math.Min(bootMs.Length - 1, (int)Math.Ceiling(p * bootMs.Length) - 1)];
        var startupSummary = new StartupSummary(
            stats.Booted,
            stats.Failed,
            stats.ErrorsByKind(),
            Math.Round(startup.TotalSeconds, 2),
            startup > TimeSpan.Zero ? Math.Round(stats.Booted / startup.TotalSeconds, 1) : 0,
            Percentile(0.50),
            Percentile(0.99),
            bootMs.Length == 0 ? -1 : bootMs[^1]);

        ServerSummary? server = null;
        if (readings.Baseline is { } baseline)
        {
            static double? PerCharger(MemoryReading? before, MemoryReading? after, Func<MemoryReading, long> field) =>
                before is not null && after is { OpenChargers: > 0 } && field(after) >= 0 && field(before) >= 0
                    ? Math.Round((field(after) - field(before)) / (double)after.OpenChargers, 2)
                    : null;
            server = new ServerSummary(
                _options.ServerPid!.Value,
                baseline,
                readings.AfterSettle,
                readings.EndOfHold,
                readings.AfterDisconnect,
                PerCharger(baseline, readings.AfterSettle, r => r.RssKb),
                PerCharger(baseline, readings.AfterSettle, r => r.RssAnonKb),
                PerCharger(baseline, readings.AfterSettle, r => r.GcRegionRssKb),
                readings.BaselineGc,
                readings.AfterSettleGc,
                PerCharger(readings.BaselineGc, readings.AfterSettleGc, r => r.RssKb),
                PerCharger(readings.BaselineGc, readings.AfterSettleGc, r => r.GcRegionRssKb),
                healthConnected,
                _samples);
        }

        return new IdleReport(
            "idle",
            startedAt,
            _commandLine,
            _options.Url.ToString(),
            _options.Chargers,
            _options.First,
            _options.Prefix,
            _options.Ramp,
            _options.Hold.TotalSeconds,
            _options.Settle.TotalSeconds,
            _options.SourceIps.Select(ip => ip.ToString()).ToArray(),
            _options.Warmup,
            warmupBooted,
            aborted,
            Math.Round(_clock.Elapsed.TotalSeconds, 1),
            startupSummary,
            new MessageSummary(stats.Sent, stats.Received, stats.Pings, stats.ServerCalls, stats.Heartbeats),
            server,
            client);
    }

    private MemoryReading? Sample(string label)
    {
        if (_options.ServerPid is not { } pid)
        {
            return null;
        }

        try
        {
            MemoryReading reading = ProcessMemory.Read(pid, label, _clock.Elapsed.TotalSeconds, _fleet.Stats.Open);
            _samples.Add(reading);
            return reading;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Cannot read /proc/{pid}: {ex.Message} (did the server exit?)");
            return null;
        }
    }

    private ClientSummary ClientReading()
    {
        MemoryReading self = ProcessMemory.Read(Environment.ProcessId, "client", _clock.Elapsed.TotalSeconds, _fleet.Stats.Open);
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        double? perCharger = self.OpenChargers > 0 ? Math.Round(self.RssKb / (double)self.OpenChargers, 2) : null;
        return new ClientSummary(self, gc.TotalCommittedBytes / 1024, GC.GetTotalMemory(forceFullCollection: false) / 1024, perCharger);
    }

    private async Task<int?> ReadHealthAsync(CancellationToken cancel)
    {
        if (_options.HealthUrl is not { } url)
        {
            return null;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await using Stream body = await http.GetStreamAsync(url, cancel).ConfigureAwait(false);
            HealthBody? health = await JsonSerializer.DeserializeAsync(body, ReportJsonContext.Default.HealthBody, cancel).ConfigureAwait(false);
            return health?.ConnectedChargers;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            Console.Error.WriteLine($"GET {url} failed: {ex.Message}");
            return null;
        }
    }

    private async Task ProgressAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastSent = 0, lastReceived = 0;
        TimeSpan last = _clock.Elapsed;
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                TimeSpan now = _clock.Elapsed;
                double seconds = Math.Max(0.001, (now - last).TotalSeconds);
                long sent = _fleet.Stats.Sent, received = _fleet.Stats.Received;
                Console.Error.WriteLine(_fleet.Stats.ProgressLine(now, (sent - lastSent) / seconds, (received - lastReceived) / seconds));
                (lastSent, lastReceived, last) = (sent, received, now);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

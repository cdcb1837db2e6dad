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

        MemoryReading? baseline = Sample("baseline");
        Task ticker = _fleet.TickAsync(background.Token);
        Task progress = _options.Quiet ? Task.CompletedTask : ProgressAsync(background.Token);

        MemoryReading? afterSettle = null, endOfHold = null, afterDisconnect = null;
        ClientSummary client = new(null, 0, 0, null);
        int? healthConnected = null;
        TimeSpan startup = TimeSpan.Zero;
        bool aborted = false;
        try
        {
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

        return BuildReport(startedAt, aborted, startup, baseline, afterSettle, endOfHold, afterDisconnect, healthConnected, client);
    }

    private IdleReport BuildReport(
        DateTimeOffset startedAt,
        bool aborted,
        TimeSpan startup,
        MemoryReading? baseline,
        MemoryReading? afterSettle,
        MemoryReading? endOfHold,
        MemoryReading? afterDisconnect,
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
        if (baseline is not null)
        {
            double? PerCharger(Func<MemoryReading, long> field) =>
                afterSettle is { OpenChargers: > 0 } a && field(a) >= 0 && field(baseline) >= 0
                    ? Math.Round((field(a) - field(baseline)) / (double)a.OpenChargers, 2)
                    : null;
            server = new ServerSummary(
                _options.ServerPid!.Value,
                baseline,
                afterSettle,
                endOfHold,
                afterDisconnect,
                PerCharger(r => r.RssKb),
                PerCharger(r => r.RssAnonKb),
                PerCharger(r => r.GcRegionRssKb),
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

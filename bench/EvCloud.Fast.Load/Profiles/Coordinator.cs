using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HdrHistogram;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// Runs a profile: starts the worker processes (one per <see cref="RunOptions.PerWorker"/> chargers, each with its
/// own loopback source addresses), drives the phases (ramp, warm-up, measured window; storm: drop, restart hook,
/// reconnect), merges the workers' per-second figures and latency histograms, reads the server's metrics, and
/// writes the report. Bounded by <see cref="RunOptions.MaxDuration"/>: past it every worker is told to close,
/// then killed.
/// </summary>
internal sealed class Coordinator
{
    private readonly RunOptions _o;
    private readonly string _commandLine;
    private readonly Stopwatch _clock = new();
    private readonly Lock _lock = new();
    private readonly List<WorkerProcess> _workers = [];
    private readonly List<SecondPoint> _timeline = [];
    private readonly LongHistogram[] _window = NewSet();
    private LongHistogram _second = LatencyRecorder.NewHistogram();
    private readonly LongHistogram _stormBoot = LatencyRecorder.NewHistogram();
    private bool _measuring;
    private bool _storming;
    private bool _aborted;

    public Coordinator(RunOptions options, string commandLine)
    {
        _o = options;
        _commandLine = commandLine;
    }

    private static LongHistogram[] NewSet() => Enumerable.Range(0, ChargerActions.Count).Select(_ => LatencyRecorder.NewHistogram()).ToArray();

    public async Task<RunReport> RunAsync()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        _clock.Start();
        using var cap = new CancellationTokenSource(_o.MaxDuration);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cap.Cancel();
        };

        StartWorkers();
        using var stopTimeline = new CancellationTokenSource();
        Task timeline = TimelineAsync(stopTimeline.Token);
        StartupFigures startup = new(0, 0, 0, 0);
        WindowFigures? window = null;
        StormFigures? storm = null;
        ServerWindow? server = null;
        try
        {
            // Ramp: wait until every charger has booted or failed.
            double rampStart = _clock.Elapsed.TotalSeconds;
            if (_o.Profile == LoadProfile.Populate)
            {
                await WaitAsync(() => _workers.All(w => w.Latest?.Done == true), cap.Token).ConfigureAwait(false);
            }
            else
            {
                await WaitAsync(() => Sum(l => l.Settled) >= _o.Chargers, cap.Token).ConfigureAwait(false);
            }

            double rampSeconds = _clock.Elapsed.TotalSeconds - rampStart;
            startup = new StartupFigures(Sum(l => l.Booted), Sum(l => l.Failed), Math.Round(rampSeconds, 2), Math.Round(Sum(l => l.Connected) / Math.Max(rampSeconds, 0.001), 0));
            Console.Error.WriteLine($"ramp done: {startup.Booted} booted, {startup.Failed} failed in {startup.Seconds}s");

            if (_o.Profile == LoadProfile.Storm)
            {
                storm = await StormAsync(cap.Token).ConfigureAwait(false);
            }
            else if (_o.Profile != LoadProfile.Populate)
            {
                Broadcast("go");
                await Task.Delay(_o.Warmup, cap.Token).ConfigureAwait(false);
                (window, server) = await MeasureAsync(cap.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            _aborted = true;
            Console.Error.WriteLine($"Run stopped at {_clock.Elapsed.TotalSeconds:F0}s (--max-duration {_o.MaxDuration} or Ctrl+C)");
        }

        Broadcast("close");
        await StopWorkersAsync().ConfigureAwait(false);
        await stopTimeline.CancelAsync().ConfigureAwait(false);
        await timeline.ConfigureAwait(false);

        Dictionary<string, long> errors = new(StringComparer.Ordinal);
        foreach (WorkerProcess w in _workers)
        {
            foreach ((string k, long v) in w.Latest?.Errors ?? [])
            {
                errors[k] = errors.GetValueOrDefault(k) + v;
            }
        }

        return new RunReport(
            _o.Profile.ToString().ToLowerInvariant(), startedAt, _commandLine, _o.Url.ToString(), _o.Tls, _o.Chargers, _workers.Count, _o.Ramp, _o.Rate,
            _aborted, Math.Round(_clock.Elapsed.TotalSeconds, 1), startup, window, storm, errors, server, _timeline);
    }

    private async Task<(WindowFigures, ServerWindow)> MeasureAsync(CancellationToken cancel)
    {
        ServerScrape? before = _o.MetricsUrl is { } m1 ? await ServerFigures.ScrapeAsync(m1, _clock).ConfigureAwait(false) : null;
        (double RssMb, double CpuSeconds)? procBefore = _o.ServerPid is { } p1 ? ServerFigures.ReadProc(p1) : null;
        long answersBefore = Sum(l => l.Received);
        double t0 = _clock.Elapsed.TotalSeconds;
        lock (_lock)
        {
            _measuring = true;
        }

        await Task.Delay(_o.Duration, cancel).ConfigureAwait(false);
        lock (_lock)
        {
            _measuring = false;
        }

        double seconds = _clock.Elapsed.TotalSeconds - t0;
        long answers = Sum(l => l.Received) - answersBefore;
        (double RssMb, double CpuSeconds)? procAfter = _o.ServerPid is { } p2 ? ServerFigures.ReadProc(p2) : null;
        ServerScrape? after = _o.MetricsUrl is { } m2 ? await ServerFigures.ScrapeAsync(m2, _clock).ConfigureAwait(false) : null;

        await Task.Delay(1200, cancel).ConfigureAwait(false); // the workers' last interval histograms of the window
        LatencyFigures all;
        Dictionary<string, LatencyFigures> byAction = new(StringComparer.Ordinal);
        lock (_lock)
        {
            LongHistogram merged = LatencyRecorder.NewHistogram();
            for (int i = 0; i < _window.Length; i++)
            {
                if (_window[i].TotalCount > 0)
                {
                    byAction[ChargerActions.Names[i]] = Figures(_window[i]);
                    merged.Add(_window[i]);
                }
            }

            all = Figures(merged);
        }

        var windowFigures = new WindowFigures(Math.Round(seconds, 1), answers, Math.Round(answers / seconds, 0), all, byAction);
        double? messages = before is not null && after is not null ? after.Messages - before.Messages : null;
        var serverWindow = new ServerWindow(
            before,
            after,
            messages,
            messages is > 0 ? Math.Round((after!.AllocatedBytes - before!.AllocatedBytes) / messages.Value, 1) : null,
            before is not null && after is not null ? Math.Round(100 * (after.CpuSeconds - before.CpuSeconds) / (after.AtSeconds - before.AtSeconds), 1) : null,
            after?.WorkingSetMb,
            before is not null && after is not null ? after.GcCollections - before.GcCollections : null,
            before is not null && after is not null && after.CommitCount > before.CommitCount
                ? Math.Round((after.CommitSumMs - before.CommitSumMs) / (after.CommitCount - before.CommitCount), 3) : null,
            procAfter?.RssMb,
            procBefore is { } pb && procAfter is { } pa ? Math.Round(100 * (pa.CpuSeconds - pb.CpuSeconds) / seconds, 1) : null);
        return (windowFigures, serverWindow);
    }

    private async Task<StormFigures> StormAsync(CancellationToken cancel)
    {
        await Task.Delay(TimeSpan.FromSeconds(3), cancel).ConfigureAwait(false);
        Console.Error.WriteLine("storm: dropping every connection");
        Broadcast("drop");
        await WaitAsync(() => Sum(l => l.Open) == 0, cancel).ConfigureAwait(false);
        await Task.Delay(_o.StormPause, cancel).ConfigureAwait(false);
        bool restarted = false;
        if (_o.RestartCommand is { } cmd)
        {
            Console.Error.WriteLine($"storm: running {cmd}");
            using Process? hook = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", cmd]) { UseShellExecute = false });
            await hook!.WaitForExitAsync(cancel).ConfigureAwait(false);
            restarted = hook.ExitCode == 0;
            if (!restarted)
            {
                Console.Error.WriteLine($"storm: the restart command exited with {hook.ExitCode}");
            }
        }

        lock (_lock)
        {
            _storming = true;
        }

        long t0 = Stopwatch.GetTimestamp();
        Console.Error.WriteLine("storm: every charger reconnects now");
        Broadcast("reconnect " + t0.ToString(CultureInfo.InvariantCulture));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await WaitAsync(() => _workers.All(w => w.Latest?.AllBootedAt > t0), limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("storm: not every charger was back within 60 s");
        }

        long last = _workers.Max(w => w.Latest?.AllBootedAt ?? 0);
        int back = (int)Sum(l => l.BootedSince);
        double seconds = last > t0 && back == _o.Chargers ? Math.Round((last - t0) / (double)Stopwatch.Frequency, 2) : -1;
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(_o.Duration.TotalSeconds, 10)), cancel).ConfigureAwait(false);
        LatencyFigures boot;
        lock (_lock)
        {
            _storming = false;
            boot = Figures(_stormBoot);
        }

        return new StormFigures(_o.Chargers, back, seconds, restarted, boot);
    }

    private void StartWorkers()
    {
        string exe = Environment.ProcessPath!;
        bool viaDotnet = Path.GetFileNameWithoutExtension(exe) == "dotnet";
        int workers = _o.Workers;
        int perWorker = (_o.Chargers + workers - 1) / workers;
        for (int k = 0; k < workers; k++)
        {
            int first = _o.First + (k * perWorker);
            int count = Math.Min(perWorker, _o.Chargers - (k * perWorker));
            var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (viaDotnet)
            {
                psi.ArgumentList.Add(typeof(Coordinator).Assembly.Location);
            }

            string[] args =
            [
                "worker", _o.Profile.ToString().ToLowerInvariant(),
                "--url", _o.Url.ToString(), "--chargers", Str(count), "--first", Str(first), "--prefix", _o.Prefix,
                "--ramp", Str(Math.Max(1, _o.Ramp / workers)), "--heartbeat", Sec(_o.Heartbeat), "--meter", Sec(_o.Meter),
                "--charging", _o.Charging.ToString(CultureInfo.InvariantCulture), "--window", Str(Math.Max(1, _o.Window / workers)),
                "--connect-timeout", Sec(_o.ConnectTimeout), "--max-duration", Sec(_o.MaxDuration + TimeSpan.FromSeconds(30)),
                "--source-ips", string.Join(',', (_o.SourceIps.Length > 0 ? _o.SourceIps : _o.SourcesOf(k)).Select(ip => ip.ToString())),
            ];
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            if (_o.Rate > 0)
            {
                psi.ArgumentList.Add("--rate");
                psi.ArgumentList.Add(Str((int)Math.Max(1, _o.Rate / workers)));
            }

            if (_o.Tls)
            {
                psi.ArgumentList.Add("--tls");
            }

            Process process = Process.Start(psi)!;
            var worker = new WorkerProcess(process);
            worker.Reader = ReadWorkerAsync(worker);
            _workers.Add(worker);
        }

        static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
        static string Sec(TimeSpan t) => (t.TotalMilliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    private async Task ReadWorkerAsync(WorkerProcess worker)
    {
        while (await worker.Process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } text)
        {
            WorkerLine? line;
            try
            {
                line = JsonSerializer.Deserialize(text, WorkerJsonContext.Default.WorkerLine);
            }
            catch (JsonException)
            {
                continue;
            }

            if (line is null)
            {
                continue;
            }

            lock (_lock)
            {
                worker.Latest = line;
                for (int i = 0; i < line.Latency.Length && i < ChargerActions.Count; i++)
                {
                    if (line.Latency[i].Length == 0)
                    {
                        continue;
                    }

                    LatencyRecorder.AddPairs(_second, line.Latency[i]);
                    if (_measuring)
                    {
                        LatencyRecorder.AddPairs(_window[i], line.Latency[i]);
                    }

                    if (_storming && i is (int)ChargerAction.BootNotification)
                    {
                        LatencyRecorder.AddPairs(_stormBoot, line.Latency[i]);
                    }
                }
            }
        }
    }

    private void Broadcast(string command)
    {
        foreach (WorkerProcess w in _workers)
        {
            try
            {
                w.Process.StandardInput.WriteLine(command);
                w.Process.StandardInput.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task StopWorkersAsync()
    {
        foreach (WorkerProcess w in _workers)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await w.Process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                w.Process.Kill(entireProcessTree: true);
            }

            await w.Reader.ConfigureAwait(false);
            w.Process.Dispose();
        }
    }

    /// <summary>Once a second: merge the workers' latest figures into the timeline and print the progress line.</summary>
    private async Task TimelineAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastSent = 0, lastReceived = 0, lastConnected = 0;
        double lastT = 0;
        (double RssMb, double CpuSeconds)? lastProc = _o.ServerPid is { } p0 ? ServerFigures.ReadProc(p0) : null;
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                double t = _clock.Elapsed.TotalSeconds;
                LongHistogram second;
                lock (_lock)
                {
                    second = _second;
                    _second = LatencyRecorder.NewHistogram();
                }

                long sent = Sum(l => l.Sent), received = Sum(l => l.Received), connected = Sum(l => l.Connected);
                long errors = _workers.Sum(w => w.Latest?.Errors.Values.Sum() ?? 0);
                double dt = Math.Max(0.001, t - lastT);
                (double RssMb, double CpuSeconds)? proc = _o.ServerPid is { } p ? ServerFigures.ReadProc(p) : null;
                double? cpu = proc is { } now && lastProc is { } was ? Math.Round(100 * (now.CpuSeconds - was.CpuSeconds) / dt, 0) : null;
                var point = new SecondPoint(
                    Math.Round(t, 1), Sum(l => l.Open), Sum(l => l.Booted),
                    Math.Round((connected - lastConnected) / dt, 0), Math.Round((sent - lastSent) / dt, 0), Math.Round((received - lastReceived) / dt, 0),
                    second.TotalCount > 0 ? Ms(second.GetValueAtPercentile(50)) : 0,
                    second.TotalCount > 0 ? Ms(second.GetValueAtPercentile(99)) : 0,
                    errors, proc?.RssMb, cpu);
                _timeline.Add(point);
                if (!_o.Quiet)
                {
                    Console.Error.WriteLine(
                        $"[{t,5:F0}s] open {point.Open} booted {point.Booted} | connects {point.ConnectsPerSecond}/s | out {point.SentPerSecond}/s answers {point.AnswersPerSecond}/s | p50 {point.P50Ms} ms p99 {point.P99Ms} ms | errors {errors}"
                        + (proc is { } pr ? $" | server RSS {pr.RssMb} MB CPU {cpu}%" : ""));
                }

                (lastSent, lastReceived, lastConnected, lastT, lastProc) = (sent, received, connected, t, proc);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long Sum(Func<WorkerLine, long> field)
    {
        lock (_lock)
        {
            return _workers.Sum(w => w.Latest is { } l ? field(l) : 0);
        }
    }

    private async Task WaitAsync(Func<bool> condition, CancellationToken cancel)
    {
        while (!condition())
        {
            if (_workers.All(w => w.Process.HasExited))
            {
                throw new OperationCanceledException("every worker exited");
            }

            await Task.Delay(50, cancel).ConfigureAwait(false);
        }
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);

    private static LatencyFigures Figures(LongHistogram h) => h.TotalCount == 0
        ? new LatencyFigures(0, 0, 0, 0, 0, 0)
        : new LatencyFigures(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()));

    private sealed class WorkerProcess(Process process)
    {
        public Process Process { get; } = process;

        public WorkerLine? Latest { get; set; }

        public Task Reader { get; set; } = Task.CompletedTask;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>What a worker reports once a second on stdout, one JSON object per line.</summary>
internal sealed record WorkerLine(
    long Open,
    long Connecting,
    long Booted,
    long Failed,
    long Settled,
    long Sent,
    long Received,
    long Connected,
    Dictionary<string, long> Errors,
    long[][][] Latency,
    long AllBootedAt,
    int BootedSince,
    bool Done,
    bool Final);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkerLine))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;

/// <summary>
/// A worker process: runs its share of the fleet and talks to the coordinator over stdin (commands: <c>go</c>,
/// <c>stop-sending</c>, <c>drop</c>, <c>reconnect &lt;timestamp&gt;</c>, <c>close</c>) and stdout (a
/// <see cref="WorkerLine"/> a second). Stopwatch timestamps are CLOCK_MONOTONIC on Linux, the same in every process.
/// </summary>
internal static class Worker
{
    public static async Task<int> RunAsync(RunOptions options)
    {
        var fleet = new WorkerFleet(options, options.SourceIps);
        using var cap = new CancellationTokenSource(options.MaxDuration);
        using var stopTick = new CancellationTokenSource();
        Task tick = fleet.TickAsync(options.Rate, stopTick.Token);
        Task ramp = fleet.RampAsync(options.Ramp, cap.Token);
        long stormStart = long.MaxValue;
        bool closed = false;

        // Console.In.ReadLineAsync completes synchronously (a blocking read), so the commands are read on a pool thread.
        Task<string?> command = Task.Run(Console.In.ReadLine);
        using var report = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            Task wait = report.WaitForNextTickAsync(cap.Token).AsTask();
            while (!closed)
            {
                if (await Task.WhenAny(command, wait).ConfigureAwait(false) == command)
                {
                    string? line = await command.ConfigureAwait(false);
                    string[] parts = (line ?? "close").Split(' ', 2);
                    switch (parts[0])
                    {
                        case "go": fleet.StartSending(); break;
                        case "stop-sending": fleet.StopSending(); break;
                        case "drop": await fleet.DropAsync().ConfigureAwait(false); break;
                        case "reconnect":
                            stormStart = long.Parse(parts[1], CultureInfo.InvariantCulture);
                            fleet.ReconnectAll(stormStart + (long)(60 * Stopwatch.Frequency));
                            break;
                        default:
                            closed = true;
                            break;
                    }

                    if (!closed)
                    {
                        command = Task.Run(Console.In.ReadLine);
                    }

                    continue;
                }

                await wait.ConfigureAwait(false);
                wait = report.WaitForNextTickAsync(cap.Token).AsTask();
                Emit(fleet, stormStart, final: false);
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("worker: --max-duration reached, dropping the fleet");
        }

        await fleet.CloseAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await stopTick.CancelAsync().ConfigureAwait(false);
        await tick.ConfigureAwait(false);
        try
        {
            await ramp.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Emit(fleet, stormStart, final: true);
        return 0;
    }

    private static void Emit(WorkerFleet fleet, long stormStart, bool final)
    {
        LoadStats s = fleet.Stats;
        long[][][] latency = fleet.Latency.TakeInterval().Select(LatencyRecorder.ToPairs).ToArray();
        var line = new WorkerLine(
            s.Open, s.Connecting, s.Booted, s.Failed, s.Settled, s.Sent, s.Received, fleet.ConnectedTotal, s.ErrorsByKind(), latency,
            stormStart == long.MaxValue ? 0 : fleet.AllBootedSince(stormStart),
            stormStart == long.MaxValue ? 0 : fleet.BootedSince(stormStart),
            fleet.Options.Profile == LoadProfile.Populate && fleet.AllDone,
            final);
        Console.Out.WriteLine(JsonSerializer.Serialize(line, WorkerJsonContext.Default.WorkerLine));
        Console.Out.Flush();
    }
}

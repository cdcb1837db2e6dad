using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// <c>EvCloud.Fast.Load results &lt;dir&gt;</c>: writes <c>&lt;dir&gt;/README.md</c> from the reports the standard
/// runs left in that folder (bench/run-all.sh), so every figure on the page comes from the last run of the script.
/// A target not met is shown as missed; a run that did not happen is shown as not run.
/// </summary>
internal static class ResultsPage
{
    public static int Write(string dir)
    {
        RunReport? Load(string name)
        {
            string path = Path.Combine(dir, name + ".json");
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), RunReportJsonContext.Default.RunReport) : null;
        }

        IdleReport? idle = File.Exists(Path.Combine(dir, "idle.json"))
            ? JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(dir, "idle.json")), ReportJsonContext.Default.IdleReport) : null;
        RunReport? steady = Load("steady"), rate = Load("steady-rate"), stress = Load("stress"), tx = Load("transactions"), storm = Load("storm"), populate = Load("populate");
        Dictionary<string, string> restart = ReadKeyValues(Path.Combine(dir, "restart.txt"));
        Dictionary<string, string> run = ReadKeyValues(Path.Combine(dir, "run.txt"));

        var sb = new StringBuilder();
        sb.AppendLine("# Load runs (generated)");
        sb.AppendLine();
        sb.AppendLine("Written by `bench/run-all.sh` from the reports in this folder; do not edit by hand. The load tool and the server");
        sb.AppendLine("share this 2-core machine (and other work ran on it meanwhile), so every figure is the server *and* the simulator;");
        sb.AppendLine("see [../README.md](../README.md) for what limits each figure.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Commit: `{run.GetValueOrDefault("commit", "?")}`, run {run.GetValueOrDefault("date", "?")}, mode `{run.GetValueOrDefault("mode", "?")}` ({run.GetValueOrDefault("durations", "")})");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{run.GetValueOrDefault("command", "bench/run-all.sh")}`");
        sb.AppendLine();
        sb.AppendLine("| target | measured | verdict | run |");
        sb.AppendLine("|---|---|---|---|");

        string steadyRow = steady is null ? "not run"
            : $"{steady.Startup.Booted:N0} booted, {Open(steady):N0} open at the end, {steady.Window?.Seconds ?? 0:0} s measured, errors: {Errors(steady)}";
        bool steadyOk = steady is { Aborted: false } && steady.Startup.Booted >= 19_000 && steady.Errors.Count == 0 && steady.Window?.Seconds >= 600;
        Row("19,000 chargers connected for 10 min, steady profile, no errors", steadyRow, steady is null ? "not run" : steadyOk ? "met" : "missed", "steady");

        double? perCharger = idle?.Server?.RssKbPerCharger;
        Row("≤ 5 KB server RSS per idle connected charger", perCharger is { } kb ? $"{kb} KB ({idle!.Startup.Booted:N0} chargers; after an induced GC: {idle.Server!.RssKbPerChargerAfterGc?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} KB)" : "not run",
            perCharger is null ? "not run"
                : perCharger < 1 || idle!.Server!.RssKbPerChargerAfterGc is < 1
                    ? "inconclusive: RSS did not grow with the fleet (the GC gave back more than 19k chargers took; see idle-memory.md)"
                    : perCharger <= 5 ? "met" : "missed", "idle");

        double? alloc = steady?.Server?.AllocatedBytesPerMessage ?? rate?.Server?.AllocatedBytesPerMessage;
        Row("0 B allocated per steady-state message", alloc is { } a ? $"{a} B per message, whole server process over the steady window (timers, GC, Kestrel and the /metrics scrape included); the message path alone: 0 B (allocation-budget test)" : "not run",
            alloc is null ? "not run" : a0(alloc) ? "met" : "missed for the process; met for the message path", "steady");

        Row("≥ 40,000 CALL→CALLRESULT per second for 60 s (stress)", stress?.Window is { } sw ? $"{sw.AnswersPerSecond:N0}/s over {sw.Seconds:0} s, {stress.Chargers:N0} chargers, p99 {sw.All.P99} ms" : "not run",
            stress?.Window is null ? "not run" : stress.Window.AnswersPerSecond >= 40_000 && stress.Window.Seconds >= 60 ? "met" : "missed", "stress");

        Row("p99 ≤ 2 ms at 5,000 msg/s with 19,000 connected", rate?.Window is { } rw ? $"p99 {rw.All.P99} ms at {rw.AnswersPerSecond:N0}/s with {Open(rate):N0} open ({rw.Seconds:0} s)" : "not run",
            rate?.Window is null ? "not run" : rate.Window.All.P99 <= 2 && rate.Window.AnswersPerSecond >= 4_900 && rate.Startup.Booted >= 19_000 ? "met" : "missed", "steady-rate");

        Row("storm: 19,000 from disconnected to all Accepted in ≤ 8 s", storm?.Storm is { } st ? $"{(st.Seconds < 0 ? "not all back" : st.Seconds + " s")} for {st.Reconnected:N0} of {st.Chargers:N0}{(st.Restarted ? ", server restarted" : "")}" : "not run",
            storm?.Storm is null ? "not run" : storm.Storm.Seconds is >= 0 and <= 8 && storm.Storm.Chargers >= 19_000 ? "met" : "missed", "storm");

        string listening = restart.GetValueOrDefault("listening_ms", "");
        Row("restart with 100,000 chargers' state: listening with state recovered in ≤ 1.5 s",
            listening.Length > 0 ? $"{listening} ms from process start to listening; storage recovery {restart.GetValueOrDefault("recovery", "?")}; {populate?.Startup.Booted ?? 0:N0} chargers booted before the restart" : "not run",
            listening.Length == 0 ? "not run" : double.Parse(listening, CultureInfo.InvariantCulture) <= 1500 && populate?.Startup.Booted >= 100_000 ? "met" : "missed", "populate");

        if (tx?.Window is { } tw)
        {
            Row("(no target) transactions profile: durable start/stop/meter values", $"{tw.AnswersPerSecond:N0}/s, p99 {tw.All.P99} ms, {tx.Chargers:N0} chargers", "—", "transactions");
        }

        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        sb.AppendLine("```");
        string machine = Path.Combine(dir, "machine.txt");
        sb.AppendLine(File.Exists(machine) ? File.ReadAllText(machine).TrimEnd() : "(machine.txt missing)");
        sb.AppendLine("```");

        foreach (string name in new[] { "steady", "steady-rate", "stress", "transactions", "storm", "populate" })
        {
            string md = Path.Combine(dir, name + ".md");
            if (File.Exists(md))
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"<a id=\"{name}\"></a>");
                sb.AppendLine(File.ReadAllText(md).Replace("## ", "## " + name + " — ", StringComparison.Ordinal).TrimEnd());
            }
        }

        if (idle is not null)
        {
            sb.AppendLine();
            sb.AppendLine("<a id=\"idle\"></a>");
            sb.AppendLine("## idle — server memory per idle charger");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"`EvCloud.Fast.Load {idle.CommandLine}`");
            sb.AppendLine();
            sb.AppendLine("```");
            sb.AppendLine(Summary.Format(idle));
            sb.AppendLine("```");
        }

        if (restart.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("<a id=\"restart\"></a>");
            sb.AppendLine("## restart with the populated state");
            sb.AppendLine();
            foreach ((string k, string v) in restart)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {k}: {v}");
            }
        }

        File.WriteAllText(Path.Combine(dir, "README.md"), sb.ToString());
        Console.WriteLine($"wrote {Path.Combine(dir, "README.md")}");
        return 0;

        void Row(string target, string measured, string verdict, string anchor) =>
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {measured} | **{verdict}** | [{anchor}](#{anchor}) |");
        static bool a0(double? v) => v is <= 0.5;
    }

    private static long Open(RunReport r) => r.Timeline.Count == 0 ? 0 : r.Timeline.Where(p => p.T < r.RunSeconds - 15).Select(p => p.Open).DefaultIfEmpty(0).Max();

    private static string Errors(RunReport r) => r.Errors.Count == 0 ? "none" : string.Join(", ", r.Errors.Select(e => $"{e.Key} {e.Value}"));

    /// <summary>Reads <c>key=value</c> lines (the script's own notes: commit, mode, restart timings).</summary>
    private static Dictionary<string, string> ReadKeyValues(string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (string line in File.ReadAllLines(path))
            {
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    map[line[..eq]] = line[(eq + 1)..];
                }
            }
        }

        return map;
    }
}

using System.Globalization;
using System.Text;
using ScottPlot;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>The Markdown summary and the SVG plots of a profile run.</summary>
internal static class RunSummary
{
    public static string Markdown(RunReport r, string? plotPrefix)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## {r.Profile}: {r.Chargers:N0} chargers{(r.Aborted ? " (ABORTED)" : "")}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"`{r.CommandLine}` — {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {r.Workers} worker process(es), {r.RunSeconds} s in all.");
        sb.AppendLine();
        StartupFigures s = r.Startup;
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Ramp: {s.Booted:N0} booted, {s.Failed:N0} failed in {s.Seconds} s ({s.ConnectsPerSecond:N0} connects/s).");
        if (r.Window is { } w)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Window: {w.Seconds} s, {w.Answers:N0} CALL→answer round trips, **{w.AnswersPerSecond:N0}/s**; latency all actions p50 {w.All.P50} ms, p99 **{w.All.P99} ms**, max {w.All.Max} ms.");
        }

        if (r.Storm is { } st)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Storm{(st.Restarted ? " (server restarted between drop and reconnect)" : " (server kept running)")}: {st.Reconnected:N0} of {st.Chargers:N0} back and Accepted in **{(st.Seconds < 0 ? "not all" : st.Seconds.ToString(CultureInfo.InvariantCulture) + " s")}**; BootNotification p50 {st.Boot.P50} ms, p99 {st.Boot.P99} ms, max {st.Boot.Max} ms.");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"- Errors: {(r.Errors.Count == 0 ? "none" : string.Join(", ", r.Errors.Select(e => $"{e.Key} {e.Value}")))}.");
        if (r.Server is { } sv)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Server (window): {Fmt(sv.Messages, "N0")} CALLs counted, **{Fmt(sv.AllocatedBytesPerMessage, "0.#")} B allocated per message** (whole process), CPU {Fmt(sv.CpuPercent, "0")}% of one core, working set {Fmt(sv.WorkingSetMb, "0.#")} MB, {Fmt(sv.GcCollections, "0")} GCs, mean group commit {Fmt(sv.MeanCommitMs, "0.###")} ms.");
            if (sv.End?.CallErrors is { Count: > 0 } ce)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- Server CALLERRORs since start: {string.Join(", ", ce.Select(e => $"{e.Key} {e.Value}"))}.");
            }
        }

        if (r.Window is { ByAction.Count: > 0 } win)
        {
            sb.AppendLine();
            sb.AppendLine("| action | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach ((string action, LatencyFigures f) in win.ByAction.Append(new("all", win.All)))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {action} | {f.Count:N0} | {f.P50} | {f.P90} | {f.P99} | {f.P999} | {f.Max} |");
            }
        }

        if (plotPrefix is not null)
        {
            string name = Path.GetFileName(plotPrefix);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"![throughput]({name}-throughput.svg) ![latency]({name}-latency.svg)");
        }

        return sb.ToString();
    }

    private static string Fmt(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Throughput (answers/s, connects/s, open connections) and latency (p50/p99 per second) over time, as SVG.</summary>
    public static void Plots(RunReport r, string prefix)
    {
        double[] t = r.Timeline.Select(p => p.T).ToArray();
        if (t.Length == 0)
        {
            return;
        }

        var throughput = new Plot();
        throughput.Add.Scatter(t, r.Timeline.Select(p => p.AnswersPerSecond).ToArray()).LegendText = "answers/s";
        throughput.Add.Scatter(t, r.Timeline.Select(p => p.ConnectsPerSecond).ToArray()).LegendText = "connects/s";
        var open = throughput.Add.Scatter(t, r.Timeline.Select(p => (double)p.Open).ToArray());
        open.LegendText = "open connections (right)";
        open.Axes.YAxis = throughput.Axes.Right;
        throughput.Axes.Right.Label.Text = "open connections";
        throughput.Title($"{r.Profile}, {r.Chargers:N0} chargers: throughput");
        throughput.XLabel("seconds");
        throughput.YLabel("per second");
        throughput.ShowLegend(Alignment.UpperLeft);
        throughput.SaveSvg(prefix + "-throughput.svg", 900, 420);

        var latency = new Plot();
        latency.Add.Scatter(t, r.Timeline.Select(p => p.P50Ms).ToArray()).LegendText = "p50";
        latency.Add.Scatter(t, r.Timeline.Select(p => p.P99Ms).ToArray()).LegendText = "p99";
        latency.Title($"{r.Profile}, {r.Chargers:N0} chargers: CALL→answer latency per second");
        latency.XLabel("seconds");
        latency.YLabel("ms");
        latency.ShowLegend(Alignment.UpperLeft);
        latency.SaveSvg(prefix + "-latency.svg", 900, 420);
    }
}

using System.Text;

namespace EvCloud.Fast.Load;

/// <summary>The human-readable end-of-run summary printed on stdout.</summary>
internal static class Summary
{
    public static string Format(IdleReport r)
    {
        var sb = new StringBuilder();
        StartupSummary s = r.Startup;
        sb.AppendLine($"idle: {r.Chargers} chargers, ramp {r.RampPerSecond}/s, hold {r.HoldSeconds}s, warm-up {r.WarmupBooted}/{r.Warmup}{(r.Aborted ? " (ABORTED)" : "")}");
        sb.AppendLine($"  booted {s.Booted}, failed {s.Failed} in {s.StartupSeconds}s ({s.BootedPerSecond}/s); boot p50 {s.BootMsP50} ms, p99 {s.BootMsP99} ms, max {s.BootMsMax} ms");
        sb.AppendLine($"  errors: {(s.Errors.Count == 0 ? "none" : string.Join(", ", s.Errors.Select(e => $"{e.Key}={e.Value}")))}");
        sb.AppendLine($"  messages: sent {r.Messages.Sent}, received {r.Messages.Received}, server pings {r.Messages.ServerPings}, server calls {r.Messages.ServerCalls}, heartbeats {r.Messages.Heartbeats}");
        if (r.Server is { } server)
        {
            MemoryReading b = server.Baseline;
            sb.AppendLine($"  server pid {server.Pid}: baseline RSS {b.RssKb / 1024.0:F1} MB (anon {b.RssAnonKb / 1024.0:F1} MB, GC region {b.GcRegionRssKb / 1024.0:F1} MB)");
            if (server.AfterSettle is { } a)
            {
                sb.AppendLine($"  after settle with {a.OpenChargers} open: RSS {a.RssKb / 1024.0:F1} MB (anon {a.RssAnonKb / 1024.0:F1} MB, GC region {a.GcRegionRssKb / 1024.0:F1} MB), {a.OpenFiles} fds, {a.Threads} threads");
                sb.AppendLine($"  per charger: RSS {server.RssKbPerCharger} KB, anon {server.RssAnonKbPerCharger} KB, GC region {server.GcRegionKbPerCharger} KB; /health says {server.HealthConnectedChargers?.ToString() ?? "n/a"} connected");
            }

            if (server.AfterSettleGc is { } g && server.BaselineGc is { } bg)
            {
                sb.AppendLine($"  after induced GCs: baseline RSS {bg.RssKb / 1024.0:F1} MB (GC region {bg.GcRegionRssKb / 1024.0:F1} MB), with fleet RSS {g.RssKb / 1024.0:F1} MB (GC region {g.GcRegionRssKb / 1024.0:F1} MB)");
                sb.AppendLine($"  per charger after GC: RSS {server.RssKbPerChargerAfterGc} KB, GC region {server.GcRegionKbPerChargerAfterGc} KB");
            }

            if (server.AfterDisconnect is { } d)
            {
                sb.AppendLine($"  after disconnect: RSS {d.RssKb / 1024.0:F1} MB (anon {d.RssAnonKb / 1024.0:F1} MB)");
            }
        }

        if (r.Client.AfterSettle is { } c)
        {
            sb.AppendLine($"  client: RSS {c.RssKb / 1024.0:F1} MB ({r.Client.RssKbPerCharger} KB per charger), GC committed {r.Client.GcCommittedKb / 1024.0:F1} MB vs GC region estimate {c.GcRegionRssKb / 1024.0:F1} MB");
        }

        return sb.ToString().TrimEnd();
    }
}

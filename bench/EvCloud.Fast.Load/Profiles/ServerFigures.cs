using System.Globalization;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>One scrape of the server's Prometheus endpoint, reduced to the figures a load report needs.</summary>
internal sealed record ServerScrape(
    double AtSeconds,
    double WorkingSetMb,
    double CpuSeconds,
    double AllocatedBytes,
    double Messages,
    double Connections,
    double GcCollections,
    double CommitCount,
    double CommitSumMs,
    Dictionary<string, double> CallErrors);

/// <summary>Reads <c>GET /metrics</c> (Prometheus text exposition) and <c>/proc/&lt;pid&gt;</c>.</summary>
internal static class ServerFigures
{
    /// <summary>
    /// Scrapes once, retrying twice: a server whose CPU the load saturates can answer a scrape late, and a report
    /// without the server's figures is worth less than one taken a few seconds later.
    /// </summary>
    /// <param name="url">The server's <c>/metrics</c>.</param>
    /// <param name="clock">The run's clock: the scrape is stamped with the time its answer arrived.</param>
    public static async Task<ServerScrape?> ScrapeAsync(Uri url, System.Diagnostics.Stopwatch clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                string text = await http.GetStringAsync(url).ConfigureAwait(false);
                return Parse(text, clock.Elapsed.TotalSeconds);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"GET {url} failed (attempt {attempt} of 3): {ex.Message}");
                if (attempt == 3)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>Sums every series of each metric the report uses (e.g. CPU time over user and system).</summary>
    public static ServerScrape Parse(string exposition, double atSeconds)
    {
        double ws = 0, cpu = 0, alloc = 0, messages = 0, connections = 0, gcs = 0, commitCount = 0, commitSum = 0;
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int brace = line.IndexOf('{', StringComparison.Ordinal);
            int space = line.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }

            string name = brace > 0 ? line[..brace] : line[..space];
            string labels = brace > 0 ? line[brace..space] : "";
            switch (name)
            {
                case "dotnet_process_memory_working_set_bytes": ws += value; break;
                case "dotnet_process_cpu_time_seconds_total": cpu += value; break;
                case "dotnet_gc_heap_total_allocated_bytes_total": alloc += value; break;
                case "evcloud_ocpp_messages_total": messages += value; break;
                case "evcloud_ocpp_connections": connections += value; break;
                case "dotnet_gc_collections_total": gcs += value; break;
                case "evcloud_log_commit_duration_milliseconds_count": commitCount += value; break;
                case "evcloud_log_commit_duration_milliseconds_sum": commitSum += value; break;
                case "evcloud_ocpp_callerrors_total":
                    int at = labels.IndexOf("ocpp_error=\"", StringComparison.Ordinal);
                    string code = at < 0 ? "?" : labels[(at + 12)..labels.IndexOf('"', at + 12)];
                    errors[code] = errors.GetValueOrDefault(code) + value;
                    break;
            }
        }

        return new ServerScrape(Math.Round(atSeconds, 1), Math.Round(ws / 1048576, 1), cpu, alloc, messages, connections, gcs, commitCount, commitSum, errors);
    }

    /// <summary>RSS (MB) and CPU seconds (user + system) of <paramref name="pid"/> from /proc; null if it is gone.</summary>
    public static (double RssMb, double CpuSeconds)? ReadProc(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields after the command: state(0) … utime(11) stime(12) … rss(21, pages). Clock ticks are 100 Hz on Linux.
            double cpu = (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
            double rss = long.Parse(f[21], CultureInfo.InvariantCulture) * Environment.SystemPageSize / 1048576.0;
            return (Math.Round(rss, 1), cpu);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvCloud.Fast.Host;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Observability;

/// <summary>
/// The alert rules and the Grafana dashboard in deploy/observability name only metrics the server exports: a renamed
/// instrument or a typo would leave an alert that never fires, which nobody notices until the outage it should have
/// caught. Names come from a scrape of a running server's <c>/metrics</c> and, for instruments that have recorded
/// nothing yet (auth failures, dead letters), from the instruments the server's meters publish, translated the way
/// the Prometheus exporter names them (that translation is checked against the scrape itself).
/// </summary>
public sealed partial class ObservabilityFilesTests
{
    private static readonly string[] OurPrefixes = ["evcloud_", "http_server_", "kestrel_", "dotnet_"];

    [Fact]
    public async Task AlertRules_NameOnlyMetricsTheServerExports()
    {
        string rules = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "observability", "evcloud-alerts.yml"));
        HashSet<string> exported = await ExportedNamesAsync();
        string[] used = [.. MetricNames(rules)];
        Assert.True(used.Length > 15, "the rules should use the server's metrics: " + string.Join(", ", used));
        Assert.All(used, name => Assert.True(exported.Contains(name), $"{name} is in the alert rules but the server exports no such metric"));

        // Each rule is complete: an alert name, an expression, a severity and a summary (promtool-level structure).
        int alerts = AlertLine().Matches(rules).Count;
        Assert.True(alerts >= 10, "alerts: " + alerts);
        Assert.Equal(alerts, ExprLine().Matches(rules).Count);
        Assert.Equal(alerts, SeverityLine().Matches(rules).Count);
        Assert.Equal(alerts, SummaryLine().Matches(rules).Count);
    }

    [Fact]
    public async Task GrafanaDashboard_IsValidJson_AndNamesOnlyMetricsTheServerExports()
    {
        string path = Path.Combine(RepositoryRoot(), "deploy", "observability", "evcloud-grafana-dashboard.json");
        using JsonDocument dashboard = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        HashSet<string> exported = await ExportedNamesAsync();
        var expressions = new List<string>();
        foreach (JsonElement panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
            {
                expressions.Add(target.GetProperty("expr").GetString()!);
            }
        }

        Assert.True(expressions.Count >= 20, "targets: " + expressions.Count);
        string[] used = [.. expressions.SelectMany(MetricNames).Distinct()];
        Assert.All(used, name => Assert.True(exported.Contains(name), $"{name} is on the dashboard but the server exports no such metric"));
    }

    /// <summary>Names a running server exports (scraped), plus the names of its instruments that have no sample yet.</summary>
    private static async Task<HashSet<string>> ExportedNamesAsync()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => { lock (instruments) { instruments.Add(instrument); } } };
        listener.Start();

        await using TestServer server = await TestServer.StartAsync(ApiClient.ServerArgs());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}") };
        await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-OBSERVED"))
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
        }

        await http.GetStringAsync(new Uri("/health", UriKind.Relative));
        string scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var scraped = new HashSet<string>(SampleName().Matches(scrape).Select(m => m.Groups["name"].Value), StringComparer.Ordinal);

        var names = new HashSet<string>(scraped, StringComparer.Ordinal);
        string[] meters = [.. EvCloudServer.ExportedMeters];
        Instrument[] ours;
        lock (instruments)
        {
            ours = [.. instruments.Where(i => meters.Contains(i.Meter.Name))];
        }

        int confirmed = 0;
        foreach (Instrument instrument in ours)
        {
            string[] translated = PrometheusNames(instrument);
            if (translated.Any(scraped.Contains))
            {
                // NOTE: the translation must match the exporter wherever the scrape can tell: all of a seen instrument's names.
                Assert.All(translated, n => Assert.True(scraped.Contains(n), $"{instrument.Meter.Name}/{instrument.Name} scraped, but not as {n}"));
                confirmed++;
            }

            names.UnionWith(translated);
        }

        Assert.True(confirmed > 10, $"only {confirmed} instruments seen in the scrape; the translation is unchecked");
        return names;
    }

    /// <summary>
    /// The OpenTelemetry Prometheus exporter's names: dots to underscores, the unit as a suffix unless the name ends with
    /// it (<c>ms</c> milliseconds, <c>s</c> seconds, <c>By</c> bytes; annotations in braces add nothing), <c>_total</c> on
    /// counters, <c>_bucket</c>/<c>_count</c>/<c>_sum</c> on histograms.
    /// </summary>
    private static string[] PrometheusNames(Instrument instrument)
    {
        string name = instrument.Name.Replace('.', '_').Replace('-', '_');
        string? unit = instrument.Unit switch
        {
            "ms" => "milliseconds",
            "s" => "seconds",
            "By" => "bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        Type type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [name + "_total"];
        }

        if (type == typeof(Histogram<>))
        {
            return [name + "_bucket", name + "_count", name + "_sum"];
        }

        return [name];
    }

    private static IEnumerable<string> MetricNames(string text) =>
        MetricToken().Matches(text).Select(m => m.Value).Where(n => OurPrefixes.Any(n.StartsWith)).Distinct();

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EvCloud.Fast.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root not found from " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9_]*\b")]
    private static partial Regex MetricToken();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleName();

    [GeneratedRegex(@"^\s*- alert: \S+", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s*expr: \S.*$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"^\s*severity: (warning|critical)\s*$", RegexOptions.Multiline)]
    private static partial Regex SeverityLine();

    [GeneratedRegex(@"^\s*summary: "".+""\s*$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}

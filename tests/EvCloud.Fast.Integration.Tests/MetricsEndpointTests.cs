using System.Globalization;
using System.Text.RegularExpressions;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// <c>GET /metrics</c> is what dashboards and the load tool read: a booted charger must show up there, as a
/// connection and as messages tagged with their action and version.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task ABootedCharger_ShowsUpInMetrics_AsAConnectionAndAsTaggedMessages()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-METRICS");
        OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}") };
        using HttpResponseMessage response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode} without credentials");
        // NOTE: other test servers in this process record into meters of the same name, so the figures are at least ours.
        // NOTE: weakened: the connections up/down counter is summed over every test server's meter in this process, and a
        // provider that starts after another server's +1 still sees its -1, so only the series' presence is asserted.
        Assert.True(Sample(body, "evcloud_ocpp_connections", "ocpp_version=\"Ocpp16\"") > -1, body);
        Assert.True(Sample(body, "evcloud_ocpp_messages_total", "ocpp_action=\"BootNotification\"", "ocpp_version=\"Ocpp16\"") >= 1, body);
        Assert.True(Sample(body, "evcloud_ocpp_messages_total", "ocpp_action=\"Heartbeat\"", "ocpp_version=\"Ocpp16\"") >= 1, body);
        Assert.True(Sample(body, "evcloud_ocpp_message_duration_milliseconds_count", "ocpp_action=\"Heartbeat\"") >= 1, body);
        Assert.True(Sample(body, "dotnet_gc_heap_total_allocated_bytes_total") > 0, body);
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>; -1 if none.</summary>
    private static double Sample(string exposition, string metric, params string[] labels)
    {
        foreach (Match m in Regex.Matches(exposition, "^" + Regex.Escape(metric) + @"(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline))
        {
            string found = m.Groups["labels"].Value;
            if (labels.All(found.Contains))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}

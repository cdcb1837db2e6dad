using System.Globalization;
using System.Text.RegularExpressions;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// <c>GET /metrics</c> is what dashboards and the load tool read: a booted charger must show up there, as a
/// connection and as messages tagged with their action and version. The server runs as its own process, so the
/// figures are its own and exact (in-process test servers would share the process's meters).
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task ABootedCharger_ShowsUpInMetrics_AsAConnectionAndAsTaggedMessages()
    {
        await using ServerProcess server = await ServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}") };
        await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-METRICS"))
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
            OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
            OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");

            using HttpResponseMessage response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode} without credentials");
            Assert.Equal(1, Sample(body, "evcloud_ocpp_connections", "ocpp_version=\"Ocpp16\""));
            Assert.Equal(0, Sample(body, "evcloud_ocpp_connections", "ocpp_version=\"Ocpp201\""));
            Assert.Equal(1, Sample(body, "evcloud_ocpp_messages_total", "ocpp_action=\"BootNotification\"", "ocpp_version=\"Ocpp16\""));
            Assert.Equal(2, Sample(body, "evcloud_ocpp_messages_total", "ocpp_action=\"Heartbeat\"", "ocpp_version=\"Ocpp16\""));
            Assert.Equal(2, Sample(body, "evcloud_ocpp_message_duration_milliseconds_count", "ocpp_action=\"Heartbeat\""));
            Assert.True(Sample(body, "dotnet_gc_heap_total_allocated_bytes_total") > 0, body);
        }

        // Gone: the gauge follows the registry down again.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (Sample(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "evcloud_ocpp_connections", "ocpp_version=\"Ocpp16\"") != 0)
        {
            await Task.Delay(50, timeout.Token);
        }
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

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Integration.Tests.Ocpi;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace EvCloud.Fast.Integration.Tests.Observability;

/// <summary>
/// A partner that reports "our request X-Request-ID … failed" must lead the operator to the trace: the id is a tag of
/// the span that sent the request and of the span that received it, which share one trace (HttpClient propagates the
/// context), and both directions are measured per partner and module.
/// </summary>
public sealed class OcpiTracingTests
{
    [Fact]
    public async Task TheCredentialsHandshake_IsTracedOnBothSides_WithTheOcpiMessageIdsAsTags()
    {
        var spans = new List<Activity>();
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(OcpiTelemetry.ActivitySourceName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        var requests = new List<(string Direction, string Partner, string Module, string Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == OcpiMetrics.RequestDurationName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var t = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = tag.Value;
            }

            lock (requests)
            {
                requests.Add(((string)t["direction"]!, (string)t["partner"]!, (string)t["module"]!, (string)t["outcome"]!));
            }
        });
        listener.Start();

        await using OcpiPair pair = await OcpiPair.StartAsync();
        JsonElement created = await ApiClient.JsonAsync(await pair.CpoApi.PostAsync("api/v1/ocpi/partners", "{\"id\":\"emsp-traced\"}"), HttpStatusCode.Created);
        string body = JsonSerializer.Serialize(new { id = "cpo-traced", versionsUrl = created.GetProperty("versionsUrl").GetString(), token = created.GetProperty("tokenA").GetString() });
        await ApiClient.JsonAsync(await pair.EmspApi.PostAsync("api/v1/ocpi/partners/register", body), HttpStatusCode.OK);
        tracer.ForceFlush();

        Activity sent, received;
        lock (spans)
        {
            sent = Assert.Single(spans, s => s.Source.Name == OcpiTelemetry.ActivitySourceName && (string?)s.GetTagItem("ocpi.partner") == "cpo-traced" && s.DisplayName == "OCPI POST credentials");
            string requestId = (string)sent.GetTagItem("ocpi.request_id")!;
            received = Assert.Single(spans, s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("ocpi.request_id") == requestId);
        }

        Assert.Equal("credentials", sent.GetTagItem("ocpi.module"));
        Assert.Equal("ok", sent.GetTagItem("ocpi.outcome"));
        Assert.False(string.IsNullOrEmpty((string?)sent.GetTagItem("ocpi.correlation_id")));
        Assert.Equal(sent.GetTagItem("ocpi.correlation_id"), received.GetTagItem("ocpi.correlation_id"));
        Assert.Equal("emsp-traced", received.GetTagItem("ocpi.partner"));
        Assert.Equal("credentials", received.GetTagItem("ocpi.module"));
        Assert.Equal(sent.TraceId, received.TraceId);

        lock (requests)
        {
            Assert.Contains(("out", "cpo-traced", "credentials", "ok"), requests);
            Assert.Contains(("in", "emsp-traced", "credentials", "ok"), requests);
            Assert.Contains(requests, r => r is ("in", "emsp-traced", "versions", "ok"));
        }
    }
}

using System.Diagnostics.Metrics;
using System.Net;
using EvCloud.Fast.Host.Telemetry;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Observability;

/// <summary>
/// The gauges behind the alert rules read the server's own state: a command queued for an offline charger is an
/// outbox depth of one with an age, the event log has a size and a tail, a checkpoint has an age, and the CDR
/// pipeline's lag returns to zero once it has read what was written. Read with a <see cref="MeterListener"/> on this
/// server's meter only.
/// </summary>
public sealed class OperationsMetricsTests
{
    [Fact]
    public async Task TheGauges_ReadTheOutboxTheLogTheCheckpointAndTheCdrPipeline()
    {
        await using TestServer server = await TestServer.StartAsync(ApiClient.ServerArgs());
        using var api = new ApiClient(server);
        await (await ConnectAndBootAsync(server, "CP-GAUGED", "ocpp1.6")).DisposeAsync();
        await Api.CommandApiTests.WaitUntilAsync(() => !server.Gateway.Registry.IsConnected("CP-GAUGED"));

        Dictionary<string, double> before = Read(server);
        Assert.Equal(0, before["evcloud.commands.outbox.depth"]);
        Assert.Equal(0, before["evcloud.commands.outbox.oldest_age"]);

        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-GAUGED/reset?queue=true&ttlSeconds=86400", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);
        Dictionary<string, double> after = Read(server);

        Assert.Equal(1, after["evcloud.commands.outbox.depth"]);
        Assert.InRange(after["evcloud.commands.outbox.oldest_age"], 0, 60);
        Assert.True(after["evcloud.log.size"] > 0, "log size");
        Assert.True(after["evcloud.log.tail"] >= after["evcloud.log.size"], "tail");
        Assert.InRange(after["evcloud.state.checkpoint.age"], 0, 3600);
        Assert.True(after.ContainsKey("evcloud.ocpi.outbox.depth") is false, "no OCPI outbox without OCPI partners: no series");

        // The pipeline reads what the boot and the command wrote; its lag is then no entry, and in bytes at most the log's
        // own commit records (FasterLog writes them inline, ~50 B each, and they are no entry to read).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (Read(server) is var now && (now["evcloud.cdr.pipeline.lag.events"] != 0 || now["evcloud.cdr.pipeline.lag.bytes"] > 256))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Tracing_IsOff_UntilAnOtlpEndpointIsConfigured()
    {
        await using (TestServer plain = await TestServer.StartAsync(ApiClient.ServerArgs()))
        {
            Assert.Null(plain.Services.GetService<TracerProvider>());
        }

        await using TestServer exporting = await TestServer.StartAsync(ApiClient.ServerArgs("--OpenTelemetry:Otlp:Endpoint=http://127.0.0.1:4317"));
        Assert.NotNull(exporting.Services.GetService<TracerProvider>());
    }

    /// <summary>Every gauge of this server's operations meter, summed over its series (read now, synchronously).</summary>
    private static Dictionary<string, double> Read(TestServer server)
    {
        object factory = server.Services.GetRequiredService<IMeterFactory>();
        server.Services.GetRequiredService<OperationsMetrics>();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OperationsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Add(Instrument instrument, double value) => values[instrument.Name] = values.GetValueOrDefault(instrument.Name) + value;
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Add(i, v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => Add(i, v));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => Add(i, v));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}

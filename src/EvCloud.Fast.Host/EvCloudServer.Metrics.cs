using System.Diagnostics;
using EvCloud.Fast.Host.Telemetry;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpp.Diagnostics;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EvCloud.Fast.Host;

/// <summary>
/// OpenTelemetry metrics with a Prometheus scrape endpoint on the HTTP listener (<c>GET /metrics</c>), for
/// dashboards and for the load tool, which reads the server's RSS, CPU and allocated bytes from it.
/// </summary>
public static partial class EvCloudServer
{
    /// <summary>
    /// Sub-millisecond buckets for the message and commit durations: the default OpenTelemetry buckets start at
    /// 5 ms, coarser than a whole answer (0.02–0.5 ms) or a group commit (~2 ms window) on this gateway.
    /// </summary>
    private static readonly double[] DurationBucketsMs = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 25, 50, 100, 250, 1000];

    /// <summary>
    /// The meters exported: the gateway, storage, CDR pipeline, roaming and operations meters; <c>System.Runtime</c>, the
    /// runtime's own (.NET 9 and later: GC heap and allocated bytes, collections, pause time, process CPU time and working
    /// set); and ASP.NET Core's HTTP server meters (request duration by route and status, Kestrel connections and TLS
    /// handshakes, on both listeners).
    /// </summary>
    public static readonly string[] ExportedMeters =
    [
        OcppMetrics.MeterName, StorageMetrics.MeterName, EvCloud.Fast.Cdr.Pipeline.CdrPipeline.MeterName, OcpiMetrics.MeterName,
        OperationsMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
    ];

    /// <summary>
    /// Registers the metrics (Prometheus scrape endpoint, and OTLP when configured) and the traces (OTLP when configured).
    /// </summary>
    /// <remarks>
    /// OTLP is off unless <c>OpenTelemetry:Otlp:Endpoint</c> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (then <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c> and <c>OTEL_SERVICE_NAME</c> apply as
    /// the OpenTelemetry SDK defines them). Without it no tracer is registered, so the ASP.NET Core and HttpClient
    /// instrumentations and our sources cost nothing; <c>OpenTelemetry:Tracing:Enabled=true</c> registers the tracer
    /// without an exporter (for a process that adds its own, such as the tests).
    /// </remarks>
    public static IServiceCollection AddEvCloudTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHostedService<ListeningTimeLogger>();
        services.AddSingleton<OperationsMetrics>();
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<OperationsMetrics>());

        string? endpoint = configuration["OpenTelemetry:Otlp:Endpoint"];
        bool otlp = !string.IsNullOrWhiteSpace(endpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        bool tracing = otlp || configuration.GetValue<bool>("OpenTelemetry:Tracing:Enabled");
        void Otlp(OtlpExporterOptions options)
        {
            if (!string.IsNullOrWhiteSpace(endpoint))
            {
                options.Endpoint = new Uri(endpoint);
            }
        }

        OpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "evcloud-fast"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ExportedMeters)
                    .AddView(EvCloud.Fast.Cdr.Pipeline.CdrPipeline.LatencyName, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
                    .AddView(OcppMetrics.MessageDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
                    .AddView("evcloud.log.commit.duration", new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
                    .AddView(OcppMetrics.CallDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = RemoteBucketsMs })
                    .AddView(OcpiMetrics.RequestDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = RemoteBucketsMs })
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter(Otlp);
                }
            });
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces
                    .AddSource(OcppTelemetry.ActivitySourceName, OcpiTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options =>
                    {
                        // Scrapes and probes every few seconds would outnumber the requests worth a trace.
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/health");
                    })
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    traces.AddOtlpExporter(Otlp);
                }
            });
        }

        return services;
    }

    /// <summary>
    /// Buckets for what waits on a remote party (a charger answering a CALL, a partner answering OCPI): 5 ms to 60 s,
    /// since a CALL times out at 30 s and a partner request at its resilience timeout.
    /// </summary>
    private static readonly double[] RemoteBucketsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format), anonymous like <c>/health</c>.</summary>
    public static IEndpointConventionBuilder MapEvCloudMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();

    /// <summary>
    /// Logs the time from process start to listening, once the listeners are up. Storage recovery (checkpoint +
    /// log replay) runs before the listeners start, so this is the restart figure an operator waits for.
    /// </summary>
    private sealed partial class ListeningTimeLogger(IHostApplicationLifetime lifetime, ILogger<ListeningTimeLogger> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                using Process self = Process.GetCurrentProcess();
                double ms = (DateTime.Now - self.StartTime).TotalMilliseconds;
                LogListening(logger, Math.Round(ms, 0));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Listening {ElapsedMs} ms after process start (storage recovered)")]
        private static partial void LogListening(ILogger logger, double elapsedMs);
    }
}

using System.Diagnostics;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using OpenTelemetry.Metrics;

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
    /// Registers the gateway, storage, CDR pipeline and runtime meters with a Prometheus exporter. <c>System.Runtime</c> is the
    /// runtime's own meter (.NET 9 and later): GC heap and allocated bytes, collections, pause time, process CPU
    /// time and working set, so no extra instrumentation package is needed.
    /// </summary>
    public static IServiceCollection AddEvCloudMetrics(this IServiceCollection services)
    {
        services.AddHostedService<ListeningTimeLogger>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OcppMetrics.MeterName, StorageMetrics.MeterName, EvCloud.Fast.Cdr.Pipeline.CdrPipeline.MeterName, EvCloud.Fast.Ocpi.Push.OcpiMetrics.MeterName, "System.Runtime")
            .AddView(EvCloud.Fast.Cdr.Pipeline.CdrPipeline.LatencyName, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
            .AddView(OcppMetrics.MessageDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
            .AddView("evcloud.log.commit.duration", new ExplicitBucketHistogramConfiguration { Boundaries = DurationBucketsMs })
            .AddPrometheusExporter());
        return services;
    }

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

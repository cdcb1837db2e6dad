using System.Text.Json;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpi.Push;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Host.Health;

/// <summary>
/// <c>GET /health/live</c> and <c>GET /health/ready</c> with ASP.NET Core health checks. Live runs no check: it says the
/// process serves HTTP (restarting does not cure a full disk or an unreachable partner). Ready runs every check tagged
/// <see cref="ReadyTag"/>: 200 while Healthy or Degraded, 503 when Unhealthy, with a JSON body naming each check, its
/// status, why, and its figures.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the storage, CDR pipeline and outbox checks; thresholds from the <c>Health</c> section.</summary>
    public static IServiceCollection AddEvCloudHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Health").Get<HealthOptions>() ?? new HealthOptions());
        services.AddHealthChecks()
            .AddCheck<StorageCommitHealthCheck>("storage.commits", tags: [ReadyTag])
            .AddCheck<StorageCheckpointHealthCheck>("storage.checkpoints", tags: [ReadyTag])
            .AddCheck<CdrPipelineHealthCheck>("cdr.pipeline", tags: [ReadyTag])
            .AddCheck<CommandOutboxHealthCheck>("outbox.commands", tags: [ReadyTag])
            .Add(new HealthCheckRegistration(
                "outbox.ocpi",
                sp => sp.GetService<PushOutbox>() is { } outbox
                    ? new PushOutboxHealthCheck(outbox, sp.GetRequiredService<HealthOptions>(), sp.GetRequiredService<TimeProvider>())
                    : new NotConfigured("OCPI is not configured in this process"),
                failureStatus: null,
                tags: [ReadyTag]));
        return services;
    }

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>, anonymous like <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapEvCloudHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// <c>{"status":"Degraded","durationMs":0.4,"checks":{"storage.commits":{"status":"Healthy","description":"…","durationMs":0.1,"data":{…}},…}}</c>.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
        json.WriteStartObject("checks");
        foreach ((string name, HealthReportEntry entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is not null)
            {
                json.WriteString("description", entry.Description);
            }

            if (entry.Exception is not null && entry.Description is null)
            {
                json.WriteString("error", entry.Exception.Message);
            }

            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach ((string key, object value) in entry.Data)
                {
                    WriteValue(json, key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object value)
    {
        switch (value)
        {
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case double d:
                json.WriteNumber(key, Math.Round(d, 3));
                break;
            case DateTimeOffset t:
                json.WriteString(key, t);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A component this process does not run: Healthy, saying so.</summary>
    private sealed class NotConfigured(string description) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy(description));
    }
}

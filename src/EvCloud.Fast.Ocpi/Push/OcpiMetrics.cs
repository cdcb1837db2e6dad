using System.Diagnostics.Metrics;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>The roaming side's meter: what could not be handed to a partner, and what waits for an operator.</summary>
public static class OcpiMetrics
{
    /// <summary>The meter's name (registered with the Prometheus exporter).</summary>
    public const string MeterName = "EvCloud.Fast.Ocpi";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Attempts to hand a log event (CDR, session, tariff, location) to the push outbox that failed.</summary>
    public static readonly Counter<long> HandoffFailures = Meter.CreateCounter<long>(
        "evcloud.ocpi.feed.handoff_failures", "{attempt}", "Roaming feed hand-offs to the push outbox that failed (each attempt)");

    /// <summary>Feed dead letters waiting for an operator (up/down: added minus retried or discarded).</summary>
    public static readonly UpDownCounter<long> FeedDeadLetters = Meter.CreateUpDownCounter<long>(
        "evcloud.ocpi.feed.dead_letters", "{event}", "Roaming feed events whose hand-off failed every attempt, waiting in /api/v1/ocpi/feed/dead-letters");

    /// <summary>The <c>partner</c> tag (the partner's id in this server).</summary>
    public static KeyValuePair<string, object?> Partner(string partnerId) => new("partner", partnerId);

    /// <summary>The name of the OCPI request duration histogram (both directions).</summary>
    public const string RequestDurationName = "evcloud.ocpi.request.duration";

    /// <summary>
    /// OCPI requests, received (<c>direction=in</c>) and sent (<c>direction=out</c>), tagged with partner, module and
    /// outcome (<c>ok</c>, <c>http_error</c>, <c>ocpi_error</c>, <c>no_answer</c>): latency and the error rate per partner.
    /// </summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        RequestDurationName, "ms", "OCPI requests received and sent, by direction, partner, module and outcome");

    /// <summary>Push attempts that failed and will be retried.</summary>
    public static readonly Counter<long> PushFailures = Meter.CreateCounter<long>(
        "evcloud.ocpi.push.failures", "{attempt}", "OCPI push attempts that failed (retried until Ocpi:Push:MaxAttempts), by partner and module");

    /// <summary>Outbox dead letters waiting for an operator (up/down: buried minus retried or discarded).</summary>
    public static readonly UpDownCounter<long> PushDeadLetters = Meter.CreateUpDownCounter<long>(
        "evcloud.ocpi.push.dead_letters", "{request}", "OCPI pushes given up, waiting in /api/v1/ocpi/outbox/dead-letters, by partner");
}

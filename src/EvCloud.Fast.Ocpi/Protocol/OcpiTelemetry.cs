using System.Diagnostics;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Push;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// Traces and metrics of OCPI traffic. A partner reports a problem with its <c>X-Request-ID</c> or
/// <c>X-Correlation-ID</c> (§4.2); both are span tags here (<c>ocpi.request_id</c>, <c>ocpi.correlation_id</c>), on the
/// ASP.NET Core server span of a request received and on our client span of a request sent (whose child is the
/// HttpClient span), so a search by either id finds our trace. Both directions feed
/// <see cref="OcpiMetrics.RequestDuration"/> by partner and module.
/// </summary>
public static class OcpiTelemetry
{
    /// <summary>The source name, to register with the tracer (<c>AddSource</c>).</summary>
    public const string ActivitySourceName = "EvCloud.Fast.Ocpi";

    /// <summary>Spans of OCPI requests we send.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>The partner tag of a request whose token matched no partner.</summary>
    public const string UnknownPartner = "unknown";

    /// <summary>
    /// Tags the server span of an OCPI request (when traced) and records its duration and outcome when the response is
    /// complete. Called first thing by the OCPI endpoint filters, so refused requests count too (partner <c>unknown</c>).
    /// </summary>
    public static void TrackIncoming(HttpContext context, Func<HttpContext, string?> partnerOf)
    {
        ArgumentNullException.ThrowIfNull(context);
        string module = ModuleOfPath(context.Request.Path);
        if (Activity.Current is { } activity)
        {
            activity.SetTag("ocpi.module", module);
            activity.SetTag("ocpi.request_id", context.Request.Headers[OcpiHeaders.RequestId].ToString());
            activity.SetTag("ocpi.correlation_id", context.Request.Headers[OcpiHeaders.CorrelationId].ToString());
        }

        long start = Stopwatch.GetTimestamp();
        context.Response.OnCompleted(() =>
        {
            string partner = partnerOf(context) ?? UnknownPartner;
            if (Activity.Current is { } current)
            {
                current.SetTag("ocpi.partner", partner);
            }

            int status = context.Response.StatusCode;
            RecordRequest("in", partner, module, status is >= 200 and < 400 ? "ok" : "http_error", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return Task.CompletedTask;
        });
    }

    /// <summary>Tags the server span with the authenticated partner as soon as it is known.</summary>
    public static void TagPartner(string partnerId) => Activity.Current?.SetTag("ocpi.partner", partnerId);

    /// <summary>Starts the client span of a request we send (null while no tracer listens).</summary>
    public static Activity? StartOutgoing(HttpMethod method, string? partnerId, string module, string requestId, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity("OCPI " + method.Method + " " + module, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("ocpi.partner", partnerId ?? UnknownPartner);
            activity.SetTag("ocpi.module", module);
            activity.SetTag("ocpi.request_id", requestId);
            activity.SetTag("ocpi.correlation_id", correlationId);
        }

        return activity;
    }

    /// <summary>Ends the client span and records the request: <c>no_answer</c>, <c>http_error</c>, <c>ocpi_error</c> or <c>ok</c>.</summary>
    public static void CompleteOutgoing(Activity? activity, string? partnerId, string module, int httpStatus, int ocpiStatus, double milliseconds)
    {
        string outcome = httpStatus == 0 ? "no_answer"
            : httpStatus is < 200 or >= 300 ? "http_error"
            : ocpiStatus is < 1000 or >= 2000 ? "ocpi_error"
            : "ok";
        if (activity is not null)
        {
            activity.SetTag("ocpi.status_code", ocpiStatus);
            activity.SetTag("ocpi.outcome", outcome);
            if (outcome != "ok")
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }

            activity.Dispose();
        }

        RecordRequest("out", partnerId ?? UnknownPartner, module, outcome, milliseconds);
    }

    /// <summary>
    /// The module a URL of <paramref name="partner"/> belongs to, by its endpoint list (the longest matching endpoint URL);
    /// <c>versions</c> for its versions URL (and for the version discovery of a partner not stored yet), <c>other</c>
    /// when nothing matches.
    /// </summary>
    public static string ModuleOfUrl(OcpiPartner? partner, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (partner is null)
        {
            return "versions";
        }

        string? module = null;
        int length = 0;
        foreach (PartnerEndpoint endpoint in partner.Endpoints)
        {
            if (endpoint.Url.Length > length && url.StartsWith(endpoint.Url, StringComparison.OrdinalIgnoreCase))
            {
                module = endpoint.Identifier;
                length = endpoint.Url.Length;
            }
        }

        return module ?? (partner.VersionsUrl is { } versions && url.StartsWith(versions, StringComparison.OrdinalIgnoreCase) ? "versions" : "other");
    }

    /// <summary>
    /// The module of a request to us: the segment after the version, in <c>/ocpi/{cpo|emsp}/{version}/{module}/…</c>
    /// and <c>/ocpi/{version}/credentials</c>; <c>versions</c> for the versions list and a version's details.
    /// </summary>
    public static string ModuleOfPath(PathString path)
    {
        string[] segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i < segments.Length - 1; i++)
        {
            if (segments[i].Length > 0 && char.IsAsciiDigit(segments[i][0]))
            {
                return segments[i + 1];
            }
        }

        return "versions";
    }

    private static void RecordRequest(string direction, string partner, string module, string outcome, double milliseconds)
    {
        if (OcpiMetrics.RequestDuration.Enabled)
        {
            var tags = new TagList
            {
                { "direction", direction },
                { "partner", partner },
                { "module", module },
                { "outcome", outcome },
            };
            OcpiMetrics.RequestDuration.Record(milliseconds, tags);
        }
    }
}

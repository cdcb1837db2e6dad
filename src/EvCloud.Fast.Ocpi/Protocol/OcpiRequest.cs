using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Ocpi.Partners;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>The authenticated sender of an OCPI request and the parties it addressed.</summary>
public sealed class OcpiCaller
{
    internal OcpiCaller(PartnerIdentity identity, string? fromCountryCode, string? fromPartyId)
    {
        Partner = identity.Partner;
        IsTokenA = identity.IsTokenA;
        Encoding = identity.Encoding;
        FromCountryCode = fromCountryCode;
        FromPartyId = fromPartyId;
    }

    /// <summary>The partner whose token was presented.</summary>
    public OcpiPartner Partner { get; }

    /// <summary>Whether it presented its CREDENTIALS_TOKEN_A.</summary>
    public bool IsTokenA { get; }

    /// <summary>How it encoded the token.</summary>
    public TokenEncoding Encoding { get; }

    /// <summary>OCPI-from-country-code, validated against the partner's roles.</summary>
    public string? FromCountryCode { get; }

    /// <summary>OCPI-from-party-id, validated against the partner's roles.</summary>
    public string? FromPartyId { get; }
}

/// <summary>
/// The per-request rules of OCPI transport (2.2.1 §4): credentials token authentication, unique message ids and
/// routing headers, applied as endpoint filters on the <c>/ocpi</c> route groups.
/// </summary>
public static class OcpiRequest
{
    private const string CallerKey = "ocpi.caller";
    private const string PartnerKey = "ocpi.partner";

    // The partner whose token authenticated the request (also for requests refused after that), for the metrics.
    private static readonly Func<HttpContext, string?> PartnerOf = static context => context.Items.TryGetValue(PartnerKey, out object? id) ? id as string : null;

    /// <summary>The caller of the current request, set by the authentication filters.</summary>
    public static OcpiCaller Caller(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(CallerKey, out object? caller) && caller is OcpiCaller c
            ? c
            : throw new InvalidOperationException("No OCPI caller: the endpoint is missing its authentication filter.");
    }

    /// <summary>
    /// §4.2: the response carries the request's <c>X-Request-ID</c> and <c>X-Correlation-ID</c>; a request without them
    /// (which the spec does not allow, but we still answer) gets fresh ones so the exchange can be traced anyway.
    /// </summary>
    public static void EchoMessageIds(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string requestId = context.Request.Headers[OcpiHeaders.RequestId].ToString();
        string correlationId = context.Request.Headers[OcpiHeaders.CorrelationId].ToString();
        context.Response.Headers[OcpiHeaders.RequestId] = requestId.Length > 0 ? requestId : Guid.NewGuid().ToString();
        context.Response.Headers[OcpiHeaders.CorrelationId] = correlationId.Length > 0 ? correlationId : Guid.NewGuid().ToString();
    }

    /// <summary>
    /// Filter for the configuration modules (versions, credentials): the partner's registered token, or its pending
    /// CREDENTIALS_TOKEN_A. Missing or unknown token: HTTP 401 (§4.1.3) with status 2000. No routing headers here
    /// ("Configuration Modules … SHALL NOT be routed", §4.1.8).
    /// </summary>
    public static async ValueTask<object?> ConfigurationFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext context = invocation.HttpContext;
        EchoMessageIds(context);
        OcpiTelemetry.TrackIncoming(context, PartnerOf);
        PartnerIdentity? identity = context.RequestServices.GetRequiredService<PartnerRegistry>().Authenticate(context.Request.Headers.Authorization);
        if (identity is null)
        {
            return OcpiResults.Unauthorized("Missing or unknown credentials token (Authorization: Token <token>).");
        }

        context.Items[PartnerKey] = identity.Value.Partner.Id;
        OcpiTelemetry.TagPartner(identity.Value.Partner.Id);

        context.Items[CallerKey] = new OcpiCaller(identity.Value, null, null);
        return await next(invocation).ConfigureAwait(false);
    }

    /// <summary>
    /// Filter for the functional modules: only a registered partner's token (a CREDENTIALS_TOKEN_A answers 401,
    /// §4.1.3). On 2.2.1 the <c>OCPI-from-*</c> headers, when present, must name one of the partner's parties and the
    /// <c>OCPI-to-*</c> headers one of ours (2001 otherwise); the response carries them swapped (§4.1.8 "Direct response").
    /// </summary>
    public static async ValueTask<object?> ModuleFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext context = invocation.HttpContext;
        EchoMessageIds(context);
        OcpiTelemetry.TrackIncoming(context, PartnerOf);
        PartnerIdentity? identity = context.RequestServices.GetRequiredService<PartnerRegistry>().Authenticate(context.Request.Headers.Authorization);
        if (identity is null)
        {
            return OcpiResults.Unauthorized("Missing or unknown credentials token (Authorization: Token <token>).");
        }

        context.Items[PartnerKey] = identity.Value.Partner.Id;
        OcpiTelemetry.TagPartner(identity.Value.Partner.Id);

        if (identity.Value.IsTokenA || !identity.Value.Partner.Registered)
        {
            return OcpiResults.Unauthorized("CREDENTIALS_TOKEN_A only opens the versions and credentials modules; register first.");
        }

        OcpiOptions options = context.RequestServices.GetRequiredService<OcpiOptions>();
        IHeaderDictionary headers = context.Request.Headers;
        string? fromCountry = NullIfEmpty(headers[OcpiHeaders.FromCountryCode]);
        string? fromParty = NullIfEmpty(headers[OcpiHeaders.FromPartyId]);
        string? toCountry = NullIfEmpty(headers[OcpiHeaders.ToCountryCode]);
        string? toParty = NullIfEmpty(headers[OcpiHeaders.ToPartyId]);
        OcpiPartner partner = identity.Value.Partner;
        if ((fromCountry is not null || fromParty is not null) && !partner.HasParty(fromCountry, fromParty))
        {
            return OcpiResults.Invalid($"OCPI-from-country-code/OCPI-from-party-id '{fromCountry}/{fromParty}' is not a party this partner registered.");
        }

        if ((toCountry is not null || toParty is not null)
            && !(string.Equals(toCountry, options.CountryCode, StringComparison.OrdinalIgnoreCase) && string.Equals(toParty, options.PartyId, StringComparison.OrdinalIgnoreCase)))
        {
            return OcpiResults.Invalid($"OCPI-to-country-code/OCPI-to-party-id '{toCountry}/{toParty}' is not a party of this platform.");
        }

        if (partner.Version == OcpiVersionNumber.V221)
        {
            PartnerRole? first = partner.Roles.Count > 0 ? partner.Roles[0] : null;
            context.Response.Headers[OcpiHeaders.FromCountryCode] = options.CountryCode;
            context.Response.Headers[OcpiHeaders.FromPartyId] = options.PartyId;
            context.Response.Headers[OcpiHeaders.ToCountryCode] = fromCountry ?? first?.CountryCode ?? "";
            context.Response.Headers[OcpiHeaders.ToPartyId] = fromParty ?? first?.PartyId ?? "";
        }

        context.Items[CallerKey] = new OcpiCaller(identity.Value, fromCountry, fromParty);
        return await next(invocation).ConfigureAwait(false);
    }

    /// <summary>
    /// Middleware on <c>/ocpi</c>: a request no endpoint answered — an unknown path (404) or a method the path does not
    /// have (405) — gets the OCPI envelope with status 2000 (§4.1.7: every response is the envelope), not the empty or
    /// problem+json answer of the rest of the server. The HTTP status stays what routing decided.
    /// </summary>
    public static async Task EnvelopeUnmatchedAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        HttpResponse response = context.Response;
        if (response.HasStarted || response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed) || response.ContentType is not null)
        {
            return;
        }

        EchoMessageIds(context);
        string path = context.Request.Path.Value ?? "";
        string message = response.StatusCode == StatusCodes.Status405MethodNotAllowed
            ? $"{context.Request.Method} is not allowed on {path}."
            : $"No OCPI endpoint at {path}.";
        await OcpiResults.Error(response.StatusCode, OcpiStatus.ClientError, message).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>Reads a JSON body as <typeparamref name="T"/>; the error names the problem (the caller answers 2001).</summary>
    public static async Task<(T? Value, string? Error)> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            T? value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null ? (default, "The body is empty or null.") : (value, null);
        }
        catch (JsonException e)
        {
            return (default, "The body is not a valid object: " + e.Message);
        }
    }

    /// <summary>Reads a JSON object body (PATCH).</summary>
    public static async Task<(JsonObject? Value, string? Error)> ReadObjectAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            JsonNode? node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
            return node is JsonObject obj ? (obj, null) : (null, "The body is not a JSON object.");
        }
        catch (JsonException e)
        {
            return (null, "The body is not valid JSON: " + e.Message);
        }
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];
}

/// <summary>Party scoping of Sender interfaces (OCPI 2.2.1 §4.1.8 and the modules' GET rules).</summary>
public static class OcpiScope
{
    /// <summary>
    /// Whether an object of party <paramref name="countryCode"/>/<paramref name="partyId"/> (for sessions and CDRs: the
    /// token's owner) is visible to the caller: one of the partner's own parties, narrowed to the party of the
    /// <c>OCPI-from-*</c> headers when the request names one (a platform with several parties sees each separately).
    /// </summary>
    public static bool Sees(OcpiCaller caller, string countryCode, string partyId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.FromCountryCode is not null || caller.FromPartyId is not null)
        {
            return string.Equals(caller.FromCountryCode, countryCode, StringComparison.OrdinalIgnoreCase)
                && string.Equals(caller.FromPartyId, partyId, StringComparison.OrdinalIgnoreCase);
        }

        return caller.Partner.HasParty(countryCode, partyId);
    }

    /// <summary>The parties whose objects the caller sees (<see cref="Sees"/>), for an index lookup.</summary>
    public static IReadOnlyCollection<(string CountryCode, string PartyId)> Parties(OcpiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.FromCountryCode is not null || caller.FromPartyId is not null)
        {
            return caller.FromCountryCode is not null && caller.FromPartyId is not null ? [(caller.FromCountryCode, caller.FromPartyId)] : [];
        }

        return [.. caller.Partner.Roles.Select(r => (r.CountryCode, r.PartyId)).Distinct()];
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace EvCloud.Fast.Ocpi.Client;

/// <summary>What a partner answered: the HTTP status and, when the body was an OCPI response, its envelope.</summary>
/// <param name="HttpStatus">HTTP status code (0 when the request failed before any answer).</param>
/// <param name="StatusCode">OCPI status_code (0 when absent).</param>
/// <param name="Message">status_message, or the transport error.</param>
/// <param name="Data">data, typed; default when absent or unreadable.</param>
/// <param name="NextLink">The <c>Link rel="next"</c> of a paginated answer.</param>
/// <param name="TotalCount">X-Total-Count of a paginated answer.</param>
public sealed record OcpiClientResponse<T>(int HttpStatus, int StatusCode, string? Message, T? Data, string? NextLink = null, int? TotalCount = null)
{
    /// <summary>HTTP 2xx and OCPI 1xxx.</summary>
    public bool IsSuccess => HttpStatus is >= 200 and < 300 && StatusCode is >= 1000 and < 2000;
}

/// <summary>Who we are talking to and how to authenticate: a stored partner, or a bare token during registration.</summary>
/// <param name="Token">The credentials token we present.</param>
/// <param name="Encoding">How to write it (§4.1.3).</param>
/// <param name="Version">The version in use; routing headers are only sent on 2.2.1.</param>
/// <param name="To">The receiving party for the OCPI-to-* headers of functional modules (§4.1.8.x message routing).</param>
public readonly record struct OcpiTarget(string Token, TokenEncoding Encoding, OcpiVersionNumber Version, PartnerRole? To)
{
    /// <summary>The partner, when the target is a stored one: names it in spans and metrics, and maps URLs to modules.</summary>
    public OcpiPartner? Partner { get; init; }

    /// <summary>The target for a registered partner, addressed as its first party of <paramref name="role"/>.</summary>
    public static OcpiTarget For(OcpiPartner partner, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(partner);
        PartnerRole? to = partner.Roles.Find(r => role is null || r.Role is null || string.Equals(r.Role, role, StringComparison.OrdinalIgnoreCase));
        return new OcpiTarget(partner.OutgoingToken ?? "", partner.TokenEncoding, partner.Version, to) { Partner = partner };
    }
}

/// <summary>
/// Requests to partners, through <see cref="IHttpClientFactory"/> (client name <see cref="HttpClientName"/>): the
/// Authorization header in the partner's encoding, a fresh <c>X-Request-ID</c> and <c>X-Correlation-ID</c> per request
/// (§4.2), the routing headers on 2.2.1 functional modules, and the response envelope read back. Never throws for a
/// partner's failure: the answer says what went wrong.
/// </summary>
public sealed partial class OcpiClient
{
    /// <summary>The named HttpClient.</summary>
    public const string HttpClientName = "ocpi";

    private readonly IHttpClientFactory _factory;
    private readonly OcpiOptions _options;
    private readonly ILogger<OcpiClient> _logger;

    /// <summary>Creates the client.</summary>
    public OcpiClient(IHttpClientFactory factory, OcpiOptions options, ILogger<OcpiClient> logger)
    {
        _factory = factory;
        _options = options;
        _logger = logger;
    }

    /// <summary>GET of one object or list (no pagination followed).</summary>
    public Task<OcpiClientResponse<T>> GetAsync<T>(OcpiTarget target, string url, JsonTypeInfo<T> dataType, bool routed, CancellationToken cancellationToken) =>
        SendAsync(target, HttpMethod.Get, url, null, dataType, routed, cancellationToken);

    /// <summary>A request with a JSON body.</summary>
    public Task<OcpiClientResponse<TResponse>> SendAsync<TBody, TResponse>(
        OcpiTarget target, HttpMethod method, string url, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResponse>? responseType, bool routed, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        return SendAsync(target, method, url, json, responseType, routed, cancellationToken);
    }

    /// <summary>
    /// Every object of a paginated list: follows <c>Link rel="next"</c> (§4.1.6.2) until there is none, the partner
    /// fails, or <see cref="OcpiOptions.MaxPages"/> is reached (a failure then: the list is incomplete). Returns what was read and the first failure, if any.
    /// </summary>
    public async Task<(List<T> Items, OcpiClientResponse<List<T>>? Failure)> GetAllAsync<T>(
        OcpiTarget target, string url, JsonTypeInfo<List<T>> listType, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = url;
        for (int page = 0; next is not null; page++)
        {
            if (page == _options.MaxPages)
            {
                LogPageCap(_logger, url, _options.MaxPages);
                return (items, new OcpiClientResponse<List<T>>(0, 0, $"Stopped after {_options.MaxPages} pages (Ocpi:MaxPages).", null));
            }

            OcpiClientResponse<List<T>> response = await SendAsync(target, HttpMethod.Get, next, null, listType, routed: true, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return (items, response);
            }

            if (response.Data is { } data)
            {
                items.AddRange(data);
            }

            // A partner that answers an empty page with a next link would loop; stop there.
            next = response.Data is { Count: > 0 } ? response.NextLink : null;
        }

        return (items, null);
    }

    /// <summary>Sends a request with an already serialized body and reads the envelope.</summary>
    public async Task<OcpiClientResponse<T>> SendAsync<T>(
        OcpiTarget target, HttpMethod method, string url, byte[]? jsonBody, JsonTypeInfo<T>? dataType, bool routed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Authorization", CredentialsTokenHeader.Format(target.Token, target.Encoding));
        string requestId = Guid.NewGuid().ToString();
        string correlationId = Guid.NewGuid().ToString();
        request.Headers.TryAddWithoutValidation(OcpiHeaders.RequestId, requestId);
        request.Headers.TryAddWithoutValidation(OcpiHeaders.CorrelationId, correlationId);
        if (routed && target.Version == OcpiVersionNumber.V221)
        {
            request.Headers.TryAddWithoutValidation(OcpiHeaders.FromCountryCode, _options.CountryCode);
            request.Headers.TryAddWithoutValidation(OcpiHeaders.FromPartyId, _options.PartyId);
            if (target.To is { } to)
            {
                request.Headers.TryAddWithoutValidation(OcpiHeaders.ToCountryCode, to.CountryCode);
                request.Headers.TryAddWithoutValidation(OcpiHeaders.ToPartyId, to.PartyId);
            }
        }

        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (PartnerAddressGuard.RefuseUrl(url, _options.AllowPrivateAddresses) is { } refused)
        {
            LogRequestFailed(_logger, method.Method, url, refused);
            return new OcpiClientResponse<T>(0, 0, "The URL " + refused, default);
        }

        HttpClient http = _factory.CreateClient(HttpClientName);
        string? partnerId = target.Partner?.Id;
        string module = OcpiTelemetry.ModuleOfUrl(target.Partner, url);
        System.Diagnostics.Activity? activity = OcpiTelemetry.StartOutgoing(method, partnerId, module, requestId, correlationId);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        OcpiClientResponse<T> answer;
        try
        {
            // NOTE: ResponseContentRead buffers the body inside the pipeline's timeout, and at most MaxResponseBytes of it.
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            string? next = response.Headers.TryGetValues("Link", out var links) ? OcpiPaging.NextLink(links) : null;
            int? total = response.Headers.TryGetValues("X-Total-Count", out var totals) && int.TryParse(totals.FirstOrDefault(), out int t) ? t : null;
            answer = Read(response.StatusCode, body, dataType, next, total);
        }
        catch (Exception e) when ((e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            LogRequestFailed(_logger, method.Method, url, e.Message);
            answer = new OcpiClientResponse<T>(0, 0, e.Message, default);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        OcpiTelemetry.CompleteOutgoing(activity, partnerId, module, answer.HttpStatus, answer.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return answer;
    }

    /// <summary>Reads an OCPI response body (public for tests).</summary>
    public static OcpiClientResponse<T> Read<T>(HttpStatusCode status, byte[] body, JsonTypeInfo<T>? dataType, string? next = null, int? total = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new OcpiClientResponse<T>((int)status, 0, "The answer is not an OCPI response object.", default);
            }

            int code = root.TryGetProperty("status_code", out JsonElement c) && c.TryGetInt32(out int value) ? value : 0;
            string? message = root.TryGetProperty("status_message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            T? data = default;
            if (dataType is not null && root.TryGetProperty("data", out JsonElement d) && d.ValueKind != JsonValueKind.Null)
            {
                try
                {
                    data = d.Deserialize(dataType);
                }
                catch (JsonException) when (code is not (>= 1000 and < 2000))
                {
                    // §5: outside 1xxx, data "is unspecified and MAY be omitted, set to null or something else" (a
                    // partner's debugging text): the answer is still read for its status, without data.
                }
            }

            return new OcpiClientResponse<T>((int)status, code, message, data, next, total);
        }
        catch (JsonException e)
        {
            return new OcpiClientResponse<T>((int)status, 0, "Unreadable OCPI response: " + e.Message, default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI GET {Url}: stopped after {Pages} pages")]
    private static partial void LogPageCap(ILogger logger, string url, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI {Method} {Url} failed: {Reason}")]
    private static partial void LogRequestFailed(ILogger logger, string method, string url, string reason);
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// Every OCPI answer: the response format of OCPI 2.2.1 §4.1.7 — <c>{data, status_code, status_message, timestamp}</c>
/// — with the HTTP status the status-code chapter (§5) asks for. <c>data</c> is left out when there is none, as the
/// 2.2.1 errata advise for answers whose data the spec does not define.
/// </summary>
public sealed class OcpiResult<T> : IResult
{
    private readonly int _httpStatus;
    private readonly int _statusCode;
    private readonly string? _message;
    private readonly T? _data;
    private readonly JsonTypeInfo<T>? _typeInfo;

    internal OcpiResult(int httpStatus, int statusCode, string? message, T? data, JsonTypeInfo<T>? typeInfo)
    {
        _httpStatus = httpStatus;
        _statusCode = statusCode;
        _message = message;
        _data = data;
        _typeInfo = typeInfo;
    }

    /// <summary>The OCPI status code (tests and logging).</summary>
    public int StatusCode => _statusCode;

    /// <summary>The HTTP status.</summary>
    public int HttpStatus => _httpStatus;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = _httpStatus;
        httpContext.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter))
        {
            Write(writer, DateTimeOffset.UtcNow);
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes the envelope (public for the unit tests).</summary>
    public void Write(Utf8JsonWriter writer, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (_typeInfo is not null && _data is not null)
        {
            writer.WritePropertyName("data"u8);
            JsonSerializer.Serialize(writer, _data, _typeInfo);
        }

        writer.WriteNumber("status_code"u8, _statusCode);
        if (_message is not null)
        {
            writer.WriteString("status_message"u8, _message);
        }

        writer.WriteString("timestamp"u8, OcpiDates.Format(timestamp));
        writer.WriteEndObject();
    }
}

/// <summary>Factories for <see cref="OcpiResult{T}"/>.</summary>
public static class OcpiResults
{
    /// <summary>1000 with data; HTTP 200 (or 201 for a created object, §5).</summary>
    public static OcpiResult<T> Ok<T>(T data, JsonTypeInfo<T> typeInfo, int httpStatus = StatusCodes.Status200OK) =>
        new(httpStatus, OcpiStatus.Success, null, data, typeInfo);

    /// <summary>1000 without data (PUT/PATCH/DELETE acknowledgements).</summary>
    public static OcpiResult<object> Ok(int httpStatus = StatusCodes.Status200OK) =>
        new(httpStatus, OcpiStatus.Success, null, null, null);

    /// <summary>An error without data.</summary>
    public static OcpiResult<object> Error(int httpStatus, int statusCode, string message) =>
        new(httpStatus, statusCode, message, null, null);

    /// <summary>An answer with both a non-success status and data (e.g. a CommandResponse with 2003).</summary>
    public static OcpiResult<T> With<T>(int httpStatus, int statusCode, string? message, T data, JsonTypeInfo<T> typeInfo) =>
        new(httpStatus, statusCode, message, data, typeInfo);

    /// <summary>HTTP 401 with 2000: missing or unknown credentials token (§4.1.3).</summary>
    public static OcpiResult<object> Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, OcpiStatus.ClientError, message);

    /// <summary>
    /// 2001 for a request that reached the OCPI layer but is invalid. HTTP 400: OCPI 2.2.1 §5 forbids HTTP errors only
    /// for requests that are valid JSON addressing an existing resource; a body that is not the object is treated as
    /// a bad request here, as most implementations and test tools expect.
    /// </summary>
    public static OcpiResult<object> Invalid(string message) => Error(InvalidHttpStatus, OcpiStatus.InvalidParameters, message);

    /// <summary>
    /// <see cref="Invalid(string)"/> with data, for the modules whose refusal still carries an object (a CommandResponse
    /// REJECTED with 2001).
    /// </summary>
    public static OcpiResult<T> Invalid<T>(string message, T data, JsonTypeInfo<T> typeInfo) =>
        With(InvalidHttpStatus, OcpiStatus.InvalidParameters, message, data, typeInfo);

    /// <summary>HTTP 404 with 2001 (or the given code): the object does not exist, or is not this partner's (§4.1.8.1 allows 404).</summary>
    public static OcpiResult<object> NotFound(string message, int statusCode = OcpiStatus.InvalidParameters) =>
        Error(NotFoundHttpStatus, statusCode, message);

    /// <summary><see cref="NotFound(string, int)"/> with data (a CommandResponse REJECTED with 2003 for an unknown location).</summary>
    public static OcpiResult<T> NotFound<T>(string message, int statusCode, T data, JsonTypeInfo<T> typeInfo) =>
        With(NotFoundHttpStatus, statusCode, message, data, typeInfo);

    /// <summary>
    /// The answer to a command (the object it names is in the body, not the URL), by its OCPI status: 1000 with HTTP 200;
    /// an invalid request (2001 and the other client errors) HTTP 400 as <see cref="Invalid(string)"/>. 2003 (unknown
    /// Location, EVSE or connector) and 2004 (unknown Token) are HTTP 200: the request is valid JSON, from an authorised
    /// sender, to a module that exists, and for such a request "an HTTP error status code MUST NOT be returned" (OCPI
    /// 2.2.1 status codes; its own example of 2003 is a START_SESSION with an unknown location). A server error (3xxx) is
    /// HTTP 200 too, since the request itself was right.
    /// </summary>
    public static OcpiResult<T> ForStatus<T>(int statusCode, string? message, T data, JsonTypeInfo<T> typeInfo) => statusCode switch
    {
        OcpiStatus.Success => With(StatusCodes.Status200OK, statusCode, message, data, typeInfo),
        OcpiStatus.UnknownLocation or OcpiStatus.UnknownToken => With(StatusCodes.Status200OK, statusCode, message, data, typeInfo),
        >= 2000 and < 3000 => With(InvalidHttpStatus, statusCode, message, data, typeInfo),
        _ => With(StatusCodes.Status200OK, statusCode, message, data, typeInfo),
    };

    // NOTE: every receiver answers its client errors through these two, so the HTTP status of a 2001 or a 2003 is the
    // same in every module.
    private const int InvalidHttpStatus = StatusCodes.Status400BadRequest;
    private const int NotFoundHttpStatus = StatusCodes.Status404NotFound;
}

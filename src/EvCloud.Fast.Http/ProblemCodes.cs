namespace EvCloud.Fast.Http;

/// <summary>
/// Stable error codes of the API: every error body is RFC 7807 <c>application/problem+json</c> whose
/// <c>code</c> member is one of these, and whose <c>type</c> is <c>urn:evcloud:problem:&lt;code&gt;</c>. Clients
/// switch on the code; titles and details are for people and may change.
/// </summary>
public static class ProblemCodes
{
    /// <summary>401: no API key, or an unknown one.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>403: the key's role does not allow this call.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>400: a parameter or body field is invalid; <c>errors</c> names them.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>400: the body is not the JSON the endpoint expects.</summary>
    public const string MalformedBody = "malformed_body";

    /// <summary>404: no such resource.</summary>
    public const string NotFound = "not_found";

    /// <summary>404: the charger has never connected and is not registered.</summary>
    public const string ChargerNotFound = "charger_not_found";

    /// <summary>409: the charger is not connected (ask with <c>queue=true</c> to queue the command).</summary>
    public const string ChargerOffline = "charger_offline";

    /// <summary>504: the charger did not answer within the call timeout.</summary>
    public const string ChargerTimeout = "charger_timeout";

    /// <summary>502: the charger answered with a CALLERROR; <c>ocppErrorCode</c> holds its code.</summary>
    public const string ChargerError = "charger_error";

    /// <summary>502: the charger's answer violates the response schema.</summary>
    public const string ChargerInvalidResponse = "charger_invalid_response";

    /// <summary>503: too many commands are waiting for this charger.</summary>
    public const string ChargerBusy = "charger_busy";

    /// <summary>400: the OCPP payload violates the action's schema for the charger's version, or the action does not exist in it.</summary>
    public const string InvalidCommand = "invalid_command";

    /// <summary>422: the command cannot be expressed for the charger's OCPP version.</summary>
    public const string UnsupportedForVersion = "unsupported_for_version";

    /// <summary>409: the resource is in a state that does not allow the call.</summary>
    public const string Conflict = "conflict";

    /// <summary>500: an unexpected server error (logged with the request's trace id).</summary>
    public const string InternalError = "internal_error";
}

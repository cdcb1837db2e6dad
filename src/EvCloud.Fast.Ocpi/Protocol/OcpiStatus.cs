namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>OCPI status codes (OCPI 2.2.1 §5 "Status codes"; the same four-digit codes in 2.1.1).</summary>
public static class OcpiStatus
{
    /// <summary>1000: generic success.</summary>
    public const int Success = 1000;

    /// <summary>2000: generic client error (we also use it for a refused credentials token, with HTTP 401).</summary>
    public const int ClientError = 2000;

    /// <summary>2001: invalid or missing parameters (e.g. a PATCH without <c>last_updated</c>).</summary>
    public const int InvalidParameters = 2001;

    /// <summary>2002: not enough information.</summary>
    public const int NotEnoughInformation = 2002;

    /// <summary>2003: unknown Location (e.g. START_SESSION for a location we do not have).</summary>
    public const int UnknownLocation = 2003;

    /// <summary>2004: unknown Token (real-time authorization of a token the eMSP does not know).</summary>
    public const int UnknownToken = 2004;

    /// <summary>3000: generic server error.</summary>
    public const int ServerError = 3000;

    /// <summary>3001: unable to use the client's API (a GET back to the registering party failed).</summary>
    public const int UnableToUseClientApi = 3001;

    /// <summary>3002: unsupported version.</summary>
    public const int UnsupportedVersion = 3002;

    /// <summary>3003: no matching endpoints, or expected endpoints missing.</summary>
    public const int NoMatchingEndpoints = 3003;
}

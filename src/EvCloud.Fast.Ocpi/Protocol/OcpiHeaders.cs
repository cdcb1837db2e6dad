namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>OCPI HTTP headers (OCPI 2.2.1 §4.1.8 message routing, §4.2 unique message ids, §4.1.6 pagination).</summary>
public static class OcpiHeaders
{
    /// <summary>Unique per request; echoed in the response.</summary>
    public const string RequestId = "X-Request-ID";

    /// <summary>Unique per request/response chain; echoed in the response.</summary>
    public const string CorrelationId = "X-Correlation-ID";

    /// <summary>Routing: the sending party's country code.</summary>
    public const string FromCountryCode = "OCPI-from-country-code";

    /// <summary>Routing: the sending party's party id.</summary>
    public const string FromPartyId = "OCPI-from-party-id";

    /// <summary>Routing: the receiving party's country code.</summary>
    public const string ToCountryCode = "OCPI-to-country-code";

    /// <summary>Routing: the receiving party's party id.</summary>
    public const string ToPartyId = "OCPI-to-party-id";
}

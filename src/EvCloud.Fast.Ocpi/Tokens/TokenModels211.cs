using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>AuthorizationInfo of OCPI 2.1.1 (mod_tokens §3.1): no token and no authorization_reference, an optional info text.</summary>
public sealed class AuthorizationInfo211
{
    /// <summary>Allowed (§4.1): ALLOWED, BLOCKED, EXPIRED, NO_CREDIT, NOT_ALLOWED.</summary>
    public string Allowed { get; set; } = "";

    /// <summary>The location reference from the request, when allowed there.</summary>
    public LocationReferences211? Location { get; set; }

    /// <summary>Optional display text for the driver.</summary>
    public DisplayText? Info { get; set; }
}

/// <summary>LocationReferences of OCPI 2.1.1 (mod_tokens §4.2): 2.2.1 dropped <c>connector_ids</c>.</summary>
public sealed class LocationReferences211
{
    /// <summary>string(39).</summary>
    public string? LocationId { get; set; }

    /// <summary>string(39) each.</summary>
    public List<string>? EvseUids { get; set; }

    /// <summary>string(36) each.</summary>
    public List<string>? ConnectorIds { get; set; }
}

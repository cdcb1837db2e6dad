using EvCloud.Fast.Ocpi.Protocol;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Partners;

/// <summary>
/// One roaming partner platform and our connection to it, persisted in the <c>ocpi-partners</c> document collection
/// (MessagePack; keys are never renumbered). Instances are never changed once published in the registry: a change
/// is a copy (<see cref="Copy"/>) saved in its place.
/// </summary>
/// <remarks>
/// Tokens (OCPI 2.2.1 §7.1.1): the token the partner presents to us is only kept as a SHA-256 hash — the pending
/// <c>CREDENTIALS_TOKEN_A</c> in <see cref="TokenAHash"/>, then the token we issued in the handshake (B when we
/// registered with them, C when they registered with us) in <see cref="TokenHash"/>. The token we present to them
/// (their A before registration, then their C or B) must be sent, so <see cref="OutgoingToken"/> is kept as is.
/// </remarks>
[MessagePackObject]
public sealed class OcpiPartner
{
    /// <summary>Our name for the partner: the admin API's key.</summary>
    [Key(0)]
    public string Id { get; set; } = "";

    /// <summary>The version in use (2.2.1 or 2.1.1); None until a handshake agreed one.</summary>
    [Key(1)]
    public OcpiVersionNumber Version { get; set; }

    /// <summary>The partner's versions endpoint.</summary>
    [Key(2)]
    public string? VersionsUrl { get; set; }

    /// <summary>The partner's endpoints for <see cref="Version"/>.</summary>
    [Key(3)]
    public List<PartnerEndpoint> Endpoints { get; set; } = [];

    /// <summary>The partner's roles (2.1.1: the one party of its credentials, with role unknown).</summary>
    [Key(4)]
    public List<PartnerRole> Roles { get; set; } = [];

    /// <summary>SHA-256 of the CREDENTIALS_TOKEN_A we issued and the partner has not used to register yet.</summary>
    [Key(5)]
    public string? TokenAHash { get; set; }

    /// <summary>SHA-256 of the token the registered partner presents to us.</summary>
    [Key(6)]
    public string? TokenHash { get; set; }

    /// <summary>The token we present to the partner.</summary>
    [Key(7)]
    public string? OutgoingToken { get; set; }

    /// <summary>How <see cref="OutgoingToken"/> is written in our Authorization header.</summary>
    [Key(8)]
    public TokenEncoding TokenEncoding { get; set; }

    /// <summary>Whether <see cref="TokenEncoding"/> was set by an operator (else it follows the version).</summary>
    [Key(9)]
    public bool TokenEncodingFixed { get; set; }

    /// <summary>Whether the credentials handshake has completed (either direction).</summary>
    [Key(10)]
    public bool Registered { get; set; }

    /// <summary>When the record was created (Unix ms).</summary>
    [Key(11)]
    public long CreatedMs { get; set; }

    /// <summary>When the record last changed (Unix ms).</summary>
    [Key(12)]
    public long UpdatedMs { get; set; }

    /// <summary>True when we started the handshake (we are the credentials Sender), false when they did.</summary>
    [Key(13)]
    public bool RegisteredByUs { get; set; }

    /// <summary>
    /// The parties the operator bound the partner to when issuing its token A (admin API or configuration): its
    /// credentials may claim only these (a null <see cref="PartnerRole.Role"/> allows any role of that party). Empty:
    /// not bound, any party nobody else holds. A bound party is reserved for this partner even before it registers.
    /// </summary>
    [Key(14)]
    public List<PartnerRole> AllowedParties { get; set; } = [];

    /// <summary>A copy to change and save.</summary>
    public OcpiPartner Copy()
    {
        var copy = (OcpiPartner)MemberwiseClone();
        copy.Endpoints = [.. Endpoints];
        copy.Roles = [.. Roles];
        copy.AllowedParties = [.. AllowedParties];
        return copy;
    }

    /// <summary>
    /// The parties this partner holds: its registered roles, plus its binding (reserved before registration). An
    /// unregistered partner's old roles are free again.
    /// </summary>
    [IgnoreMember]
    public IEnumerable<PartnerRole> HeldParties => Registered ? Roles.Concat(AllowedParties) : AllowedParties;

    /// <summary>Whether the binding (<see cref="AllowedParties"/>) lets the partner claim <paramref name="claimed"/>.</summary>
    public bool MayClaim(PartnerRole claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return AllowedParties.Count == 0 || AllowedParties.Exists(allowed => allowed.Covers(claimed));
    }

    /// <summary>The URL of the partner's module <paramref name="identifier"/> in <paramref name="role"/> (SENDER/RECEIVER; ignored for 2.1.1).</summary>
    public string? EndpointUrl(string identifier, string? role)
    {
        foreach (PartnerEndpoint endpoint in Endpoints)
        {
            if (string.Equals(endpoint.Identifier, identifier, StringComparison.OrdinalIgnoreCase)
                && (role is null || endpoint.Role is null || string.Equals(endpoint.Role, role, StringComparison.OrdinalIgnoreCase)))
            {
                return endpoint.Url;
            }
        }

        return null;
    }

    /// <summary>Whether one of the partner's roles is the party <paramref name="countryCode"/>/<paramref name="partyId"/> (CiString: case-insensitive).</summary>
    public bool HasParty(string? countryCode, string? partyId, string? role = null)
    {
        foreach (PartnerRole r in Roles)
        {
            if (string.Equals(r.CountryCode, countryCode, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.PartyId, partyId, StringComparison.OrdinalIgnoreCase)
                && (role is null || r.Role is null || string.Equals(r.Role, role, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the partner plays <paramref name="role"/> (a 2.1.1 partner's role is unknown and matches any).</summary>
    public bool HasRole(string role) => Roles.Exists(r => r.Role is null || string.Equals(r.Role, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One endpoint of a partner (Endpoint class, OCPI 2.2.1 §6.2.3).</summary>
[MessagePackObject]
public sealed class PartnerEndpoint
{
    /// <summary>ModuleID.</summary>
    [Key(0)]
    public string Identifier { get; set; } = "";

    /// <summary>SENDER / RECEIVER; null for 2.1.1.</summary>
    [Key(1)]
    public string? Role { get; set; }

    /// <summary>Absolute URL.</summary>
    [Key(2)]
    public string Url { get; set; } = "";
}

/// <summary>One role of a partner (CredentialsRole, OCPI 2.2.1 §7.4.1).</summary>
[MessagePackObject]
public sealed class PartnerRole
{
    /// <summary>CPO, EMSP, HUB…; null for a 2.1.1 partner.</summary>
    [Key(0)]
    public string? Role { get; set; }

    /// <summary>CiString(2), stored upper-case.</summary>
    [Key(1)]
    public string CountryCode { get; set; } = "";

    /// <summary>CiString(3), stored upper-case.</summary>
    [Key(2)]
    public string PartyId { get; set; } = "";

    /// <summary>BusinessDetails.name.</summary>
    [Key(3)]
    public string? Name { get; set; }

    /// <summary>
    /// Whether this party and <paramref name="other"/> are the same (country_code, party_id, role): CiString, so
    /// case-insensitive; a null role (a 2.1.1 party, or a binding without a role) overlaps every role of the party.
    /// </summary>
    public bool Covers(PartnerRole other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(CountryCode, other.CountryCode, StringComparison.OrdinalIgnoreCase)
            && string.Equals(PartyId, other.PartyId, StringComparison.OrdinalIgnoreCase)
            && (Role is null || other.Role is null || string.Equals(Role, other.Role, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public override string ToString() => CountryCode + "/" + PartyId + (Role is null ? "" : " (" + Role + ")");
}

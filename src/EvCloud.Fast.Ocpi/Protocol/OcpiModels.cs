namespace EvCloud.Fast.Ocpi.Protocol;

// The configuration modules' objects (OCPI 2.2.1 §6 versions, §7 credentials; 2.1.1 where it differs).
// Names are C# PascalCase; OcpiJsonContext writes them snake_case as OCPI spells them.

/// <summary>Version class (2.2.1 §6.1.2): one supported version and the URL of its details.</summary>
public sealed class OcpiVersion
{
    /// <summary>VersionNumber.</summary>
    public string Version { get; set; } = "";

    /// <summary>URL of the version details.</summary>
    public string Url { get; set; } = "";
}

/// <summary>Version details (2.2.1 §6.2.2): the endpoints of one version.</summary>
public sealed class OcpiVersionDetails
{
    /// <summary>VersionNumber.</summary>
    public string Version { get; set; } = "";

    /// <summary>Endpoint list (card. +).</summary>
    public List<OcpiEndpoint> Endpoints { get; set; } = [];
}

/// <summary>Endpoint class (2.2.1 §6.2.3; 2.1.1 has no <c>role</c>).</summary>
public sealed class OcpiEndpoint
{
    /// <summary>ModuleID: credentials, locations, tokens, commands, sessions, cdrs, tariffs…</summary>
    public string Identifier { get; set; } = "";

    /// <summary>InterfaceRole: SENDER or RECEIVER (2.2.1 only).</summary>
    public string? Role { get; set; }

    /// <summary>Absolute URL of the endpoint.</summary>
    public string Url { get; set; } = "";
}

/// <summary>Credentials object of 2.2.1 (§7.3.1).</summary>
public sealed class Credentials221
{
    /// <summary>The token for the other party to use towards us, string(64).</summary>
    public string? Token { get; set; }

    /// <summary>URL of our versions endpoint.</summary>
    public string? Url { get; set; }

    /// <summary>The roles (card. +).</summary>
    public List<CredentialsRole>? Roles { get; set; }
}

/// <summary>CredentialsRole class (2.2.1 §7.4.1).</summary>
public sealed class CredentialsRole
{
    /// <summary>Role enum: CPO, EMSP, HUB, NAP, NSP, OTHER, SCSP.</summary>
    public string? Role { get; set; }

    /// <summary>BusinessDetails (card. 1).</summary>
    public BusinessDetails? BusinessDetails { get; set; }

    /// <summary>CiString(3).</summary>
    public string? PartyId { get; set; }

    /// <summary>CiString(2).</summary>
    public string? CountryCode { get; set; }
}

/// <summary>BusinessDetails class (2.2.1 §8.4.2); the logo is not sent.</summary>
public sealed class BusinessDetails
{
    /// <summary>string(100).</summary>
    public string? Name { get; set; }

    /// <summary>URL.</summary>
    public string? Website { get; set; }
}

/// <summary>Credentials object of 2.1.1 (2.1.1 §7.2.1): one party, no roles.</summary>
public sealed class Credentials211
{
    /// <summary>string(64).</summary>
    public string? Token { get; set; }

    /// <summary>URL of the versions endpoint.</summary>
    public string? Url { get; set; }

    /// <summary>BusinessDetails.</summary>
    public BusinessDetails? BusinessDetails { get; set; }

    /// <summary>CiString(3).</summary>
    public string? PartyId { get; set; }

    /// <summary>CiString(2).</summary>
    public string? CountryCode { get; set; }
}

/// <summary>DisplayText class (2.2.1 §16.3).</summary>
public sealed class DisplayText
{
    /// <summary>ISO 639-1 language code, string(2).</summary>
    public string Language { get; set; } = "en";

    /// <summary>string(512).</summary>
    public string Text { get; set; } = "";
}

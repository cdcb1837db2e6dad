namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>The OCPI versions this bridge speaks (VersionNumber enum, OCPI 2.2.1 §6.1.3).</summary>
public enum OcpiVersionNumber : byte
{
    /// <summary>No version agreed yet.</summary>
    None = 0,

    /// <summary>OCPI 2.1.1.</summary>
    V211 = 1,

    /// <summary>OCPI 2.2.1.</summary>
    V221 = 2,
}

/// <summary>How a credentials token is written in the <c>Authorization</c> header we send.</summary>
public enum TokenEncoding : byte
{
    /// <summary>
    /// <c>Token &lt;base64(UTF-8 token)&gt;</c>, as OCPI 2.2.1 §4.1.3 requires (and 2.2-d2 onwards).
    /// </summary>
    Base64 = 0,

    /// <summary><c>Token &lt;token&gt;</c>, as OCPI 2.1.1 and many 2.2 implementations send it.</summary>
    Plain = 1,
}

/// <summary>Names and parsing of <see cref="OcpiVersionNumber"/>.</summary>
public static class OcpiVersions
{
    /// <summary>"2.2.1".</summary>
    public const string V221 = "2.2.1";

    /// <summary>"2.1.1".</summary>
    public const string V211 = "2.1.1";

    /// <summary>The version string as OCPI writes it.</summary>
    public static string Name(OcpiVersionNumber version) => version switch
    {
        OcpiVersionNumber.V221 => V221,
        OcpiVersionNumber.V211 => V211,
        _ => "",
    };

    /// <summary>Parses "2.2.1" / "2.1.1"; anything else (2.0, 2.2, 2.3.0…) is not spoken here.</summary>
    public static OcpiVersionNumber Parse(string? version) => version switch
    {
        V221 => OcpiVersionNumber.V221,
        V211 => OcpiVersionNumber.V211,
        _ => OcpiVersionNumber.None,
    };

    /// <summary>The encoding a partner of this version expects when nothing is configured.</summary>
    public static TokenEncoding DefaultEncoding(OcpiVersionNumber version) =>
        version == OcpiVersionNumber.V211 ? TokenEncoding.Plain : TokenEncoding.Base64;
}

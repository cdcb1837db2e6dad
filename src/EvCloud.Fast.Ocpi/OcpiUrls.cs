using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi;

/// <summary>
/// The URLs we publish (OCPI 2.2.1 §4.3 interface endpoints): versions at <c>/ocpi/versions</c>, version details at
/// <c>/ocpi/{version}</c>, credentials at <c>/ocpi/{version}/credentials</c> and modules under
/// <c>/ocpi/{cpo|emsp}/{version}/{module}</c>, so one platform can be both CPO and eMSP.
/// </summary>
public sealed class OcpiUrls
{
    /// <summary>The path prefix of everything OCPI.</summary>
    public const string Prefix = "/ocpi";

    private readonly OcpiOptions _options;

    /// <summary>Creates the URL builder.</summary>
    public OcpiUrls(OcpiOptions options) => _options = options;

    /// <summary>The absolute base (scheme, host, port, path base) for URLs in answers to <paramref name="context"/>.</summary>
    public string Base(HttpContext? context)
    {
        if (!string.IsNullOrEmpty(_options.PublicUrl))
        {
            return _options.PublicUrl.TrimEnd('/');
        }

        if (context is null)
        {
            throw new InvalidOperationException("Ocpi:PublicUrl is required to build URLs outside a request.");
        }

        return context.Request.Scheme + "://" + context.Request.Host.Value + context.Request.PathBase.Value;
    }

    /// <summary>Our versions endpoint.</summary>
    public string Versions(HttpContext? context) => Base(context) + Prefix + "/versions";

    /// <summary>Our version details.</summary>
    public string VersionDetails(HttpContext? context, OcpiVersionNumber version) => Base(context) + Prefix + "/" + OcpiVersions.Name(version);

    /// <summary>Our credentials endpoint for a version.</summary>
    public string Credentials(HttpContext? context, OcpiVersionNumber version) => VersionDetails(context, version) + "/credentials";

    /// <summary>A module endpoint of a role (<c>cpo</c>/<c>emsp</c>).</summary>
    public string Module(HttpContext? context, string role, OcpiVersionNumber version, string module) =>
        Base(context) + Prefix + "/" + role + "/" + OcpiVersions.Name(version) + "/" + module;
}

using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Versions;

/// <summary>
/// The versions endpoint and the version details per version (OCPI 2.2.1 §6). Both need a credentials token — the
/// partner's token A before registration, its own token after (§6.1: "this endpoint … requires authentication").
/// </summary>
internal static class VersionEndpoints
{
    public static void Map(RouteGroupBuilder ocpi)
    {
        RouteGroupBuilder group = ocpi.MapGroup("").AddEndpointFilter(OcpiRequest.ConfigurationFilter);
        group.MapGet("/versions", (HttpContext context, OcpiUrls urls) =>
            OcpiResults.Ok(
                new List<OcpiVersion>
                {
                    new() { Version = OcpiVersions.V221, Url = urls.VersionDetails(context, OcpiVersionNumber.V221) },
                    new() { Version = OcpiVersions.V211, Url = urls.VersionDetails(context, OcpiVersionNumber.V211) },
                },
                OcpiJsonContext.Default.ListOcpiVersion));
        group.MapGet("/" + OcpiVersions.V221, (HttpContext context, OcpiUrls urls, OcpiOptions options) =>
            OcpiResults.Ok(Details(context, urls, options, OcpiVersionNumber.V221), OcpiJsonContext.Default.OcpiVersionDetails));
        group.MapGet("/" + OcpiVersions.V211, (HttpContext context, OcpiUrls urls, OcpiOptions options) =>
            OcpiResults.Ok(Details(context, urls, options, OcpiVersionNumber.V211), OcpiJsonContext.Default.OcpiVersionDetails));
    }

    /// <summary>
    /// The endpoints of one version for the configured roles. 2.2.1 names each interface's role (SENDER/RECEIVER,
    /// §6.2.3); 2.1.1 endpoints have none. Every module of both roles is served in both versions, with 2.1.1 objects
    /// at 2.1.1, except ChargingProfiles (2.2.1 only).
    /// </summary>
    public static OcpiVersionDetails Details(HttpContext? context, OcpiUrls urls, OcpiOptions options, OcpiVersionNumber version)
    {
        var endpoints = new List<OcpiEndpoint>();
        bool v221 = version == OcpiVersionNumber.V221;
        string credentials = urls.Credentials(context, version);
        if (v221)
        {
            endpoints.Add(new OcpiEndpoint { Identifier = "credentials", Role = "SENDER", Url = credentials });
            endpoints.Add(new OcpiEndpoint { Identifier = "credentials", Role = "RECEIVER", Url = credentials });
        }
        else
        {
            endpoints.Add(new OcpiEndpoint { Identifier = "credentials", Url = credentials });
        }

        if (options.HasRole("CPO"))
        {
            // The CPO's senders exist in both versions (2.1.1: Locations, Sessions, CDRs and Tariffs as 2.1.1 objects);
            // 2.1.1 endpoints carry no role (2.1.1 version_information_endpoint Endpoint class: identifier and url).
            string? sender = v221 ? "SENDER" : null;
            endpoints.Add(new OcpiEndpoint { Identifier = "locations", Role = sender, Url = urls.Module(context, "cpo", version, "locations") });
            endpoints.Add(new OcpiEndpoint { Identifier = "sessions", Role = sender, Url = urls.Module(context, "cpo", version, "sessions") });
            endpoints.Add(new OcpiEndpoint { Identifier = "cdrs", Role = sender, Url = urls.Module(context, "cpo", version, "cdrs") });
            endpoints.Add(new OcpiEndpoint { Identifier = "tariffs", Role = sender, Url = urls.Module(context, "cpo", version, "tariffs") });
            if (v221)
            {
                endpoints.Add(new OcpiEndpoint { Identifier = "chargingprofiles", Role = "RECEIVER", Url = urls.Module(context, "cpo", version, "chargingprofiles") });
            }

            endpoints.Add(new OcpiEndpoint { Identifier = "tokens", Role = v221 ? "RECEIVER" : null, Url = urls.Module(context, "cpo", version, "tokens") });
            endpoints.Add(new OcpiEndpoint { Identifier = "commands", Role = v221 ? "RECEIVER" : null, Url = urls.Module(context, "cpo", version, "commands") });
        }

        if (options.HasRole("EMSP"))
        {
            // 2.1.1 endpoints carry no role and the identifier is the module name (2.1.1 version_information_endpoint,
            // Endpoint class), so a partner finds one URL per module: on a platform that is also CPO, the CPO's module listed
            // above keeps the identifier and the eMSP's is left out at 2.1.1.
            foreach ((string module, string role) in new[] { ("locations", "RECEIVER"), ("tokens", "SENDER"), ("commands", "SENDER"), ("sessions", "RECEIVER"), ("cdrs", "RECEIVER"), ("tariffs", "RECEIVER") })
            {
                if (v221 || !endpoints.Exists(e => e.Identifier == module))
                {
                    endpoints.Add(new OcpiEndpoint { Identifier = module, Role = v221 ? role : null, Url = urls.Module(context, "emsp", version, module) });
                }
            }
        }

        return new OcpiVersionDetails { Version = OcpiVersions.Name(version), Endpoints = endpoints };
    }
}

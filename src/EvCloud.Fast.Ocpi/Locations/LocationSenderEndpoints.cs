using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// CPO Locations Sender interface (OCPI 2.2.1 §8.2.1): the paginated list (date_from/date_to on last_updated) and
/// one location, EVSE or connector. Unknown objects answer HTTP 404 (§5: "when the resource does NOT exist").
/// </summary>
internal static class LocationSenderEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/locations").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
        group.MapGet("/{locationId}", (string locationId, LocationCatalog catalog) =>
            catalog.Build(locationId) is { } location
                ? OcpiResults.Ok(location, OcpiJsonContext.Default.OcpiLocation)
                : (IResult)OcpiResults.NotFound($"Unknown location '{locationId}'.", OcpiStatus.UnknownLocation));
        group.MapGet("/{locationId}/{evseUid}", (string locationId, string evseUid, LocationCatalog catalog) =>
            FindEvse(catalog, locationId, evseUid) is { } evse
                ? OcpiResults.Ok(evse, OcpiJsonContext.Default.OcpiEvse)
                : (IResult)OcpiResults.NotFound($"Unknown EVSE '{locationId}/{evseUid}'.", OcpiStatus.UnknownLocation));
        group.MapGet("/{locationId}/{evseUid}/{connectorId}", (string locationId, string evseUid, string connectorId, LocationCatalog catalog) =>
            FindEvse(catalog, locationId, evseUid)?.Connectors?.Find(c => string.Equals(c.Id, connectorId, StringComparison.OrdinalIgnoreCase)) is { } connector
                ? OcpiResults.Ok(connector, OcpiJsonContext.Default.OcpiConnector)
                : (IResult)OcpiResults.NotFound($"Unknown connector '{locationId}/{evseUid}/{connectorId}'.", OcpiStatus.UnknownLocation));
    }

    private static IResult List(HttpContext context, LocationCatalog catalog, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<OcpiLocation> matching = catalog.BuildAll().FindAll(l => page.Matches(l.LastUpdated!.Value));
        return OcpiResults.Ok(OcpiPaging.Apply(context, matching, page, urls.Base(context)), OcpiJsonContext.Default.ListOcpiLocation);
    }

    private static OcpiEvse? FindEvse(LocationCatalog catalog, string locationId, string evseUid) =>
        catalog.Build(locationId)?.Evses?.Find(e => string.Equals(e.Uid, evseUid, StringComparison.OrdinalIgnoreCase));
}

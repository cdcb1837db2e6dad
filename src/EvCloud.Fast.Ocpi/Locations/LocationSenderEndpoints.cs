using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// CPO Locations Sender interface (OCPI 2.2.1 §8.2.1): the paginated list (date_from/date_to on last_updated) and
/// one location, EVSE or connector. Unknown objects answer HTTP 404 (§5: "when the resource does NOT exist").
/// The same interface in OCPI 2.1.1 (mod_locations §2.1) serves the 2.1.1 objects (<see cref="Ocpi211Mapper"/>).
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

        RouteGroupBuilder v211 = cpo.MapGroup("/" + OcpiVersions.V211 + "/locations").AddEndpointFilter(OcpiRequest.ModuleFilter);
        v211.MapGet("", List211);
        v211.MapGet("/{locationId}", (string locationId, LocationCatalog catalog, OcpiOptions options) =>
            catalog.Build(locationId) is { } location
                ? OcpiResults.Ok(Ocpi211Mapper.Location(location, options.BusinessName), Ocpi211JsonContext.Default.Location211)
                : (IResult)OcpiResults.NotFound($"Unknown location '{locationId}'.", OcpiStatus.UnknownLocation));
        v211.MapGet("/{locationId}/{evseUid}", (string locationId, string evseUid, LocationCatalog catalog) =>
            FindEvse(catalog, locationId, evseUid) is { } evse
                ? OcpiResults.Ok(Ocpi211Mapper.Evse(evse), Ocpi211JsonContext.Default.Evse211)
                : (IResult)OcpiResults.NotFound($"Unknown EVSE '{locationId}/{evseUid}'.", OcpiStatus.UnknownLocation));
        v211.MapGet("/{locationId}/{evseUid}/{connectorId}", (string locationId, string evseUid, string connectorId, LocationCatalog catalog) =>
            FindEvse(catalog, locationId, evseUid)?.Connectors?.Find(c => string.Equals(c.Id, connectorId, StringComparison.OrdinalIgnoreCase)) is { } connector
                ? OcpiResults.Ok(Ocpi211Mapper.Connector(connector), Ocpi211JsonContext.Default.Connector211)
                : (IResult)OcpiResults.NotFound($"Unknown connector '{locationId}/{evseUid}/{connectorId}'.", OcpiStatus.UnknownLocation));
    }

    private static IResult List211(HttpContext context, LocationCatalog catalog, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<OcpiLocation> matching = catalog.BuildAll().FindAll(l => page.Matches(l.LastUpdated!.Value));
        List<Location211> items = [.. OcpiPaging.Apply(context, matching, page, urls.Base(context)).Select(l => Ocpi211Mapper.Location(l, options.BusinessName))];
        return OcpiResults.Ok(items, Ocpi211JsonContext.Default.ListLocation211);
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

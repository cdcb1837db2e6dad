using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// eMSP Locations Receiver interface (OCPI 2.2.1 §8.2.2): GET, PUT and PATCH of a location, EVSE or connector under
/// <c>/{country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]</c>. A partner reads and writes only
/// its own parties' objects (404 otherwise, §4.1.8.1). Locations are stored whole, as JSON; an EVSE or connector
/// write updates its place in the location and carries its last_updated up to the parents (§8.2.2.2).
/// </summary>
internal static class LocationReceiverEndpoints
{
    /// <summary>Document collection of received locations.</summary>
    public const string Collection = "ocpi-emsp-locations";

    public static void Map(RouteGroupBuilder emsp)
    {
        RouteGroupBuilder group = emsp.MapGroup("/" + OcpiVersions.V221 + "/locations/{countryCode}/{partyId}/{locationId}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, null, null));
        group.MapGet("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, evseUid, null));
        group.MapGet("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, evseUid, connectorId));
        group.MapPut("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, null, null, patch: false));
        group.MapPut("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, null, patch: false));
        group.MapPut("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, connectorId, patch: false));
        group.MapPatch("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, null, null, patch: true));
        group.MapPatch("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, null, patch: true));
        group.MapPatch("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, connectorId, patch: true));
    }

    private static IResult Get(HttpContext context, LocationReceiverStore store, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        JsonObject? location = store.GetJson(countryCode, partyId, locationId);
        JsonObject? target = location is null ? null : LocationReceiverStore.Navigate(location, evseUid, connectorId);
        if (target is null)
        {
            return OcpiResults.NotFound("Unknown location, EVSE or connector.", OcpiStatus.UnknownLocation);
        }

        return OcpiResults.Ok(LocationReceiverStore.ToElement(target), OcpiJsonContext.Default.JsonElement);
    }

    private static async Task<IResult> WriteAsync(
        HttpContext context, LocationReceiverStore store, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, bool patch)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        if (!caller.Partner.HasParty(countryCode, partyId))
        {
            // §4.1.8.1: a client may only push objects under its own country_code/party_id.
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        (JsonObject? body, string? error) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return OcpiResults.Invalid(error!);
        }

        LocationWriteResult result = await store.WriteAsync(caller.Partner.Id, countryCode, partyId, locationId, evseUid, connectorId, body, patch, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            LocationWriteOutcome.Created => OcpiResults.Ok(StatusCodes.Status201Created),
            LocationWriteOutcome.Updated => OcpiResults.Ok(),
            LocationWriteOutcome.NotFound => OcpiResults.NotFound(result.Error!, OcpiStatus.UnknownLocation),
            _ => OcpiResults.Invalid(result.Error!),
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// eMSP Locations Receiver interface (OCPI 2.2.1 §8.2.2, and 2.1.1 §2.2 with 2.1.1 objects): GET, PUT and PATCH of a location, EVSE or connector under
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
        // 2.1.1 (§2.2, same paths): 2.1.1 objects, stored with their 2.2.1 conversion (LocationReceiverStore.WriteAsync).
        foreach (OcpiVersionNumber v in new[] { OcpiVersionNumber.V221, OcpiVersionNumber.V211 })
        {
            RouteGroupBuilder group = emsp.MapGroup("/" + OcpiVersions.Name(v) + "/locations/{countryCode}/{partyId}/{locationId}").AddEndpointFilter(OcpiRequest.ModuleFilter);
            group.MapGet("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, null, null, v));
            group.MapGet("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, evseUid, null, v));
            group.MapGet("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => Get(c, store, countryCode, partyId, locationId, evseUid, connectorId, v));
            group.MapPut("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, null, null, patch: false, v));
            group.MapPut("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, null, patch: false, v));
            group.MapPut("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, connectorId, patch: false, v));
            group.MapPatch("", (HttpContext c, string countryCode, string partyId, string locationId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, null, null, patch: true, v));
            group.MapPatch("/{evseUid}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, null, patch: true, v));
            group.MapPatch("/{evseUid}/{connectorId}", (HttpContext c, string countryCode, string partyId, string locationId, string evseUid, string connectorId, LocationReceiverStore store) => WriteAsync(c, store, countryCode, partyId, locationId, evseUid, connectorId, patch: true, v));
        }
    }

    private static IResult Get(HttpContext context, LocationReceiverStore store, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, OcpiVersionNumber version)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        // 2.1.1: the object as the CPO sent it (only what was received at 2.1.1 has that form).
        JsonObject? location = version == OcpiVersionNumber.V211 ? store.GetReceivedJson(countryCode, partyId, locationId) : store.GetJson(countryCode, partyId, locationId);
        JsonObject? target = location is null ? null : LocationReceiverStore.Navigate(location, evseUid, connectorId);
        if (target is null)
        {
            return OcpiResults.NotFound("Unknown location, EVSE or connector.", OcpiStatus.UnknownLocation);
        }

        return OcpiResults.Ok(LocationReceiverStore.ToElement(target), OcpiJsonContext.Default.JsonElement);
    }

    private static async Task<IResult> WriteAsync(
        HttpContext context, LocationReceiverStore store, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, bool patch, OcpiVersionNumber version)
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

        LocationWriteResult result = await store.WriteAsync(caller.Partner.Id, countryCode, partyId, locationId, evseUid, connectorId, body, patch, version, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            LocationWriteOutcome.Created => OcpiResults.Ok(StatusCodes.Status201Created),
            LocationWriteOutcome.Updated => OcpiResults.Ok(),
            LocationWriteOutcome.NotFound => OcpiResults.NotFound(result.Error!, OcpiStatus.UnknownLocation),
            _ => OcpiResults.Invalid(result.Error!),
        };
    }
}

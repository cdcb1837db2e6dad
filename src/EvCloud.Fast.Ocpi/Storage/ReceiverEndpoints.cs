using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Storage;

/// <summary>
/// eMSP Receiver interfaces for objects a CPO owns and pushes, stored durably as sent (JSON) with party scoping
/// (OCPI 2.2.1 §4.1.8.1: a CPO writes and reads only objects under its own country_code/party_id, 404 otherwise):
/// Sessions (§9.2.2: GET, PUT, PATCH <c>{sessions}/{country_code}/{party_id}/{session_id}</c>), Tariffs (§11.2.2: GET,
/// PUT, DELETE <c>{tariffs}/{country_code}/{party_id}/{tariff_id}</c>) and CDRs (§10.2.2: POST <c>{cdrs}</c>, then GET
/// of the URL given back in the <c>Location</c> header, <c>{cdrs}/{country_code}/{party_id}/{cdr_id}</c>).
/// </summary>
/// <remarks>
/// Stale writes: an update whose last_updated is older than the stored object's is acknowledged and ignored, so an
/// out-of-order delivery never rolls an object back. A CDR POSTed again with an id we hold is acknowledged without
/// change (CDRs are immutable and senders deliver at least once).
/// </remarks>
internal static class ReceiverEndpoints
{
    public const string SessionCollection = "ocpi-emsp-sessions";
    public const string CdrCollection = "ocpi-emsp-cdrs";
    public const string TariffCollection = "ocpi-emsp-tariffs";

    public static void Map(RouteGroupBuilder emsp, ReceivedObjects stores)
    {
        RouteGroupBuilder sessions = emsp.MapGroup("/" + OcpiVersions.V221 + "/sessions/{countryCode}/{partyId}/{id}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        sessions.MapGet("", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Sessions, countryCode, partyId, id));
        sessions.MapPut("", (HttpContext c, string countryCode, string partyId, string id) => WriteAsync(c, stores.Sessions, "Session", countryCode, partyId, id, patch: false));
        sessions.MapPatch("", (HttpContext c, string countryCode, string partyId, string id) => WriteAsync(c, stores.Sessions, "Session", countryCode, partyId, id, patch: true));

        RouteGroupBuilder tariffs = emsp.MapGroup("/" + OcpiVersions.V221 + "/tariffs/{countryCode}/{partyId}/{id}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        tariffs.MapGet("", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Tariffs, countryCode, partyId, id));
        tariffs.MapPut("", (HttpContext c, string countryCode, string partyId, string id) => WriteAsync(c, stores.Tariffs, "Tariff", countryCode, partyId, id, patch: false));
        tariffs.MapDelete("", (HttpContext c, string countryCode, string partyId, string id) => DeleteAsync(c, stores.Tariffs, countryCode, partyId, id));

        RouteGroupBuilder cdrs = emsp.MapGroup("/" + OcpiVersions.V221 + "/cdrs").AddEndpointFilter(OcpiRequest.ModuleFilter);
        cdrs.MapPost("", (HttpContext c, OcpiUrls urls) => PostCdrAsync(c, stores.Cdrs, urls));
        cdrs.MapGet("/{countryCode}/{partyId}/{id}", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Cdrs, countryCode, partyId, id));
    }

    private static IResult Get(HttpContext context, ClientOwnedObjectStore store, string countryCode, string partyId, string id)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        return store.Get(countryCode, partyId, id) is { } stored
            ? OcpiResults.Ok(JsonDocument.Parse(stored.Json).RootElement.Clone(), OcpiJsonContext.Default.JsonElement)
            : OcpiResults.NotFound($"Unknown object '{id}'.");
    }

    private static async Task<IResult> WriteAsync(HttpContext context, ClientOwnedObjectStore store, string objectType, string countryCode, string partyId, string id, bool patch)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        if (!caller.Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        (JsonObject? body, string? error) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return OcpiResults.Invalid(error!);
        }

        if (!OcpiDates.TryParse(Text(body, "last_updated"), out DateTimeOffset lastUpdated))
        {
            return OcpiResults.Invalid("last_updated is required (an RFC 3339 date-time).");
        }

        StoredObject? existing = store.Get(countryCode, partyId, id);
        JsonObject merged;
        if (patch)
        {
            if (existing is null)
            {
                return OcpiResults.NotFound($"Unknown object '{id}': PUT it first.");
            }

            if (!SameOrAbsent(body, "id", id) || !SameOrAbsent(body, "country_code", countryCode) || !SameOrAbsent(body, "party_id", partyId))
            {
                return OcpiResults.Invalid("A PATCH may not change id, country_code or party_id.");
            }

            merged = JsonNode.Parse(existing.Json)!.AsObject();
            foreach ((string name, JsonNode? value) in body.ToList())
            {
                body.Remove(name);
                merged[name] = value;
            }
        }
        else
        {
            if (!Same(body, "id", id) || !Same(body, "country_code", countryCode) || !Same(body, "party_id", partyId))
            {
                return OcpiResults.Invalid("id, country_code and party_id must equal the URL's (§4.1.8.1).");
            }

            merged = body;
        }

        // What we store must be the object the spec describes (a PATCH is checked merged, as it will be stored).
        if (OcpiSchemas.V221.Check(objectType, merged) is { } invalid)
        {
            return OcpiResults.Invalid(objectType + ": " + invalid);
        }

        if (existing is not null && lastUpdated.ToUnixTimeMilliseconds() < existing.LastUpdatedMs)
        {
            return OcpiResults.Ok(); // older than what we hold: acknowledged, ignored
        }

        bool created = await store.PutAsync(
            new StoredObject
            {
                Json = JsonSerializer.SerializeToUtf8Bytes(merged, OcpiJsonContext.Default.JsonNode),
                LastUpdatedMs = lastUpdated.ToUnixTimeMilliseconds(),
                PartnerId = caller.Partner.Id,
                CountryCode = countryCode,
                PartyId = partyId,
                Id = id,
            },
            context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok(created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>DELETE of a received object (both versions): only the caller's own parties; absent is already the wanted state.</summary>
    internal static async Task<IResult> DeleteAsync(HttpContext context, ClientOwnedObjectStore store, string countryCode, string partyId, string id)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        // Deleting what we do not hold is the state the sender wants: 1000 (a retried DELETE must not dead-letter).
        await store.DeleteAsync(countryCode, partyId, id, context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok();
    }

    private static async Task<IResult> PostCdrAsync(HttpContext context, ClientOwnedObjectStore store, OcpiUrls urls)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        (JsonObject? body, string? error) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return OcpiResults.Invalid(error!);
        }

        string? countryCode = Text(body, "country_code"), partyId = Text(body, "party_id"), id = Text(body, "id");
        if (countryCode is null || partyId is null || id is null || id.Length > 39)
        {
            return OcpiResults.Invalid("country_code, party_id and id (at most 39 characters) are required.");
        }

        if (!caller.Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.Invalid($"{countryCode}/{partyId} is not a party of this partner.");
        }

        if (OcpiSchemas.V221.Check("Cdr", body) is { } invalid)
        {
            return OcpiResults.Invalid("Cdr: " + invalid);
        }

        OcpiDates.TryParse(Text(body, "last_updated"), out DateTimeOffset lastUpdated);

        string location = urls.Module(context, "emsp", OcpiVersionNumber.V221, "cdrs") + "/" + Uri.EscapeDataString(countryCode) + "/" + Uri.EscapeDataString(partyId) + "/" + Uri.EscapeDataString(id);
        context.Response.Headers.Location = location;
        if (store.Get(countryCode, partyId, id) is not null)
        {
            return OcpiResults.Ok(); // a repeated delivery of a CDR we hold
        }

        await store.PutAsync(
            new StoredObject
            {
                Json = JsonSerializer.SerializeToUtf8Bytes(body, OcpiJsonContext.Default.JsonNode),
                LastUpdatedMs = lastUpdated.ToUnixTimeMilliseconds(),
                PartnerId = caller.Partner.Id,
                CountryCode = countryCode,
                PartyId = partyId,
                Id = id,
            },
            context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok(StatusCodes.Status201Created);
    }

    internal static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    internal static bool Same(JsonObject body, string name, string expected) => string.Equals(Text(body, name), expected, StringComparison.OrdinalIgnoreCase);

    private static bool SameOrAbsent(JsonObject body, string name, string expected) => !body.ContainsKey(name) || Same(body, name, expected);
}

/// <summary>The eMSP's stores of CPO-owned objects it received: sessions, CDRs, tariffs.</summary>
public sealed class ReceivedObjects
{
    /// <summary>Creates the three stores.</summary>
    public ReceivedObjects(EvCloud.Fast.Storage.StorageEngine storage)
    {
        Sessions = new ClientOwnedObjectStore(storage, ReceiverEndpoints.SessionCollection);
        Cdrs = new ClientOwnedObjectStore(storage, ReceiverEndpoints.CdrCollection);
        Tariffs = new ClientOwnedObjectStore(storage, ReceiverEndpoints.TariffCollection);
    }

    /// <summary>Received sessions.</summary>
    public ClientOwnedObjectStore Sessions { get; }

    /// <summary>Received CDRs.</summary>
    public ClientOwnedObjectStore Cdrs { get; }

    /// <summary>Received tariffs.</summary>
    public ClientOwnedObjectStore Tariffs { get; }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Storage;

/// <summary>
/// eMSP receivers of OCPI 2.1.1 for what a 2.1.1 CPO pushes: Sessions (§2.2: GET, PUT, PATCH
/// <c>{sessions}/{country_code}/{party_id}/{session_id}</c>), Tariffs (§2.2: GET, PUT, PATCH, DELETE
/// <c>{tariffs}/{country_code}/{party_id}/{tariff_id}</c>) and CDRs (§2.2: POST <c>{cdrs}</c>, then GET of the URL
/// given back in the <c>Location</c> header). Same stores and rules as the 2.2.1 receivers (<see cref="ReceiverEndpoints"/>):
/// party scoping by the URL (transport_and_format "Client owned object push": 404 for another party), stale writes
/// acknowledged and ignored, a repeated CDR acknowledged without change.
/// </summary>
/// <remarks>
/// <para>Storage: each object is kept twice in one record — converted to 2.2.1 (<see cref="StoredObject.Json"/>, what
/// <c>/api/v1/ocpi/...</c> serves, so API users read one form whatever the CPO's version) and as received
/// (<see cref="StoredObject.ReceivedJson"/>, what a 2.1.1 GET serves back: the CPO checks its own object, not our
/// conversion). A PATCH applies to the received form, which is then converted again.</para>
/// <para>PATCH: 2.1.1 does not require last_updated in a PATCH (transport_and_format "PATCH": only the fields to
/// update); one without it is stamped with the time we received it (what a GET shows), while the stale-write check keeps
/// comparing with the CPO's own last time. A PUT must carry it (the objects' last_updated is required).</para>
/// </remarks>
internal static class Receiver211Endpoints
{
    public static void Map(RouteGroupBuilder emsp, ReceivedObjects stores)
    {
        RouteGroupBuilder sessions = emsp.MapGroup("/" + OcpiVersions.V211 + "/sessions/{countryCode}/{partyId}/{id}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        sessions.MapGet("", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Sessions, countryCode, partyId, id));
        sessions.MapPut("", (HttpContext c, string countryCode, string partyId, string id, EmspTokenStore tokens, OcpiOptions options) =>
            WriteAsync(c, stores.Sessions, countryCode, partyId, id, patch: false, Ocpi211Objects.ValidateSession, s => Ocpi211Objects.SessionTo221(s, countryCode, partyId, TokenSource(tokens, options))));
        sessions.MapPatch("", (HttpContext c, string countryCode, string partyId, string id, EmspTokenStore tokens, OcpiOptions options) =>
            WriteAsync(c, stores.Sessions, countryCode, partyId, id, patch: true, Ocpi211Objects.ValidateSession, s => Ocpi211Objects.SessionTo221(s, countryCode, partyId, TokenSource(tokens, options))));

        RouteGroupBuilder tariffs = emsp.MapGroup("/" + OcpiVersions.V211 + "/tariffs/{countryCode}/{partyId}/{id}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        tariffs.MapGet("", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Tariffs, countryCode, partyId, id));
        tariffs.MapPut("", (HttpContext c, string countryCode, string partyId, string id) =>
            WriteAsync(c, stores.Tariffs, countryCode, partyId, id, patch: false, Ocpi211Objects.ValidateTariff, t => Ocpi211Objects.TariffTo221(t, countryCode, partyId)));
        tariffs.MapPatch("", (HttpContext c, string countryCode, string partyId, string id) =>
            WriteAsync(c, stores.Tariffs, countryCode, partyId, id, patch: true, Ocpi211Objects.ValidateTariff, t => Ocpi211Objects.TariffTo221(t, countryCode, partyId)));
        tariffs.MapDelete("", (HttpContext c, string countryCode, string partyId, string id) => ReceiverEndpoints.DeleteAsync(c, stores.Tariffs, countryCode, partyId, id));

        RouteGroupBuilder cdrs = emsp.MapGroup("/" + OcpiVersions.V211 + "/cdrs").AddEndpointFilter(OcpiRequest.ModuleFilter);
        cdrs.MapPost("", (HttpContext c, OcpiUrls urls, EmspTokenStore tokens, OcpiOptions options) => PostCdrAsync(c, stores.Cdrs, urls, TokenSource(tokens, options)));
        cdrs.MapGet("/{countryCode}/{partyId}/{id}", (HttpContext c, string countryCode, string partyId, string id) => Get(c, stores.Cdrs, countryCode, partyId, id));
    }

    private static CdrTokenSource TokenSource(EmspTokenStore tokens, OcpiOptions options) =>
        new(tokens.FindByContractId, options.CountryCode, options.PartyId);

    private static IResult Get(HttpContext context, ClientOwnedObjectStore store, string countryCode, string partyId, string id)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        // Only what was received at 2.1.1 has a 2.1.1 form to give back.
        return store.Get(countryCode, partyId, id) is { ReceivedJson: { } received }
            ? OcpiResults.Ok(JsonDocument.Parse(received).RootElement.Clone(), OcpiJsonContext.Default.JsonElement)
            : OcpiResults.NotFound($"Unknown object '{id}'.");
    }

    private static async Task<IResult> WriteAsync(
        HttpContext context, ClientOwnedObjectStore store, string countryCode, string partyId, string id, bool patch, Func<JsonObject, string?> validate, Func<JsonObject, JsonObject> to221)
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

        bool stamped = patch && body["last_updated"] is null;
        if (stamped)
        {
            body["last_updated"] = OcpiDates.Format(OcpiDates.Truncate(DateTimeOffset.UtcNow));
        }

        if (!OcpiDates.TryParse(ReceiverEndpoints.Text(body, "last_updated"), out DateTimeOffset lastUpdated))
        {
            return OcpiResults.Invalid("last_updated is required (an RFC 3339 date-time).");
        }

        StoredObject? existing = store.Get(countryCode, partyId, id);
        JsonObject merged;
        if (patch)
        {
            if (existing?.ReceivedJson is null)
            {
                return OcpiResults.NotFound($"Unknown object '{id}': PUT it first.");
            }

            if (body.ContainsKey("id") && !ReceiverEndpoints.Same(body, "id", id))
            {
                return OcpiResults.Invalid("A PATCH may not change the id.");
            }

            merged = JsonNode.Parse(existing.ReceivedJson)!.AsObject();
            foreach ((string name, JsonNode? value) in body.ToList())
            {
                body.Remove(name);
                merged[name] = value;
            }
        }
        else
        {
            if (!ReceiverEndpoints.Same(body, "id", id))
            {
                return OcpiResults.Invalid("id must equal the URL's object id (transport_and_format \"Client owned object push\", Errors).");
            }

            merged = body;
        }

        if (validate(merged) is { } invalid)
        {
            return OcpiResults.Invalid(invalid);
        }

        if (!stamped && existing is not null && lastUpdated.ToUnixTimeMilliseconds() < existing.LastUpdatedMs)
        {
            return OcpiResults.Ok(); // older than what we hold: acknowledged, ignored
        }

        // NOTE: our receipt time is not the CPO's clock: a stamped PATCH keeps the CPO's last time for the stale check,
        // so a later PUT from a CPO whose clock is behind ours is not taken for an old one.
        long clock = stamped ? existing!.LastUpdatedMs : lastUpdated.ToUnixTimeMilliseconds();
        bool created = await store.PutAsync(Stored(caller, countryCode, partyId, id, merged, to221(merged), clock), context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok(created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>
    /// 2.1.1 CDRs carry no owner: a CDR is the CPO's that POSTs it (its one party of the 2.1.1 credentials, or the party
    /// its OCPI-from-* headers name).
    /// </summary>
    private static async Task<IResult> PostCdrAsync(HttpContext context, ClientOwnedObjectStore store, OcpiUrls urls, CdrTokenSource tokens)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        (JsonObject? body, string? error) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return OcpiResults.Invalid(error!);
        }

        if (Ocpi211Objects.ValidateCdr(body) is { } invalid)
        {
            return OcpiResults.Invalid(invalid);
        }

        string id = ReceiverEndpoints.Text(body, "id")!;
        if (id.Length > 36 || !OcpiDates.TryParse(ReceiverEndpoints.Text(body, "last_updated"), out DateTimeOffset lastUpdated))
        {
            return OcpiResults.Invalid("id (at most 36 characters) and last_updated (an RFC 3339 date-time) are required.");
        }

        string? countryCode = caller.FromCountryCode ?? caller.Partner.Roles.FirstOrDefault()?.CountryCode;
        string? partyId = caller.FromPartyId ?? caller.Partner.Roles.FirstOrDefault()?.PartyId;
        if (countryCode is null || partyId is null)
        {
            return OcpiResults.Invalid("The partner has no party to own the CDR.");
        }

        context.Response.Headers.Location = urls.Module(context, "emsp", OcpiVersionNumber.V211, "cdrs")
            + "/" + Uri.EscapeDataString(countryCode) + "/" + Uri.EscapeDataString(partyId) + "/" + Uri.EscapeDataString(id);
        if (store.Get(countryCode, partyId, id) is not null)
        {
            return OcpiResults.Ok(); // a repeated delivery of a CDR we hold
        }

        await store.PutAsync(Stored(caller, countryCode, partyId, id, body, Ocpi211Objects.CdrTo221(body, countryCode, partyId, tokens), lastUpdated.ToUnixTimeMilliseconds()), context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok(StatusCodes.Status201Created);
    }

    private static StoredObject Stored(OcpiCaller caller, string countryCode, string partyId, string id, JsonObject received, JsonObject converted, long lastUpdatedMs) => new()
    {
        Json = JsonSerializer.SerializeToUtf8Bytes(converted, OcpiJsonContext.Default.JsonNode),
        ReceivedJson = JsonSerializer.SerializeToUtf8Bytes(received, OcpiJsonContext.Default.JsonNode),
        ReceivedVersion = OcpiVersions.V211,
        LastUpdatedMs = lastUpdatedMs,
        PartnerId = caller.Partner.Id,
        CountryCode = countryCode,
        PartyId = partyId,
        Id = id,
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>
/// CPO Tokens Receiver interface (OCPI 2.2.1 §12.2.2; 2.1.1 §12.2.2 with 2.1.1 Token objects):
/// <c>GET/PUT/PATCH {tokens}/{country_code}/{party_id}/{token_uid}[?type={type}]</c>, type defaulting to RFID. A
/// partner reads and writes only its own parties' tokens; PATCH needs last_updated and an existing token.
/// </summary>
internal static class TokenReceiverEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        foreach (OcpiVersionNumber version in new[] { OcpiVersionNumber.V221, OcpiVersionNumber.V211 })
        {
            RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.Name(version) + "/tokens/{countryCode}/{partyId}/{uid}").AddEndpointFilter(OcpiRequest.ModuleFilter);
            group.MapGet("", (HttpContext c, string countryCode, string partyId, string uid, string? type, RoamingTokenStore store) => Get(c, store, version, countryCode, partyId, uid, type));
            group.MapPut("", (HttpContext c, string countryCode, string partyId, string uid, string? type, RoamingTokenStore store) => PutAsync(c, store, version, countryCode, partyId, uid, type));
            group.MapPatch("", (HttpContext c, string countryCode, string partyId, string uid, string? type, RoamingTokenStore store) => PatchAsync(c, store, version, countryCode, partyId, uid, type));
        }
    }

    private static IResult Get(HttpContext context, RoamingTokenStore store, OcpiVersionNumber version, string countryCode, string partyId, string uid, string? type)
    {
        if (!OcpiRequest.Caller(context).Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        OcpiToken? token = store.Get(countryCode, partyId, uid, type ?? "RFID");
        if (token is null)
        {
            return OcpiResults.NotFound($"Unknown token '{uid}'.", OcpiStatus.UnknownToken);
        }

        return version == OcpiVersionNumber.V221
            ? OcpiResults.Ok(token, OcpiJsonContext.Default.OcpiToken)
            : OcpiResults.Ok(TokenValidation.To211(token), OcpiJsonContext.Default.OcpiToken211);
    }

    private static async Task<IResult> PutAsync(HttpContext context, RoamingTokenStore store, OcpiVersionNumber version, string countryCode, string partyId, string uid, string? type)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        if (!caller.Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        OcpiToken? token;
        if (version == OcpiVersionNumber.V221)
        {
            (token, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.OcpiToken).ConfigureAwait(false);
            if (token is null)
            {
                return OcpiResults.Invalid(error!);
            }
        }
        else
        {
            (OcpiToken211? token211, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.OcpiToken211).ConfigureAwait(false);
            if (token211 is null)
            {
                return OcpiResults.Invalid(error!);
            }

            token = TokenValidation.From211(token211, countryCode, partyId);
        }

        string? invalid = CheckAgainstUrl(token, countryCode, partyId, uid, type) ?? TokenValidation.Check(token);
        if (invalid is not null)
        {
            return OcpiResults.Invalid(invalid);
        }

        bool created = await store.PutAsync(caller.Partner.Id, token, context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok(created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> PatchAsync(HttpContext context, RoamingTokenStore store, OcpiVersionNumber version, string countryCode, string partyId, string uid, string? type)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        if (!caller.Partner.HasParty(countryCode, partyId))
        {
            return OcpiResults.NotFound($"{countryCode}/{partyId} is not a party of this partner.", OcpiStatus.ClientError);
        }

        (JsonObject? patch, string? readError) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (patch is null)
        {
            return OcpiResults.Invalid(readError!);
        }

        if (!patch.ContainsKey("last_updated"))
        {
            return OcpiResults.Invalid("A PATCH must carry last_updated (OCPI 2.2.1 §12.2.2.3).");
        }

        OcpiToken? existing = store.Get(countryCode, partyId, uid, type ?? "RFID");
        if (existing is null)
        {
            return OcpiResults.NotFound($"Unknown token '{uid}': PUT it first.", OcpiStatus.UnknownToken);
        }

        OcpiToken? merged;
        try
        {
            if (version == OcpiVersionNumber.V211)
            {
                JsonObject current = JsonSerializer.SerializeToNode(TokenValidation.To211(existing), OcpiJsonContext.Default.OcpiToken211)!.AsObject();
                Merge(current, patch);
                OcpiToken211? token211 = current.Deserialize(OcpiJsonContext.Default.OcpiToken211);
                merged = token211 is null ? null : TokenValidation.From211(token211, countryCode, partyId);
                if (merged is not null)
                {
                    merged.GroupId = existing.GroupId;
                    merged.DefaultProfileType = existing.DefaultProfileType;
                }
            }
            else
            {
                JsonObject current = JsonSerializer.SerializeToNode(existing, OcpiJsonContext.Default.OcpiToken)!.AsObject();
                Merge(current, patch);
                merged = current.Deserialize(OcpiJsonContext.Default.OcpiToken);
            }
        }
        catch (JsonException e)
        {
            return OcpiResults.Invalid("The PATCH does not fit a Token: " + e.Message);
        }

        string? invalid = merged is null ? "The PATCH does not fit a Token." : CheckAgainstUrl(merged, countryCode, partyId, uid, type ?? existing.Type) ?? TokenValidation.Check(merged);
        if (invalid is not null)
        {
            return OcpiResults.Invalid(invalid);
        }

        await store.PutAsync(caller.Partner.Id, merged!, context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok();
    }

    /// <summary>§4.1.8.1: the object's ids must be the URL's (2001 otherwise).</summary>
    private static string? CheckAgainstUrl(OcpiToken token, string countryCode, string partyId, string uid, string? type)
    {
        if (!string.Equals(token.Uid, uid, StringComparison.OrdinalIgnoreCase))
        {
            return "uid must equal the URL's token_uid.";
        }

        if (!string.Equals(token.CountryCode, countryCode, StringComparison.OrdinalIgnoreCase) || !string.Equals(token.PartyId, partyId, StringComparison.OrdinalIgnoreCase))
        {
            return "country_code and party_id must equal the URL's.";
        }

        return type is not null && !string.Equals(token.Type, type, StringComparison.Ordinal) ? "type must equal the URL's type parameter." : null;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach ((string name, JsonNode? value) in patch.ToList())
        {
            patch.Remove(name);
            target[name] = value;
        }
    }
}

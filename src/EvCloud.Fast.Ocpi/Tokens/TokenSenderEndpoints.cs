using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>
/// eMSP Tokens Sender interface (OCPI 2.2.1 §12.2.1): the paginated list of our tokens and real-time authorization
/// (<c>POST {tokens}/{token_uid}/authorize[?type=]</c>, §12.2.1.2): unknown token → HTTP 404 with 2004 and no data.
/// The same for 2.1.1 CPOs (2.1.1 mod_tokens §2.2) with 2.1.1 objects: Token (§3.2, <see cref="TokenValidation.To211"/>),
/// LocationReferences with connector_ids (§4.2) and AuthorizationInfo {allowed, location, info} (§3.1).
/// </summary>
internal static class TokenSenderEndpoints
{
    public static void Map(RouteGroupBuilder emsp)
    {
        RouteGroupBuilder group = emsp.MapGroup("/" + OcpiVersions.V221 + "/tokens").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
        group.MapPost("/{uid}/authorize", AuthorizeAsync);

        RouteGroupBuilder v211 = emsp.MapGroup("/" + OcpiVersions.V211 + "/tokens").AddEndpointFilter(OcpiRequest.ModuleFilter);
        v211.MapGet("", List211);
        v211.MapPost("/{uid}/authorize", Authorize211Async);
    }

    private static IResult List211(HttpContext context, EmspTokenStore store, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<OcpiToken211> matching = [.. store.List().Where(t => page.Matches(t.LastUpdated)).Select(t => TokenValidation.To211(t.Token))];
        return OcpiResults.Ok(OcpiPaging.Apply(context, matching, page, urls.Base(context)), OcpiJsonContext.Default.ListOcpiToken211);
    }

    /// <summary>
    /// 2.1.1 TokenType has OTHER and RFID only; our APP_USER and AD_HOC_USER tokens are OTHER there (what the CPO was
    /// given by <see cref="TokenValidation.To211"/>), so OTHER finds any of the three.
    /// </summary>
    private static async Task<IResult> Authorize211Async(HttpContext context, string uid, string? type, EmspTokenStore store)
    {
        OcpiToken? token = (type ?? "RFID").ToUpperInvariant() switch
        {
            "OTHER" => store.Get(uid, "OTHER") ?? store.Get(uid, "APP_USER") ?? store.Get(uid, "AD_HOC_USER"),
            string t => store.Get(uid, t),
        };
        if (token is null)
        {
            return OcpiResults.NotFound($"Unknown token '{uid}'.", OcpiStatus.UnknownToken);
        }

        LocationReferences211? location = null;
        if (context.Request.ContentLength is > 0)
        {
            (location, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiEmsp211JsonContext.Default.LocationReferences211).ConfigureAwait(false);
            if (location is null || string.IsNullOrEmpty(location.LocationId))
            {
                return OcpiResults.Invalid(error ?? "location_id is required in LocationReferences.");
            }
        }

        // As on 2.2.1: this eMSP does not restrict its drivers per location, so a valid token is allowed at every EVSE
        // and connector asked for (§3.1 location: "only the EVSEs/Connectors the EV driver is allowed to charge at").
        var info = new AuthorizationInfo211
        {
            Allowed = token.Valid == true ? "ALLOWED" : "BLOCKED",
            Location = token.Valid == true ? location : null,
        };
        return OcpiResults.Ok(info, OcpiEmsp211JsonContext.Default.AuthorizationInfo211);
    }

    private static IResult List(HttpContext context, EmspTokenStore store, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<OcpiToken> matching = [.. store.List().Where(t => page.Matches(t.LastUpdated)).Select(t => t.Token)];
        return OcpiResults.Ok(OcpiPaging.Apply(context, matching, page, urls.Base(context)), OcpiJsonContext.Default.ListOcpiToken);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, string uid, string? type, EmspTokenStore store)
    {
        OcpiToken? token = store.Get(uid, type ?? "RFID");
        if (token is null)
        {
            return OcpiResults.NotFound($"Unknown token '{uid}'.", OcpiStatus.UnknownToken);
        }

        // The body (LocationReferences) is optional; when present, every listed EVSE is allowed: this eMSP does not
        // restrict its drivers per location.
        LocationReferences? location = null;
        if (context.Request.ContentLength is > 0)
        {
            (location, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.LocationReferences).ConfigureAwait(false);
            if (location is null || string.IsNullOrEmpty(location.LocationId))
            {
                return OcpiResults.Invalid(error ?? "location_id is required in LocationReferences.");
            }
        }

        var info = new AuthorizationInfo
        {
            Allowed = token.Valid == true ? "ALLOWED" : "BLOCKED",
            Token = token,
            Location = token.Valid == true ? location : null,
            AuthorizationReference = token.Valid == true ? Guid.NewGuid().ToString("N")[..24] : null,
        };
        return OcpiResults.Ok(info, OcpiJsonContext.Default.AuthorizationInfo);
    }
}

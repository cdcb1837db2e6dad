using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>
/// eMSP Tokens Sender interface (OCPI 2.2.1 §12.2.1): the paginated list of our tokens and real-time authorization
/// (<c>POST {tokens}/{token_uid}/authorize[?type=]</c>, §12.2.1.2): unknown token → HTTP 404 with 2004 and no data.
/// </summary>
internal static class TokenSenderEndpoints
{
    public static void Map(RouteGroupBuilder emsp)
    {
        RouteGroupBuilder group = emsp.MapGroup("/" + OcpiVersions.V221 + "/tokens").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
        group.MapPost("/{uid}/authorize", AuthorizeAsync);
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

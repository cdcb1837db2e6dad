using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Sessions;

/// <summary>
/// CPO Sessions Sender interface (OCPI 2.2.1 §9.2.1.1): <c>GET {sessions}?date_from&amp;date_to&amp;offset&amp;limit</c>,
/// paginated, filtered on last_updated, and only the sessions of tokens that belong to the requesting eMSP. The 2.1.1
/// interface (mod_sessions §2.1) lists the same sessions as 2.1.1 objects; its <c>date_from</c>, required by the
/// 2.1.1 table, is read as optional here, like 2.2.1's.
/// </summary>
internal static class SessionSenderEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/sessions").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
        cpo.MapGroup("/" + OcpiVersions.V211 + "/sessions").AddEndpointFilter(OcpiRequest.ModuleFilter).MapGet("", List211);
    }

    private static IResult List211(HttpContext context, SessionSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        (List<RoamingSession> slice, int total) = sender.Page(OcpiScope.Parties(OcpiRequest.Caller(context)), page);
        OcpiPaging.WriteHeaders(context, total, slice.Count, page, urls.Base(context));
        List<Session211> items = [.. slice.Select(sender.Build211)];
        return OcpiResults.Ok(items, Ocpi211JsonContext.Default.ListSession211);
    }

    private static IResult List(HttpContext context, SessionSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        (List<RoamingSession> slice, int total) = sender.Page(OcpiScope.Parties(OcpiRequest.Caller(context)), page);
        OcpiPaging.WriteHeaders(context, total, slice.Count, page, urls.Base(context));
        return OcpiResults.Ok([.. slice.Select(sender.Build)], OcpiJsonContext.Default.ListOcpiSession);
    }
}

using System.Text.Json;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Cdrs;

/// <summary>
/// CPO CDRs Sender interface (OCPI 2.2.1 §10.2.1.1): <c>GET {cdrs}?date_from&amp;date_to&amp;offset&amp;limit</c>,
/// paginated, filtered on last_updated, only CDRs of tokens that belong to the requesting eMSP. The 2.1.1 interface
/// (mod_cdrs §2.1) lists the same CDRs as 2.1.1 objects.
/// </summary>
internal static class CdrSenderEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/cdrs").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", ListAsync);
        cpo.MapGroup("/" + OcpiVersions.V211 + "/cdrs").AddEndpointFilter(OcpiRequest.ModuleFilter).MapGet("", List211Async);
    }

    private static async Task<IResult> List211Async(HttpContext context, CdrSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        (List<RoamingCdr> slice, int total) = sender.Page(OcpiScope.Parties(OcpiRequest.Caller(context)), page);
        OcpiPaging.WriteHeaders(context, total, slice.Count, page, urls.Base(context));
        var items = new List<Cdr211>();
        foreach (RoamingCdr cdr in slice)
        {
            if (await sender.Read211Async(cdr.CdrId, context.RequestAborted).ConfigureAwait(false) is { } mapped)
            {
                items.Add(mapped);
            }
        }

        return OcpiResults.Ok(items, Ocpi211JsonContext.Default.ListCdr211);
    }

    private static async Task<IResult> ListAsync(HttpContext context, CdrSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        (List<RoamingCdr> slice, int total) = sender.Page(OcpiScope.Parties(OcpiRequest.Caller(context)), page);
        OcpiPaging.WriteHeaders(context, total, slice.Count, page, urls.Base(context));

        // Only the page's bodies are read from the CDR store.
        var bodies = new List<JsonElement>(slice.Count);
        foreach (RoamingCdr cdr in slice)
        {
            if (await sender.ReadAsync(cdr.CdrId, context.RequestAborted).ConfigureAwait(false) is { } body)
            {
                bodies.Add(body);
            }
        }

        return OcpiResults.Ok(bodies, OcpiJsonContext.Default.ListJsonElement);
    }
}

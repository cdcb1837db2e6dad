using System.Text.Json;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.V211;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Tariffs;

/// <summary>
/// CPO Tariffs Sender interface (OCPI 2.2.1 §11.2.1.1): <c>GET {tariffs}?date_from&amp;date_to&amp;offset&amp;limit</c>.
/// Tariffs are the CPO's own objects and public to every partner: all of ours, whatever the caller's party. The 2.1.1
/// interface (mod_tariffs §2.1) lists those that have a 2.1.1 form, as 2.1.1 objects.
/// </summary>
internal static class TariffSenderEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/tariffs").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
        cpo.MapGroup("/" + OcpiVersions.V211 + "/tariffs").AddEndpointFilter(OcpiRequest.ModuleFilter).MapGet("", List211);
    }

    private static IResult List211(HttpContext context, TariffSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<Tariff211> matching = [.. sender.Ours().Where(t => page.Matches(t.LastUpdated)).OrderBy(t => t.LastUpdated).ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(Tariff211Mapper.ToV211).OfType<Tariff211>()];
        return OcpiResults.Ok(OcpiPaging.Apply(context, matching, page, urls.Base(context)), Ocpi211JsonContext.Default.ListTariff211);
    }

    private static IResult List(HttpContext context, TariffSender sender, OcpiOptions options, OcpiUrls urls)
    {
        if (!OcpiPaging.TryRead(context.Request.Query, options.DefaultPageLimit, options.MaxPageLimit, out OcpiPage page, out string? error))
        {
            return OcpiResults.Invalid(error!);
        }

        List<Tariff> matching = [.. sender.Ours().Where(t => page.Matches(t.LastUpdated)).OrderBy(t => t.LastUpdated).ThenBy(t => t.Id, StringComparer.Ordinal)];
        List<JsonElement> items = [.. OcpiPaging.Apply(context, matching, page, urls.Base(context)).Select(t => JsonSerializer.SerializeToElement(t, OcpiTariffJsonContext.Default.Tariff))];
        return OcpiResults.Ok(items, OcpiJsonContext.Default.ListJsonElement);
    }
}

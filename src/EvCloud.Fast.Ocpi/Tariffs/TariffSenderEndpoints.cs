using System.Text.Json;
using EvCloud.Fast.Cdr.Tariffs;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tariffs;

/// <summary>
/// CPO Tariffs Sender interface (OCPI 2.2.1 §11.2.1.1): <c>GET {tariffs}?date_from&amp;date_to&amp;offset&amp;limit</c>.
/// Tariffs are the CPO's own objects and public to every partner: all of ours, whatever the caller's party.
/// </summary>
internal static class TariffSenderEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/tariffs").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", List);
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

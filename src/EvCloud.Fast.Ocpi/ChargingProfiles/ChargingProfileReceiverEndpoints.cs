using System.Globalization;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.ChargingProfiles;

/// <summary>
/// CPO ChargingProfiles Receiver interface (OCPI 2.2.1 §19.2.1): <c>GET {chargingprofiles}/{session_id}?duration=&amp;response_url=</c>,
/// <c>PUT {chargingprofiles}/{session_id}</c> with a SetChargingProfile, <c>DELETE {chargingprofiles}/{session_id}?response_url=</c>.
/// Each answers a ChargingProfileResponse with HTTP 200, as the Commands module does.
/// </summary>
internal static class ChargingProfileReceiverEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        RouteGroupBuilder group = cpo.MapGroup("/" + OcpiVersions.V221 + "/chargingprofiles/{sessionId}").AddEndpointFilter(OcpiRequest.ModuleFilter);
        group.MapGet("", (HttpContext context, string sessionId, string? duration, string? response_url, ChargingProfileReceiver receiver) =>
            int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
                ? Answer(receiver.GetActive(OcpiRequest.Caller(context), sessionId, seconds, response_url))
                : OcpiResults.Invalid("duration (seconds) is required."));
        group.MapPut("", PutAsync);
        group.MapDelete("", (HttpContext context, string sessionId, string? response_url, ChargingProfileReceiver receiver) =>
            Answer(receiver.Clear(OcpiRequest.Caller(context), sessionId, response_url)));
    }

    private static async Task<IResult> PutAsync(HttpContext context, string sessionId, ChargingProfileReceiver receiver)
    {
        (SetChargingProfile? request, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiChargingProfileJsonContext.Default.SetChargingProfile).ConfigureAwait(false);
        return request is null ? OcpiResults.Invalid(error!) : Answer(receiver.Set(OcpiRequest.Caller(context), sessionId, request));
    }

    private static IResult Answer(ChargingProfileReception reception) =>
        OcpiResults.With(StatusCodes.Status200OK, reception.StatusCode, reception.Message, reception.Response, OcpiChargingProfileJsonContext.Default.ChargingProfileResponse);
}

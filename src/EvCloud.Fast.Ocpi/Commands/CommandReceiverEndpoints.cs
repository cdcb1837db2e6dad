using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>
/// CPO Commands Receiver interface: <c>POST {commands}/{command}</c> (OCPI 2.2.1 §13.2.1, 2.1.1 §13.2.1). The answer
/// is always the CommandResponse, with the HTTP status every receiver gives its OCPI status
/// (<see cref="OcpiResults.ForStatus"/>): 1000 with HTTP 200 (also for a command the CPO refuses, e.g. REJECTED for an
/// offline charger, UNKNOWN_SESSION), 2001 (missing or invalid parameters, unknown command) with HTTP 400, 2003 (unknown
/// Location, EVSE or connector) with HTTP 404 — the same as a GET or PATCH of an unknown Location.
/// </summary>
internal static class CommandReceiverEndpoints
{
    public static void Map(RouteGroupBuilder cpo)
    {
        foreach (OcpiVersionNumber version in new[] { OcpiVersionNumber.V221, OcpiVersionNumber.V211 })
        {
            cpo.MapPost("/" + OcpiVersions.Name(version) + "/commands/{command}", (HttpContext context, string command, CommandReceiver receiver) => ReceiveAsync(context, command, receiver, version))
                .AddEndpointFilter(OcpiRequest.ModuleFilter);
        }
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, string command, CommandReceiver receiver, OcpiVersionNumber version)
    {
        (OcpiCommandRequest? request, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.OcpiCommandRequest).ConfigureAwait(false);
        if (request is null)
        {
            return OcpiResults.Invalid(error!);
        }

        CommandReception reception = await receiver.ReceiveAsync(OcpiRequest.Caller(context), version, command.ToUpperInvariant(), request).ConfigureAwait(false);
        return OcpiResults.ForStatus(reception.StatusCode, reception.Message, reception.Response, OcpiJsonContext.Default.CommandResponse);
    }
}

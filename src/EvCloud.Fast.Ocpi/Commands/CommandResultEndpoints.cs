using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>
/// eMSP Commands Sender interface (OCPI 2.2.1 §13.2.2): <c>POST {commands}/{command}/{id}</c>, the response_url we put in
/// every command; only the partner the command went to may answer it (404 otherwise).
/// </summary>
internal static class CommandResultEndpoints
{
    public static void Map(RouteGroupBuilder emsp)
    {
        emsp.MapPost("/" + OcpiVersions.V221 + "/commands/{command}/{id}", ReceiveAsync).AddEndpointFilter(OcpiRequest.ModuleFilter);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, string command, string id, CommandSender sender)
    {
        (CommandResult? result, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.CommandResult).ConfigureAwait(false);
        if (result is null || string.IsNullOrEmpty(result.Result))
        {
            return OcpiResults.Invalid(error ?? "result is required.");
        }

        return await sender.ReceiveResultAsync(OcpiRequest.Caller(context).Partner, command, id, result, context.RequestAborted).ConfigureAwait(false)
            ? OcpiResults.Ok()
            : OcpiResults.NotFound($"No {command} command '{id}' was sent to this partner.");
    }
}

using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>
/// eMSP Commands Sender interface (OCPI 2.2.1 §13.2.2, 2.1.1 mod_commands §2.2): <c>POST {commands}/{command}/{id}</c>,
/// the response_url we put in every command; only the partner the command went to may answer it (404 otherwise).
/// </summary>
internal static class CommandResultEndpoints
{
    public static void Map(RouteGroupBuilder emsp)
    {
        emsp.MapPost("/" + OcpiVersions.V221 + "/commands/{command}/{id}", ReceiveAsync).AddEndpointFilter(OcpiRequest.ModuleFilter);
        emsp.MapPost("/" + OcpiVersions.V211 + "/commands/{command}/{id}", Receive211Async).AddEndpointFilter(OcpiRequest.ModuleFilter);
    }

    /// <summary>
    /// 2.1.1 (mod_commands §2.2.1): the Charge Point's answer is a CommandResponse whose result is a CommandResponseType
    /// (NOT_SUPPORTED, REJECTED, ACCEPTED, TIMEOUT, UNKNOWN_SESSION), recorded as the command's result like a 2.2.1 CommandResult.
    /// </summary>
    private static async Task<IResult> Receive211Async(HttpContext context, string command, string id, CommandSender sender)
    {
        (CommandResponse? response, string? error) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.CommandResponse).ConfigureAwait(false);
        if (response is null || string.IsNullOrEmpty(response.Result))
        {
            return OcpiResults.Invalid(error ?? "result is required.");
        }

        var result = new CommandResult { Result = response.Result, Message = response.Message };
        return await sender.ReceiveResultAsync(OcpiRequest.Caller(context).Partner, command, id, result, context.RequestAborted).ConfigureAwait(false)
            ? OcpiResults.Ok()
            : OcpiResults.NotFound($"No {command} command '{id}' was sent to this partner.");
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

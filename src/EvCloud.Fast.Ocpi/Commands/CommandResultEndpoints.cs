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
        (CommandResponse? response, string? error) = await ReadAsync(context, OcpiSchemas.V211, "CommandResponse", OcpiJsonContext.Default.CommandResponse).ConfigureAwait(false);
        if (response is null)
        {
            return OcpiResults.Invalid(error!);
        }

        var result = new CommandResult { Result = response.Result, Message = response.Message };
        return Answer(await sender.ReceiveResultAsync(OcpiRequest.Caller(context).Partner, command, id, result, context.RequestAborted).ConfigureAwait(false), command, id);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, string command, string id, CommandSender sender)
    {
        (CommandResult? result, string? error) = await ReadAsync(context, OcpiSchemas.V221, "CommandResult", OcpiJsonContext.Default.CommandResult).ConfigureAwait(false);
        if (result is null)
        {
            return OcpiResults.Invalid(error!);
        }

        return Answer(await sender.ReceiveResultAsync(OcpiRequest.Caller(context).Partner, command, id, result, context.RequestAborted).ConfigureAwait(false), command, id);
    }

    /// <summary>The body checked against its property table (result must be a CommandResultType / CommandResponseType), then typed.</summary>
    private static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpContext context, OcpiSchema schema, string objectType, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        (System.Text.Json.Nodes.JsonObject? body, string? error) = await OcpiRequest.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return (null, error);
        }

        if (schema.Check(objectType, body) is { } invalid)
        {
            return (null, objectType + ": " + invalid);
        }

        try
        {
            return (System.Text.Json.JsonSerializer.Deserialize(body, typeInfo), null);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, "Not a " + objectType + ": " + e.Message);
        }
    }

    // A result for an outcome already final is acknowledged (1000) and kept as an anomaly; see CommandSender.ReceiveResultAsync.
    private static IResult Answer(CommandResultReception reception, string command, string id) => reception == CommandResultReception.Unknown
        ? OcpiResults.NotFound($"No {command} command '{id}' was sent to this partner.")
        : OcpiResults.Ok();
}

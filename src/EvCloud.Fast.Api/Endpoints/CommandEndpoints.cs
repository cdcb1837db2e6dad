using System.Security.Claims;
using System.Text.Json;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// Commands to chargers: the generic <c>POST /chargers/{id}/commands/{action}</c> (any CSMS-initiated OCPP action of
/// the charger's version, payload validated against its schema) and the outbox (<c>/commands</c>). Every command
/// answers with the charger's answer (200), or 409 offline / 504 timeout / 502 charger error; with <c>queue=true</c>
/// it goes to the durable outbox instead (202).
/// </summary>
internal static class CommandEndpoints
{
    /// <summary>The largest OCPP payload accepted from an application (SetChargingProfile with many periods fits easily).</summary>
    private const int MaxPayloadBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/chargers/{chargerId}/commands/{action}", SendRawAsync)
            .RequireAuthorization(ApiPolicies.Operate)
            .WithTags("Commands")
            .WithName("SendOcppCommand")
            .WithSummary("Send any OCPP action the server may initiate, with a raw payload for the charger's OCPP version")
            .WithDescription("The payload is validated against the official schema of the action for the charger's version (400 invalid_command with the violation). " +
                "queue=true puts it in the charger's durable outbox (202) instead of failing when the charger is offline; ttlSeconds bounds the wait.")
            .Accepts<JsonElement>("application/json")
            .Produces<CommandResponse>()
            .Produces<QueuedCommandView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        RouteGroupBuilder commands = api.MapGroup("/commands").WithTags("Commands");
        commands.MapGet("/", (CommandOutbox outbox, string? chargerId, string? state) => ListQueued(outbox, chargerId, state))
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListQueuedCommands").WithSummary("Commands in the outbox: pending ones and those finished in the retention period, oldest first")
            .Produces<QueuedCommandView[]>().ProducesValidationProblem();
        commands.MapGet("/{commandId}", (string commandId, CommandOutbox outbox) =>
                outbox.Get(commandId) is { } command ? TypedResults.Ok(View(command)) : ApiProblem.NotFound("Queued command '" + commandId + "'"))
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetQueuedCommand").WithSummary("One queued command with its result once delivered")
            .Produces<QueuedCommandView>().ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapDelete("/{commandId}", CancelAsync)
            .RequireAuthorization(ApiPolicies.Operate)
            .WithName("CancelQueuedCommand").WithSummary("Cancel a queued command that has not been sent")
            .Produces<QueuedCommandView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> SendRawAsync(
        HttpContext context, string chargerId, string action, bool? queue, int? ttlSeconds, CommandService commands, CommandOutbox outbox, ApiOptions options)
    {
        if (context.Request.ContentLength > MaxPayloadBytes)
        {
            return ApiProblem.Validation("body", $"The payload is larger than {MaxPayloadBytes} bytes.");
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > MaxPayloadBytes)
        {
            return ApiProblem.Validation("body", $"The payload is larger than {MaxPayloadBytes} bytes.");
        }

        byte[] payload = body.Length == 0 ? "{}"u8.ToArray() : body.ToArray();
        return await ExecuteAsync(context, chargerId, action, payload, null, queue ?? false, ttlSeconds, commands, outbox, options, null).ConfigureAwait(false);
    }

    /// <summary>
    /// The flow every command endpoint shares: the charger must be known; the payload must be valid for its version;
    /// then queue it, or send it now and translate the outcome into an HTTP answer.
    /// </summary>
    public static async Task<IResult> ExecuteAsync(
        HttpContext context,
        string chargerId,
        string action,
        byte[] payload,
        string? operation,
        bool queue,
        int? ttlSeconds,
        CommandService commands,
        CommandOutbox outbox,
        ApiOptions options,
        Func<CommandExecution, CommandResponse>? describe,
        Func<CommandExecution, IResult>? completed = null)
    {
        OcppVersion? version = commands.VersionOf(chargerId);
        if (version is null)
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        if (!commands.Validate(version.Value, action, payload, out string? violation))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidCommand, "Invalid command", violation);
        }

        string source = context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyNameClaim) ?? "api";
        if (queue)
        {
            TimeSpan ttl = ttlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.DefaultCommandTtl;
            if (ttl <= TimeSpan.Zero || ttl > options.MaxCommandTtl)
            {
                return ApiProblem.Validation("ttlSeconds", $"ttlSeconds must be between 1 and {(long)options.MaxCommandTtl.TotalSeconds}.");
            }

            QueuedCommand queued = await outbox.EnqueueAsync(chargerId, action, payload, ttl, source, operation, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Accepted("/api/v1/commands/" + queued.Id, View(queued));
        }

        if (!commands.IsOnline(chargerId))
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.ChargerOffline, "Charger offline",
                "Charger '" + chargerId + "' is not connected. Add queue=true to deliver the command when it reconnects.");
        }

        CommandExecution execution = await commands.SendAsync(chargerId, action, payload, source, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return execution.Result.Status == OcppCallStatus.Completed && completed is not null ? completed(execution) : Answer(execution, describe);
    }

    /// <summary>The HTTP answer for a command's outcome.</summary>
    public static IResult Answer(CommandExecution execution, Func<CommandExecution, CommandResponse>? describe)
    {
        OcppCallResult result = execution.Result;
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["commandId"] = execution.CommandId, ["action"] = execution.Action };
        switch (result.Status)
        {
            case OcppCallStatus.Completed:
                return TypedResults.Ok(describe?.Invoke(execution) ?? Describe(execution));
            case OcppCallStatus.CallError:
                extensions["ocppErrorCode"] = result.ErrorCode;
                return ApiProblem.Create(StatusCodes.Status502BadGateway, ProblemCodes.ChargerError, "The charger answered with an error",
                    result.ErrorCode + (string.IsNullOrEmpty(result.ErrorDescription) ? "" : ": " + result.ErrorDescription), extensions);
            case OcppCallStatus.InvalidResponse:
                return ApiProblem.Create(StatusCodes.Status502BadGateway, ProblemCodes.ChargerInvalidResponse, "The charger's answer is invalid", result.ErrorDescription, extensions);
            case OcppCallStatus.Timeout:
                return ApiProblem.Create(StatusCodes.Status504GatewayTimeout, ProblemCodes.ChargerTimeout, "The charger did not answer in time", result.ErrorDescription, extensions);
            case OcppCallStatus.Offline:
                return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.ChargerOffline, "Charger offline", result.ErrorDescription, extensions);
            default:
                return result.ErrorCode == "QueueFull"
                    ? ApiProblem.Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.ChargerBusy, "Too many commands for this charger", result.ErrorDescription, extensions)
                    : ApiProblem.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidCommand, "Invalid command", result.ErrorCode + ": " + result.ErrorDescription, extensions);
        }
    }

    /// <summary>A raw answer: its <c>status</c> member (most OCPP confirmations have one) decides <c>accepted</c>.</summary>
    private static CommandResponse Describe(CommandExecution execution)
    {
        JsonElement? response = Parse(execution.Result.Payload);
        string? status = response is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("status", out JsonElement s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;
        return new CommandResponse(execution.CommandId, execution.ChargerId, execution.Action, status, status is null ? null : status == "Accepted", response);
    }

    private static IResult ListQueued(CommandOutbox outbox, string? chargerId, string? state)
    {
        QueuedCommandState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse(state, ignoreCase: true, out QueuedCommandState parsed) || !Enum.IsDefined(parsed))
            {
                return ApiProblem.Validation("state", "state must be one of " + string.Join(", ", Enum.GetNames<QueuedCommandState>()) + ".");
            }

            wanted = parsed;
        }

        return TypedResults.Ok(outbox.List(chargerId).Where(c => wanted is null || c.State == wanted).Select(View).ToArray());
    }

    private static async Task<IResult> CancelAsync(string commandId, CommandOutbox outbox, CancellationToken cancellationToken)
    {
        (QueuedCommand? command, bool cancelled) = await outbox.CancelAsync(commandId, cancellationToken).ConfigureAwait(false);
        if (command is null)
        {
            return ApiProblem.NotFound("Queued command '" + commandId + "'");
        }

        return cancelled
            ? TypedResults.Ok(View(command))
            : ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Already sent", "The command is " + command.State + "; only queued commands can be cancelled.");
    }

    public static QueuedCommandView View(QueuedCommand c) => new(
        c.Id,
        c.ChargerId,
        c.Action,
        c.State.ToString(),
        c.Operation,
        Parse(c.Payload) ?? default,
        DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedUnixMs),
        DateTimeOffset.FromUnixTimeMilliseconds(c.ExpiresUnixMs),
        Views.Time(c.SentUnixMs),
        Views.Time(c.FinishedUnixMs),
        c.Outcome,
        Parse(c.Response),
        c.ErrorCode,
        c.ErrorDescription,
        c.Source);

    private static JsonElement? Parse(byte[]? json)
    {
        if (json is null || json.Length == 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// One typed endpoint per action the server may initiate, per OCPP version, bound to the records generated from the
/// official schemas: <c>POST /chargers/{id}/commands/ocpp16/RemoteStartTransaction</c> takes the action's request record
/// and answers with the charger's response record, so the OpenAPI document shows every action's real contract. The
/// flow is the raw endpoint's (schema check, <c>queue=true</c>, <c>ttlSeconds</c>, the same problem answers); the
/// generic <c>POST /chargers/{id}/commands/{action}</c> stays for raw JSON.
/// </summary>
/// <remarks>
/// The version is in the route because the records differ between versions (a 1.6 <c>Reset</c> has
/// <c>Soft</c>/<c>Hard</c>, a 2.x one <c>OnIdle</c>/<c>Immediate</c>); a charger that speaks another version gets
/// 400 <c>invalid_command</c> naming the route to use, rather than a payload its version does not define.
/// The answer is the charger's CALLRESULT read into the response record and written back (the command id is in the
/// <c>X-Command-Id</c> header); a queued command answers 202 with the outbox entry as the raw endpoint does.
/// </remarks>
internal sealed class TypedCommandEndpoints : IOcppActionVisitor
{
    /// <summary>The header carrying the command id of a typed command's answer, as <c>commandId</c> does in the raw one.</summary>
    public const string CommandIdHeader = "X-Command-Id";

    private readonly RouteGroupBuilder _api;

    private TypedCommandEndpoints(RouteGroupBuilder api) => _api = api;

    public static void Map(RouteGroupBuilder api)
    {
        var endpoints = new TypedCommandEndpoints(api);
        V16Actions.Accept(endpoints);
        V201Actions.Accept(endpoints);
        V21Actions.Accept(endpoints);
    }

    /// <summary>The route segment of a version: <c>ocpp16</c>, <c>ocpp201</c>, <c>ocpp21</c>.</summary>
    public static string Segment(OcppVersion version) => version switch
    {
        OcppVersion.Ocpp16 => "ocpp16",
        OcppVersion.Ocpp201 => "ocpp201",
        _ => "ocpp21",
    };

    public void Visit<TRequest, TResponse>(OcppVersion version, string action, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response)
    {
        // The rule the gateway applies to commands (OcppDispatcher.ValidateCommand).
        if (!OcppDispatcher.IsCommand(version, action))
        {
            return;
        }

        string segment = Segment(version);
        _api.MapPost($"/chargers/{{chargerId}}/commands/{segment}/{action}",
                (HttpContext context, string chargerId, bool? queue, int? ttlSeconds, CommandService commands, CommandOutbox outbox, ApiOptions options) =>
                    SendAsync(context, chargerId, version, action, queue, ttlSeconds, commands, outbox, options, request, response))
            .RequireAuthorization(ApiPolicies.Operate)
            .WithTags("Commands (" + segment + ")")
            .WithName("Send" + action + "_" + segment)
            .WithSummary($"{action} to an OCPP {VersionName(version)} charger, with the action's typed request and response")
            .Accepts(typeof(TRequest), "application/json")
            .Produces(StatusCodes.Status200OK, typeof(TResponse))
            .Produces<QueuedCommandView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
    }

    // A SEND message (2.1 NotifyPeriodicEventStream) goes from the charger only.
    public void VisitSend<TRequest>(OcppVersion version, string action, JsonTypeInfo<TRequest> request)
    {
    }

    private static async Task<IResult> SendAsync<TRequest, TResponse>(
        HttpContext context, string chargerId, OcppVersion version, string action, bool? queue, int? ttlSeconds,
        CommandService commands, CommandOutbox outbox, ApiOptions options, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response)
    {
        OcppVersion? actual = commands.VersionOf(chargerId);
        if (actual is null)
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        if (actual != version)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidCommand, "Invalid command",
                $"Charger '{chargerId}' speaks OCPP {VersionName(actual.Value)}; send {action} to /commands/{Segment(actual.Value)}/{action}.");
        }

        TRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return ApiProblem.Validation("body", $"The body is not a valid {action} request for OCPP {VersionName(version)}: {ex.Message}");
        }

        if (body is null)
        {
            return ApiProblem.Validation("body", "The body must be a JSON object.");
        }

        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(body, request);
        return await CommandEndpoints.ExecuteAsync(context, chargerId, action, payload, null, queue ?? false, ttlSeconds, commands, outbox, options, null,
            execution => Answer(context, execution, response)).ConfigureAwait(false);
    }

    private static IResult Answer<TResponse>(HttpContext context, CommandExecution execution, JsonTypeInfo<TResponse> response)
    {
        context.Response.Headers[CommandIdHeader] = execution.CommandId;
        try
        {
            TResponse? answer = JsonSerializer.Deserialize(execution.Result.Payload ?? [], response);
            if (answer is not null)
            {
                return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(answer, response), "application/json");
            }
        }
        catch (JsonException ex)
        {
            // The gateway validated the answer against the response schema; this is the defence behind it.
            return ApiProblem.Create(StatusCodes.Status502BadGateway, ProblemCodes.ChargerInvalidResponse, "The charger's answer is invalid", ex.Message);
        }

        return ApiProblem.Create(StatusCodes.Status502BadGateway, ProblemCodes.ChargerInvalidResponse, "The charger's answer is invalid", "The answer is null.");
    }

    private static string VersionName(OcppVersion version) => version switch
    {
        OcppVersion.Ocpp16 => "1.6",
        OcppVersion.Ocpp201 => "2.0.1",
        _ => "2.1",
    };
}

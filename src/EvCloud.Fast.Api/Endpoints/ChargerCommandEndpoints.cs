using System.Text.Json;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// The version-neutral commands applications use daily. Each builds the OCPP message for the charger's version
/// (<see cref="ChargerCommands"/>), so the same call works on 1.6 and 2.x chargers; the answer carries the charger's
/// raw reply and a version-neutral reading of it. All take <c>queue=true</c> (and <c>ttlSeconds</c>) like the generic endpoint.
/// </summary>
internal static class ChargerCommandEndpoints
{
    private delegate OcppCommand Build(OcppVersion version);

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder charger = api.MapGroup("/chargers/{chargerId}").WithTags("Commands").RequireAuthorization(ApiPolicies.Operate);
        Describe(charger.MapPost("/start", (HttpContext c, string chargerId, StartChargingRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "start", queue, ttlSeconds, d, v => ChargerCommands.StartCharging(v, body, Random.Shared.Next(1, ChargerCommands.DefaultChargingLimitProfileId)))),
            "StartCharging", "Start charging for a token (1.6 RemoteStartTransaction, 2.x RequestStartTransaction)");
        Describe(charger.MapPost("/stop", StopAsync),
            "StopCharging", "Stop a transaction (1.6 RemoteStopTransaction, 2.x RequestStopTransaction)");
        Describe(charger.MapPost("/reset", (HttpContext c, string chargerId, ResetRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "reset", queue, ttlSeconds, d, v => ChargerCommands.Reset(v, body))),
            "ResetCharger", "Reset: Soft (2.x OnIdle) or Hard (2.x Immediate)");
        Describe(charger.MapPost("/unlock", (HttpContext c, string chargerId, UnlockConnectorRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "unlock", queue, ttlSeconds, d, v => ChargerCommands.UnlockConnector(v, body))),
            "UnlockConnector", "Unlock a connector");
        Describe(charger.MapPost("/availability", (HttpContext c, string chargerId, SetAvailabilityRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "availability", queue, ttlSeconds, d, v => ChargerCommands.SetAvailability(v, body))),
            "SetAvailability", "Make the charger or one connector/EVSE operative or inoperative (ChangeAvailability)");
        Describe(charger.MapGet("/configuration", (HttpContext c, string chargerId, string? keys, CommandDependencies d) =>
                RunAsync(c, chargerId, "get-configuration", false, null, d, v => ChargerCommands.GetConfiguration(v, new GetConfigurationRequest { Keys = Split(keys) }))),
            "GetConfiguration", "Read configuration: 1.6 GetConfiguration keys, 2.x GetVariables with keys written Component.Variable[.Instance]");
        Describe(charger.MapPut("/configuration", ChangeConfigurationAsync),
            "ChangeConfiguration", "Write configuration: 1.6 ChangeConfiguration (one call per key), 2.x SetVariables");
        Describe(charger.MapPut("/charging-limit", (HttpContext c, string chargerId, SetChargingLimitRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "set-charging-limit", queue, ttlSeconds, d, v => ChargerCommands.SetChargingLimit(v, body, DateTimeOffset.UtcNow))),
            "SetChargingLimit", "Limit charging power or current from now on (a TxDefaultProfile SetChargingProfile)");
        Describe(charger.MapDelete("/charging-limit", (HttpContext c, string chargerId, int? profileId, int? connectorId, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "clear-charging-limit", queue, ttlSeconds, d, v => ChargerCommands.ClearChargingLimit(v, new ClearChargingLimitRequest { ProfileId = profileId, ConnectorId = connectorId }))),
            "ClearChargingLimit", "Remove charging limits (ClearChargingProfile)");
        Describe(charger.MapPost("/trigger", (HttpContext c, string chargerId, TriggerMessageRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "trigger", queue, ttlSeconds, d, v => ChargerCommands.TriggerMessage(v, body))),
            "TriggerMessage", "Ask the charger to send a message now (StatusNotification, MeterValues, Heartbeat, BootNotification…)");
        Describe(charger.MapPost("/reservations", (HttpContext c, string chargerId, ReserveNowRequest body, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "reserve", queue, ttlSeconds, d, v => ChargerCommands.ReserveNow(v, body))),
            "ReserveNow", "Reserve a connector/EVSE (or any) for a token until expiresAt");
        Describe(charger.MapDelete("/reservations/{reservationId:int}", (HttpContext c, string chargerId, int reservationId, bool? queue, int? ttlSeconds, CommandDependencies d) =>
                RunAsync(c, chargerId, "cancel-reservation", queue, ttlSeconds, d, v => ChargerCommands.CancelReservation(v, new CancelReservationRequest { ReservationId = reservationId }))),
            "CancelReservation", "Cancel a reservation");
    }

    private static void Describe(RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint.WithName(name)
            .WithSummary(summary)
            .Produces<CommandResponse>()
            .Produces<QueuedCommandView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    private static async Task<IResult> RunAsync(HttpContext context, string chargerId, string operation, bool? queue, int? ttlSeconds, CommandDependencies d, Build build)
    {
        OcppVersion? version = d.Commands.VersionOf(chargerId);
        if (version is null)
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        OcppCommand command;
        try
        {
            command = build(version.Value);
        }
        catch (CommandRequestException error)
        {
            return ApiProblem.Validation(error.Field, error.Message);
        }

        return await CommandEndpoints.ExecuteAsync(
            context, chargerId, command.Action, command.PayloadJson, operation, queue ?? false, ttlSeconds, d.Commands, d.Outbox, d.Options,
            execution => Typed(version.Value, execution)).ConfigureAwait(false);
    }

    /// <summary>The answer with its version-neutral reading next to the raw reply.</summary>
    private static CommandResponse Typed(OcppVersion version, CommandExecution execution)
    {
        byte[] payload = execution.Result.Payload ?? "{}"u8.ToArray();
        CommandAnswer answer = ChargerCommands.ReadAnswer(version, execution.Action, payload);
        using JsonDocument document = JsonDocument.Parse(payload);
        return new CommandResponse(execution.CommandId, execution.ChargerId, execution.Action, answer.Status, answer.Accepted, document.RootElement.Clone(), answer);
    }

    private static async Task<IResult> StopAsync(HttpContext context, string chargerId, StopChargingBody? body, bool? queue, int? ttlSeconds, CommandDependencies d)
    {
        OcppVersion? version = d.Commands.VersionOf(chargerId);
        if (version is null)
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        IReadOnlyList<TransactionSnapshot> open = d.Storage.State.GetCharger(chargerId)?.OpenTransactions ?? [];
        TransactionSnapshot? transaction = body switch
        {
            { TransactionId: { } id } => d.Storage.State.GetTransaction(id) is { } t && t.ChargerId == chargerId ? t : null,
            { ConnectorId: { } connector } => open.FirstOrDefault(t => t.ConnectorId == connector),
            _ => open.Count == 1 ? open[0] : null,
        };
        if (transaction is null || transaction.Status != TransactionStatus.Open)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "No such open transaction",
                body?.TransactionId is null && body?.ConnectorId is null && open.Count > 1
                    ? "The charger has several open transactions; name one with transactionId or connectorId."
                    : "Charger '" + chargerId + "' has no open transaction matching the request.");
        }

        string chargerTransactionId = version == OcppVersion.Ocpp16
            ? transaction.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : transaction.ExternalId ?? transaction.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await RunAsync(context, chargerId, "stop", queue, ttlSeconds, d,
            v => ChargerCommands.StopCharging(v, new StopChargingRequest { TransactionId = chargerTransactionId })).ConfigureAwait(false);
    }

    /// <summary>1.6 needs one ChangeConfiguration per key: they are sent in order and their answers merged.</summary>
    private static async Task<IResult> ChangeConfigurationAsync(HttpContext context, string chargerId, ChangeConfigurationRequest body, bool? queue, int? ttlSeconds, CommandDependencies d)
    {
        OcppVersion? version = d.Commands.VersionOf(chargerId);
        if (version is null)
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        IReadOnlyList<OcppCommand> commands;
        try
        {
            commands = ChargerCommands.ChangeConfiguration(version.Value, body);
        }
        catch (CommandRequestException error)
        {
            return ApiProblem.Validation(error.Field, error.Message);
        }

        if (commands.Count == 1 || queue == true)
        {
            // NOTE: queued 1.6 changes go out as one outbox entry per key, in order; the response names the first.
            IResult? first = null;
            foreach (OcppCommand command in commands)
            {
                IResult result = await CommandEndpoints.ExecuteAsync(
                    context, chargerId, command.Action, command.PayloadJson, "change-configuration", queue ?? false, ttlSeconds, d.Commands, d.Outbox, d.Options,
                    execution => Typed(version.Value, execution)).ConfigureAwait(false);
                first ??= result;
            }

            return first!;
        }

        if (!d.Commands.IsOnline(chargerId))
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.ChargerOffline, "Charger offline",
                "Charger '" + chargerId + "' is not connected. Add queue=true to deliver the change when it reconnects.");
        }

        string source = context.User.Identity?.Name ?? "api";
        var results = new List<OcppCallResult>(commands.Count);
        CommandExecution? last = null;
        foreach (OcppCommand command in commands)
        {
            last = await d.Commands.SendAsync(chargerId, command.Action, command.PayloadJson, source, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            results.Add(last.Result);
        }

        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(version.Value, body, results);
        return TypedResults.Ok(new CommandResponse(last!.CommandId, chargerId, last.Action, answer.Status, answer.Accepted, null, answer));
    }

    private static string[]? Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>What every command endpoint needs, bound from services in one parameter.</summary>
internal sealed class CommandDependencies(CommandService commands, CommandOutbox outbox, ApiOptions options, StorageEngine storage)
{
    public CommandService Commands { get; } = commands;

    public CommandOutbox Outbox { get; } = outbox;

    public ApiOptions Options { get; } = options;

    public StorageEngine Storage { get; } = storage;
}

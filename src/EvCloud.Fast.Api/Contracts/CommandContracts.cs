using System.Text.Json;
using EvCloud.Fast.Commands;

namespace EvCloud.Fast.Api.Contracts;

/// <summary>The charger's answer to a command sent at once.</summary>
/// <param name="CommandId">Id of the command in the event stream (<c>command.completed</c>).</param>
/// <param name="Action">The OCPP action that was sent (it depends on the charger's version).</param>
/// <param name="Status">The answer's status field as the charger sent it (Accepted, Rejected, Scheduled, Unlocked…), when it has one.</param>
/// <param name="Accepted">Whether the charger agreed to do it.</param>
/// <param name="Response">The charger's answer, as sent.</param>
/// <param name="Answer">The answer in version-neutral form (typed endpoints only): status info, started transaction id, configuration values…</param>
public sealed record CommandResponse(string CommandId, string ChargerId, string Action, string? Status, bool? Accepted, JsonElement? Response, CommandAnswer? Answer = null);

/// <summary>Body of <c>POST /chargers/{id}/stop</c>: which transaction to stop.</summary>
/// <param name="TransactionId">The server's transaction id (as in <c>/transactions</c>); for a 2.x charger its own id is resolved.</param>
/// <param name="ConnectorId">Alternatively: stop the open transaction on this connector/EVSE. With neither, the charger's only open transaction.</param>
public sealed record StopChargingBody(int? TransactionId, int? ConnectorId);

/// <summary>A command in a charger's durable outbox.</summary>
/// <param name="State">Queued, Sending, Completed, Failed, Expired, Interrupted or Cancelled.</param>
/// <param name="Operation">The version-neutral operation that built it (start, reset…); absent for a raw OCPP action.</param>
/// <param name="Outcome">How it ended: Completed, CallError, InvalidResponse, Timeout, Offline, Expired, Interrupted, Cancelled.</param>
/// <param name="Response">The charger's answer, once it came.</param>
/// <param name="Source">The name of the API key that queued it.</param>
public sealed record QueuedCommandView(
    string CommandId,
    string ChargerId,
    string Action,
    string State,
    string? Operation,
    JsonElement Request,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    DateTimeOffset? Sent,
    DateTimeOffset? Finished,
    string? Outcome,
    JsonElement? Response,
    string? OcppErrorCode,
    string? ErrorDescription,
    string Source);

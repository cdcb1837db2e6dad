using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Commands;

/// <summary>What sending one command to a charger produced.</summary>
/// <param name="CommandId">Id of the command in the audit trail and the event stream.</param>
/// <param name="ChargerId">The charger it was sent to.</param>
/// <param name="Action">The OCPP action sent.</param>
/// <param name="Result">The gateway's outcome: the charger's answer, a CALLERROR, a timeout…</param>
public sealed record CommandExecution(string CommandId, string ChargerId, string Action, OcppCallResult Result);

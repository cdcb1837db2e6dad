
namespace EvCloud.Fast.Commands;

/// <summary>
/// One CALL ready for <c>OcppGateway.CallAsync(chargePointId, Action, PayloadJson)</c>: the OCPP action name of the
/// charger's version and the UTF-8 JSON payload, already shaped to that version's official request schema.
/// </summary>
/// <param name="Action">The OCPP action, e.g. <c>RemoteStartTransaction</c> (1.6) or <c>RequestStartTransaction</c> (2.x).</param>
/// <param name="PayloadJson">The CALL payload as UTF-8 JSON, without the OCPP-J envelope.</param>
public sealed record OcppCommand(string Action, byte[] PayloadJson);

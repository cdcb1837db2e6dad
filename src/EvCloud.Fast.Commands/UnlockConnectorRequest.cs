
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "unlock connector": releases a cable stuck in a socket. OCPP 1.6 §5.18 UnlockConnector (<c>connectorId</c>);
/// 2.0.1 / 2.1 use case F05 UnlockConnector (<c>evseId</c> and <c>connectorId</c>, the connector numbered within its EVSE).
/// </summary>
public sealed record UnlockConnectorRequest
{
    /// <summary>
    /// 1.6: the charge point's <c>connectorId</c> (greater than 0). 2.x with <see cref="EvseId"/>: the connector within
    /// that EVSE. 2.x without <see cref="EvseId"/>: taken as the EVSE id, with connector 1 — most stations have one
    /// connector per EVSE, which makes a 1.6 connector number and a 2.x EVSE id the same thing.
    /// </summary>
    public int? ConnectorId { get; init; }

    /// <summary>2.x only: the EVSE holding <see cref="ConnectorId"/>.</summary>
    public int? EvseId { get; init; }
}

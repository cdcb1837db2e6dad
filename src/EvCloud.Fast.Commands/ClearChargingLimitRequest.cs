
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "clear charging limit". OCPP 1.6 §5.5 ClearChargingProfile; 2.0.1 / 2.1 use case K10 ClearChargingProfile.
/// </summary>
/// <remarks>
/// With <see cref="ProfileId"/> exactly that profile is removed (1.6 <c>id</c>, 2.x <c>chargingProfileId</c>).
/// Without it every <c>TxDefaultProfile</c> is removed — the purpose <see cref="SetChargingLimitRequest"/> writes —
/// on <see cref="ConnectorId"/> if given (1.6 <c>connectorId</c>, 2.x <c>chargingProfileCriteria.evseId</c>), else on
/// every connector. Both together are refused: the charger ignores the other criteria when an id is given (1.6 §5.5).
/// </remarks>
public sealed record ClearChargingLimitRequest
{
    /// <summary>The profile to remove.</summary>
    public int? ProfileId { get; init; }

    /// <summary>Only remove default limits on this connector (0 = the charger-wide ones).</summary>
    public int? ConnectorId { get; init; }
}

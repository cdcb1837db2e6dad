
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "reserve now": hold a connector for one driver until <see cref="ExpiresAt"/>. OCPP 1.6 §5.13 ReserveNow;
/// 2.0.1 / 2.1 use case H01 ReserveNow.
/// </summary>
public sealed record ReserveNowRequest
{
    /// <summary>
    /// 1.6 <c>connectorId</c>, 2.x <c>evseId</c>. Absent or 0 reserves any connector: 1.6 sends <c>connectorId</c> 0
    /// (honoured only when the charger's <c>ReserveConnectorZeroSupported</c> is true), 2.x omits <c>evseId</c>.
    /// </summary>
    public int? ConnectorId { get; init; }

    /// <summary>1.6 <c>idTag</c>, 2.x <c>idToken.idToken</c>. Required.</summary>
    public string? IdTag { get; init; }

    /// <summary>2.x <c>idToken.type</c> and <c>groupIdToken.type</c>; as in <see cref="StartChargingRequest.IdTokenType"/>.</summary>
    public string? IdTokenType { get; init; }

    /// <summary>1.6 <c>expiryDate</c>, 2.x <c>expiryDateTime</c>; sent as UTC. Required.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>1.6 <c>reservationId</c>, 2.x <c>id</c>; at least 0. Required.</summary>
    public int? ReservationId { get; init; }

    /// <summary>1.6 <c>parentIdTag</c>, 2.x <c>groupIdToken.idToken</c>: any token of this group may use the reservation.</summary>
    public string? ParentIdTag { get; init; }
}


namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "set availability": take a connector or the whole charger in or out of service. OCPP 1.6 §5.2
/// ChangeAvailability (<c>connectorId</c>, <c>type</c>); 2.0.1 / 2.1 use cases G03/G04 ChangeAvailability
/// (<c>operationalStatus</c>, <c>evse</c>).
/// </summary>
public sealed record SetAvailabilityRequest
{
    /// <summary>1.6 <c>connectorId</c>, 2.x <c>evse.id</c>; absent or 0 means the whole charger.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>True for <c>Operative</c>, false for <c>Inoperative</c>. Required.</summary>
    public bool? Operative { get; init; }
}

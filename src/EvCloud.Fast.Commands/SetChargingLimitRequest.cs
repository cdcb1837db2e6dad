
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "set charging limit": a standing cap that applies to every transaction from now on, sent as a
/// <c>TxDefaultProfile</c>. OCPP 1.6 §5.16 SetChargingProfile; 2.0.1 / 2.1 use case K01 SetChargingProfile.
/// </summary>
public sealed record SetChargingLimitRequest
{
    /// <summary>1.6 <c>connectorId</c>, 2.x <c>evseId</c>; absent or 0 caps every connector of the charger.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>The cap in <see cref="Unit"/>, at least 0. 1.6 limits are multiples of 0.1, so 1.6 rounds down to one decimal.</summary>
    public decimal? Limit { get; init; }

    /// <summary><c>chargingRateUnit</c>: <c>A</c> or <c>W</c>. Required.</summary>
    public string? Unit { get; init; }

    /// <summary>
    /// <c>chargingProfileId</c> (1.6) / <c>id</c> (2.x). Defaults to <see cref="ChargerCommands.DefaultChargingLimitProfileId"/>,
    /// so that setting a limit again replaces the previous one instead of stacking a second profile.
    /// </summary>
    public int? ProfileId { get; init; }

    /// <summary><c>stackLevel</c>, at least 0; defaults to 0. Higher levels override lower ones of the same purpose.</summary>
    public int? StackLevel { get; init; }
}


namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "start charging": asks the charger to start a transaction for <see cref="IdTag"/> as if the driver had
/// presented it. OCPP 1.6 §5.11 RemoteStartTransaction; 2.0.1 / 2.1 use case F01 RequestStartTransaction.
/// </summary>
public sealed record StartChargingRequest
{
    /// <summary>
    /// The token to start for: 1.6 <c>idTag</c> (at most 20 characters), 2.x <c>idToken.idToken</c> (36 in 2.0.1,
    /// 255 in 2.1). Required.
    /// </summary>
    public string? IdTag { get; init; }

    /// <summary>
    /// The connector to start on: 1.6 <c>connectorId</c>, 2.x <c>evseId</c> (2.x starts on an EVSE and lets the
    /// station pick its connector). Absent lets the charger choose; must be greater than 0 when present.
    /// </summary>
    public int? ConnectorId { get; init; }

    /// <summary>
    /// 2.x <c>idToken.type</c> (<c>IdTokenEnumType</c> in 2.0.1: Central, eMAID, ISO14443, ISO15693, KeyCode, Local,
    /// MacAddress, NoAuthorization; any string up to 20 characters in 2.1). Defaults to <c>Central</c>. A 1.6
    /// <c>idTag</c> has no type, so a 1.6 charger is sent the tag alone.
    /// </summary>
    public string? IdTokenType { get; init; }

    /// <summary>An optional power or current cap for this transaction only, sent as a <c>TxProfile</c>.</summary>
    public ChargingLimit? ChargingLimit { get; init; }
}

/// <summary>A constant charging rate cap: one <c>chargingSchedulePeriod</c> with <c>startPeriod</c> 0.</summary>
public sealed record ChargingLimit
{
    /// <summary>The cap in <see cref="Unit"/>, at least 0. 1.6 limits are multiples of 0.1, so 1.6 rounds down to one decimal.</summary>
    public decimal? Limit { get; init; }

    /// <summary><c>chargingRateUnit</c>: <c>A</c> (per phase) or <c>W</c> (total).</summary>
    public string? Unit { get; init; }
}


namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "trigger message": asks the charger to send one of its own messages now. OCPP 1.6 §5.17 TriggerMessage, the
/// 1.6 security extension's ExtendedTriggerMessage, and 2.0.1 / 2.1 use case F06 TriggerMessage.
/// </summary>
/// <remarks>
/// <see cref="Message"/> names the message to trigger. Names are mapped across versions where the same message was
/// renamed: <c>DiagnosticsStatusNotification</c> is 2.x <c>LogStatusNotification</c>, and
/// <c>SignChargePointCertificate</c> (1.6 security extension) is 2.x <c>SignChargingStationCertificate</c>. On 1.6,
/// <c>LogStatusNotification</c> and <c>SignChargePointCertificate</c> exist only in ExtendedTriggerMessage and are sent
/// that way; everything else uses the core TriggerMessage. <c>TransactionEvent</c>, <c>SignV2GCertificate</c>,
/// <c>SignCombinedCertificate</c>, <c>PublishFirmwareStatusNotification</c> are 2.x only, <c>SignV2G20Certificate</c>
/// is 2.1 only.
/// </remarks>
public sealed record TriggerMessageRequest
{
    /// <summary>The message to trigger (<c>requestedMessage</c>). Required.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// 1.6 <c>connectorId</c> (greater than 0). 2.x with <see cref="EvseId"/>: <c>evse.connectorId</c>; 2.x without
    /// it: <c>evse.id</c>, as with <see cref="UnlockConnectorRequest"/>. Absent means the whole charger.
    /// </summary>
    public int? ConnectorId { get; init; }

    /// <summary>2.x only: <c>evse.id</c>.</summary>
    public int? EvseId { get; init; }
}

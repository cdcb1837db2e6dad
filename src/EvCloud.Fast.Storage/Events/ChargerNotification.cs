namespace EvCloud.Fast.Storage.Events;

/// <summary>A rare message recorded as received (FirmwareStatusNotification, SecurityEventNotification, DataTransfer …).</summary>
public sealed record ChargerNotification(long TimestampMs, string ChargerId, string? Action, string? RawPayloadJson)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.ChargerNotification;
}

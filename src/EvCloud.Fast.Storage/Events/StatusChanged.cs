namespace EvCloud.Fast.Storage.Events;

/// <summary>StatusNotification; Status and ErrorCode are the gateway's enum bytes.</summary>
public sealed record StatusChanged(long TimestampMs, string ChargerId, int ConnectorId, byte Status, byte ErrorCode, string? Info, string? VendorId, string? VendorErrorCode, long StatusTimestampMs)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.StatusChanged;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>The socket closed; CloseCode is the RFC 6455 code, 1006 for a drop.</summary>
public sealed record ChargerDisconnected(long TimestampMs, string ChargerId, int CloseCode)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.ChargerDisconnected;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>The WebSocket upgrade succeeded.</summary>
public sealed record ChargerConnected(long TimestampMs, string ChargerId, byte Protocol, string? RemoteEndpoint)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.ChargerConnected;
}

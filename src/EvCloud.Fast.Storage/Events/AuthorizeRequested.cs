namespace EvCloud.Fast.Storage.Events;

/// <summary>Authorize and the answer the gateway gave.</summary>
public sealed record AuthorizeRequested(long TimestampMs, string ChargerId, string? IdTag, byte ResultStatus)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.AuthorizeRequested;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>A document removed from a collection of the document store; <see cref="DomainEvent.ChargerId"/> holds the collection name.</summary>
public sealed record DocumentDeleted(long TimestampMs, string Collection, string Key)
    : DomainEvent(TimestampMs, Collection)
{
    public override DomainEventKind Kind => DomainEventKind.DocumentDeleted;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>A document written to a collection of the document store; <see cref="DomainEvent.ChargerId"/> holds the collection name.</summary>
public sealed record DocumentPut(long TimestampMs, string Collection, string Key, byte[] Value)
    : DomainEvent(TimestampMs, Collection)
{
    public override DomainEventKind Kind => DomainEventKind.DocumentPut;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// A decoded event from the log, for consumers off the hot path (CDR pipeline, event stream, API).
/// Optional text fields are <c>null</c> when the charger did not send them.
/// </summary>
public abstract record DomainEvent(long TimestampMs, string ChargerId)
{
    public abstract DomainEventKind Kind { get; }
}

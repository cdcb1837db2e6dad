namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// A command to a charger ended: answered (Completed), refused by the charger (CallError), unusable answer
/// (InvalidResponse), Timeout, Offline, or, for queued commands, Expired / Interrupted. Payloads are UTF-8 JSON text.
/// </summary>
public sealed record CommandCompleted(
    long TimestampMs,
    string ChargerId,
    string CommandId,
    string Action,
    string Outcome,
    string? RequestJson,
    string? ResponseJson,
    string? ErrorCode,
    string? ErrorDescription,
    string? Source)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.CommandCompleted;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// A Charge Detail Record was stored for a transaction (or a correction: credit = true). Amounts are invariant decimal strings.
/// </summary>
public sealed record CdrRecorded(
    long TimestampMs,
    string ChargerId,
    string CdrId,
    int TransactionId,
    string Currency,
    string TotalExclVat,
    string? TotalInclVat,
    string TotalEnergyKwh,
    bool Credit)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.CdrRecorded;
}

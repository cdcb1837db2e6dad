namespace EvCloud.Fast.Storage.Events;

/// <summary>StopTransaction (1.6) or TransactionEvent Ended (2.x); energy in mWh.</summary>
public sealed record TransactionEnded(long TimestampMs, string ChargerId, int TransactionId, long MeterStopMilliWh, long StopTimestampMs, string? Reason, string? IdTag, string? RawTransactionDataJson, int SeqNo = -1)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.TransactionEnded;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>StartTransaction (1.6) or TransactionEvent Started (2.x). ReservationId is -1 when none; energy in mWh.</summary>
public sealed record TransactionStarted(long TimestampMs, string ChargerId, int TransactionId, int ConnectorId, string? IdTag, long MeterStartMilliWh, long StartTimestampMs, int ReservationId, byte AuthStatus, string? ExternalTransactionId = null, int SeqNo = -1)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.TransactionStarted;
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>MeterValues. TransactionId -1 outside a transaction; EnergyRegisterMilliWh -1 when the sample had no Energy.Active.Import.Register.</summary>
public sealed record MeterSampled(long TimestampMs, string ChargerId, int TransactionId, int ConnectorId, long SampleTimestampMs, long EnergyRegisterMilliWh, string? RawMeterValueJson, int SeqNo = -1)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.MeterSampled;
}

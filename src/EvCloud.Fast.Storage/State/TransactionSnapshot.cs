namespace EvCloud.Fast.Storage.State;

/// <summary>A transaction for the API and tests; energy in mWh, times in Unix ms.</summary>
public sealed record TransactionSnapshot(
    int TransactionId,
    string ChargerId,
    int ConnectorId,
    TransactionStatus Status,
    string? IdTag,
    long MeterStartMilliWh,
    long StartMs,
    long LastEnergyMilliWh,
    long LastMeterMs,
    int ReservationId,
    byte AuthStatus,
    long MeterStopMilliWh,
    long StopMs,
    string? StopReason,
    string? ExternalId = null)
{
    /// <summary>Energy delivered so far (open) or in all (ended), by the rule the CDR uses (<see cref="TransactionEnergy"/>).</summary>
    public long EnergyMilliWh => TransactionEnergy.Delivered(MeterStartMilliWh, Math.Max(LastEnergyMilliWh, MeterStartMilliWh));
}

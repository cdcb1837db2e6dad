namespace EvCloud.Fast.Storage.State;

/// <summary>
/// FASTER value of a transaction, 192 bytes, blittable. The id tag holds 36 bytes (OCPP 2.x
/// idToken is up to 36 characters, 1.6 idTag 20); the stop reason 32 bytes (the longest 2.0.1
/// reason, "ReqEnergyTransferRejected", is 25).
/// </summary>
internal struct TransactionRecord
{
    /// <summary>Log address of the last event applied; replay skips events at or below it.</summary>
    public long LastEventAddress;
    public long MeterStartMilliWh;
    public long StartMs;
    public long LastEnergyMilliWh;
    public long LastMeterMs;
    public long MeterStopMilliWh;
    public long StopMs;
    public int TransactionId;
    public int ConnectorId;
    public int ReservationId;
    public TransactionStatus Status;
    public byte AuthStatus;
    public byte IdTagLength;
    public byte StopReasonLength;
    public ChargerKey Charger;
    public Utf8Buffer36 IdTag;
    public Utf8Buffer32 StopReason;
}

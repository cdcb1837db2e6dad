namespace EvCloud.Fast.Storage.State;

public sealed record ConnectorSnapshot(
    int ConnectorId,
    byte Status,
    byte ErrorCode,
    string? Info,
    string? VendorId,
    string? VendorErrorCode,
    long StatusTimestampMs,
    int OpenTransactionId,
    long LastEnergyMilliWh,
    long LastMeterMs);

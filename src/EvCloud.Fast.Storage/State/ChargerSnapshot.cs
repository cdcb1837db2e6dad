namespace EvCloud.Fast.Storage.State;

/// <summary>A charger with its connectors and open transactions, for the API and tests.</summary>
public sealed record ChargerSnapshot(
    string ChargerId,
    byte Protocol,
    byte RegistrationStatus,
    bool Online,
    long LastSeenMs,
    long LastBootMs,
    int BootCount,
    int HeartbeatIntervalSeconds,
    string? Vendor,
    string? Model,
    string? SerialNumber,
    string? ChargeBoxSerialNumber,
    string? FirmwareVersion,
    string? Iccid,
    string? Imsi,
    string? MeterType,
    string? MeterSerialNumber,
    IReadOnlyList<ConnectorSnapshot> Connectors,
    IReadOnlyList<TransactionSnapshot> OpenTransactions);

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
    ChargerIdentity Identity,
    IReadOnlyList<ConnectorSnapshot> Connectors,
    IReadOnlyList<TransactionSnapshot> OpenTransactions);

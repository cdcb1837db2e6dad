namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// The first element of every encoded event. Values are persisted in the log: never renumber.
/// </summary>
public enum DomainEventKind : byte
{
    ChargerBooted = 1,
    ChargerConnected = 2,
    ChargerDisconnected = 3,
    StatusChanged = 4,
    AuthorizeRequested = 5,
    TransactionStarted = 6,
    MeterSampled = 7,
    TransactionEnded = 8,
    ChargerNotification = 9,
    DocumentPut = 10,
    DocumentDeleted = 11,
    CommandCompleted = 12,
    CdrRecorded = 13,
}

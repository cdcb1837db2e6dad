namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// Wire layout of an encoded event: a MessagePack array
/// <c>[kind, formatVersion, timestampMs, chargerId, ...fields]</c>. The array lengths below count
/// all elements, header included, so a reader can reject a truncated or foreign entry up front.
/// </summary>
internal static class EventFormat
{
    /// <summary>Bumped when a field is added or changes meaning; readers accept every older version.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>kind, formatVersion, timestampMs, chargerId.</summary>
    public const int HeaderLength = 4;

    public const int ChargerBootedLength = HeaderLength + 11;
    public const int ChargerConnectedLength = HeaderLength + 2;
    public const int ChargerDisconnectedLength = HeaderLength + 1;
    public const int StatusChangedLength = HeaderLength + 7;
    public const int AuthorizeRequestedLength = HeaderLength + 2;
    public const int TransactionStartedLength = HeaderLength + 7;
    public const int MeterSampledLength = HeaderLength + 5;
    public const int TransactionEndedLength = HeaderLength + 6;

    // Trailing fields added for OCPP 2.x; older entries without them still decode (counts are minimums).
    public const int TransactionStartedExtendedLength = TransactionStartedLength + 2; // externalTransactionId, seqNo
    public const int MeterSampledExtendedLength = MeterSampledLength + 1; // seqNo
    public const int TransactionEndedExtendedLength = TransactionEndedLength + 1; // seqNo
    public const int ChargerNotificationLength = HeaderLength + 2;

    // Documents carry their collection name in the header's subject slot (see EventWriter.WriteDocumentPut).
    public const int DocumentPutLength = HeaderLength + 2; // key, value
    public const int DocumentDeletedLength = HeaderLength + 1; // key
    public const int CommandCompletedLength = HeaderLength + 8;
    public const int CdrRecordedLength = HeaderLength + 7; // cdrId, transactionId, currency, totalExclVat, totalInclVat, totalEnergyKwh, credit // commandId, action, outcome, requestJson, responseJson, errorCode, errorDescription, source

    public static int LengthOf(DomainEventKind kind) => kind switch
    {
        DomainEventKind.ChargerBooted => ChargerBootedLength,
        DomainEventKind.ChargerConnected => ChargerConnectedLength,
        DomainEventKind.ChargerDisconnected => ChargerDisconnectedLength,
        DomainEventKind.StatusChanged => StatusChangedLength,
        DomainEventKind.AuthorizeRequested => AuthorizeRequestedLength,
        DomainEventKind.TransactionStarted => TransactionStartedLength,
        DomainEventKind.MeterSampled => MeterSampledLength,
        DomainEventKind.TransactionEnded => TransactionEndedLength,
        DomainEventKind.ChargerNotification => ChargerNotificationLength,
        DomainEventKind.DocumentPut => DocumentPutLength,
        DomainEventKind.DocumentDeleted => DocumentDeletedLength,
        DomainEventKind.CommandCompleted => CommandCompletedLength,
        DomainEventKind.CdrRecorded => CdrRecordedLength,
        _ => -1,
    };
}

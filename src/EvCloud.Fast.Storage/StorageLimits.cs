namespace EvCloud.Fast.Storage;

/// <summary>
/// Size limits shared by the event encoder and the state store, so an event that reaches the log
/// can always be applied to the state.
/// </summary>
public static class StorageLimits
{
    /// <summary>
    /// Longest charger id in UTF-8 bytes. OCPP 2.0.1 limits the charging station identity to 48
    /// characters and the gateway takes it from the URL path (ASCII in practice), so 48 bytes fit
    /// every compliant id and keep the FASTER key at 56 bytes.
    /// </summary>
    public const int MaxChargerIdBytes = 48;

    /// <summary>Longest OCPP 2.x transaction id (TransactionType.transactionId: identifierString, maxLength 36).</summary>
    public const int MaxExternalTransactionIdBytes = 36;
}

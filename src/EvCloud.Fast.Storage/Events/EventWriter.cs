using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MessagePack;

namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// Encodes domain events as MessagePack arrays <c>[kind, formatVersion, timestampMs, chargerId, ...fields]</c>
/// straight into an <see cref="IBufferWriter{T}"/>, without allocating: every text field arrives as
/// UTF-8 bytes and is written as a msgpack str, every number as an integer.
/// </summary>
/// <remarks>
/// Conventions shared by all methods:
/// <list type="bullet">
/// <item>Timestamps are UTC Unix epoch milliseconds.</item>
/// <item>Energy is in milli-watt-hours (Wh × 1000) as a <see cref="long"/>: exact, and a kWh meter
/// reporting 12.3456 kWh (12,345.6 Wh) still fits as 12,345,600 mWh; a long holds 9.2 × 10^12 kWh.</item>
/// <item>An optional text field passed as an empty span is absent and is written as nil.</item>
/// <item>Status, error-code and result fields are opaque bytes owned by the gateway's enum mapping.</item>
/// </list>
/// </remarks>
public static class EventWriter
{
    /// <summary>
    /// BootNotification: the identity's nine fields in a fixed order after protocol and registration status, each a
    /// msgpack str or nil (absent or empty). The text is encoded straight into <paramref name="output"/>: a boot is rare
    /// enough to carry strings, and writing them costs no UTF-8 copies.
    /// </summary>
    public static void WriteChargerBooted(
        IBufferWriter<byte> output,
        long timestampMs,
        ReadOnlySpan<byte> chargerId,
        byte protocol,
        byte registrationStatus,
        ChargerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.ChargerBooted, EventFormat.ChargerBootedLength, timestampMs, chargerId);
        writer.Write(protocol);
        writer.Write(registrationStatus);

        // NOTE: the order is the stored format; logs written by every earlier version read back through it.
        WriteOptional(ref writer, identity.Vendor);
        WriteOptional(ref writer, identity.Model);
        WriteOptional(ref writer, identity.SerialNumber);
        WriteOptional(ref writer, identity.ChargeBoxSerialNumber);
        WriteOptional(ref writer, identity.FirmwareVersion);
        WriteOptional(ref writer, identity.Iccid);
        WriteOptional(ref writer, identity.Imsi);
        WriteOptional(ref writer, identity.MeterType);
        WriteOptional(ref writer, identity.MeterSerialNumber);
        writer.Flush();
    }

    public static void WriteChargerConnected(
        IBufferWriter<byte> output, long timestampMs, ReadOnlySpan<byte> chargerId, byte protocol, ReadOnlySpan<byte> remoteEndpoint)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.ChargerConnected, EventFormat.ChargerConnectedLength, timestampMs, chargerId);
        writer.Write(protocol);
        WriteOptional(ref writer, remoteEndpoint);
        writer.Flush();
    }

    /// <param name="closeCode">WebSocket close code (RFC 6455 section 7.4), or 1006 when the socket just dropped.</param>
    public static void WriteChargerDisconnected(IBufferWriter<byte> output, long timestampMs, ReadOnlySpan<byte> chargerId, int closeCode)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.ChargerDisconnected, EventFormat.ChargerDisconnectedLength, timestampMs, chargerId);
        writer.Write(closeCode);
        writer.Flush();
    }

    public static void WriteStatusChanged(
        IBufferWriter<byte> output,
        long timestampMs,
        ReadOnlySpan<byte> chargerId,
        int connectorId,
        byte status,
        byte errorCode,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> vendorId,
        ReadOnlySpan<byte> vendorErrorCode,
        long statusTimestampMs)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.StatusChanged, EventFormat.StatusChangedLength, timestampMs, chargerId);
        writer.Write(connectorId);
        writer.Write(status);
        writer.Write(errorCode);
        WriteOptional(ref writer, info);
        WriteOptional(ref writer, vendorId);
        WriteOptional(ref writer, vendorErrorCode);
        writer.Write(statusTimestampMs);
        writer.Flush();
    }

    public static void WriteAuthorizeRequested(
        IBufferWriter<byte> output, long timestampMs, ReadOnlySpan<byte> chargerId, ReadOnlySpan<byte> idTag, byte resultStatus)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.AuthorizeRequested, EventFormat.AuthorizeRequestedLength, timestampMs, chargerId);
        WriteOptional(ref writer, idTag);
        writer.Write(resultStatus);
        writer.Flush();
    }

    /// <param name="reservationId">-1 when the start did not consume a reservation.</param>
    public static void WriteTransactionStarted(
        IBufferWriter<byte> output,
        long timestampMs,
        ReadOnlySpan<byte> chargerId,
        int transactionId,
        int connectorId,
        ReadOnlySpan<byte> idTag,
        long meterStartMilliWh,
        long startTimestampMs,
        int reservationId,
        byte authStatus,
        ReadOnlySpan<byte> externalTransactionId = default,
        int seqNo = -1)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.TransactionStarted, EventFormat.TransactionStartedExtendedLength, timestampMs, chargerId);
        writer.Write(transactionId);
        writer.Write(connectorId);
        WriteOptional(ref writer, idTag);
        writer.Write(meterStartMilliWh);
        writer.Write(startTimestampMs);
        writer.Write(reservationId);
        writer.Write(authStatus);
        WriteOptional(ref writer, externalTransactionId);
        writer.Write(seqNo);
        writer.Flush();
    }

    /// <param name="transactionId">-1 for a sample outside a transaction.</param>
    /// <param name="energyRegisterMilliWh">Energy.Active.Import.Register in mWh, or -1 when the message carried none.</param>
    /// <param name="rawMeterValueJson">The whole <c>meterValue</c> array as received, so no measurand, phase or unit is lost.</param>
    public static void WriteMeterSampled(
        IBufferWriter<byte> output,
        long timestampMs,
        ReadOnlySpan<byte> chargerId,
        int transactionId,
        int connectorId,
        long sampleTimestampMs,
        long energyRegisterMilliWh,
        ReadOnlySpan<byte> rawMeterValueJson,
        int seqNo = -1)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.MeterSampled, EventFormat.MeterSampledExtendedLength, timestampMs, chargerId);
        writer.Write(transactionId);
        writer.Write(connectorId);
        writer.Write(sampleTimestampMs);
        writer.Write(energyRegisterMilliWh);
        WriteOptional(ref writer, rawMeterValueJson);
        writer.Write(seqNo);
        writer.Flush();
    }

    public static void WriteTransactionEnded(
        IBufferWriter<byte> output,
        long timestampMs,
        ReadOnlySpan<byte> chargerId,
        int transactionId,
        long meterStopMilliWh,
        long stopTimestampMs,
        ReadOnlySpan<byte> reason,
        ReadOnlySpan<byte> idTag,
        ReadOnlySpan<byte> rawTransactionDataJson,
        int seqNo = -1)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.TransactionEnded, EventFormat.TransactionEndedExtendedLength, timestampMs, chargerId);
        writer.Write(transactionId);
        writer.Write(meterStopMilliWh);
        writer.Write(stopTimestampMs);
        WriteOptional(ref writer, reason);
        WriteOptional(ref writer, idTag);
        WriteOptional(ref writer, rawTransactionDataJson);
        writer.Write(seqNo);
        writer.Flush();
    }

    /// <summary>
    /// Records a rare message (FirmwareStatusNotification, SecurityEventNotification, DataTransfer …) as received.
    /// </summary>
    public static void WriteChargerNotification(
        IBufferWriter<byte> output, long timestampMs, ReadOnlySpan<byte> chargerId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> rawPayloadJson)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.ChargerNotification, EventFormat.ChargerNotificationLength, timestampMs, chargerId);
        WriteOptional(ref writer, action);
        WriteOptional(ref writer, rawPayloadJson);
        writer.Flush();
    }

    private static void WriteHeader(
        ref MessagePackWriter writer, DomainEventKind kind, int arrayLength, long timestampMs, ReadOnlySpan<byte> chargerId)
    {
        if (chargerId.IsEmpty || chargerId.Length > StorageLimits.MaxChargerIdBytes)
        {
            ThrowChargerIdLength(chargerId.Length);
        }

        writer.WriteArrayHeader(arrayLength);
        writer.Write((byte)kind);
        writer.Write(EventFormat.CurrentVersion);
        writer.Write(timestampMs);
        writer.WriteString(chargerId);
    }

    /// <summary>
    /// A document written to <paramref name="collection"/> (tokens, registrations, queued commands…): the
    /// whole value, so applying the last write of a key gives the current document. Off the hot path.
    /// </summary>
    /// <remarks>The header's subject slot holds the collection name, which must be a valid subject (1–48 bytes).</remarks>
    public static void WriteDocumentPut(IBufferWriter<byte> output, long timestampMs, string collection, string key, ReadOnlySpan<byte> value)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.DocumentPut, EventFormat.DocumentPutLength, timestampMs, System.Text.Encoding.UTF8.GetBytes(collection));
        writer.Write(key);
        writer.Write(value);
        writer.Flush();
    }

    /// <summary>A document removed from <paramref name="collection"/>.</summary>
    public static void WriteDocumentDeleted(IBufferWriter<byte> output, long timestampMs, string collection, string key)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.DocumentDeleted, EventFormat.DocumentDeletedLength, timestampMs, System.Text.Encoding.UTF8.GetBytes(collection));
        writer.Write(key);
        writer.Flush();
    }

    /// <summary>
    /// The end of a command sent to a charger (its answer, a CALLERROR, a timeout, an expiry in the outbox…),
    /// for the audit trail and the application event stream. Off the hot path.
    /// </summary>
    /// <param name="outcome">How the command ended, e.g. Completed, CallError, Timeout, Offline, Expired, Interrupted.</param>
    /// <param name="source">Who asked: an API key name, "outbox", "ocpi:&lt;party&gt;"….</param>
    public static void WriteCommandCompleted(
        IBufferWriter<byte> output,
        long timestampMs,
        string chargerId,
        string commandId,
        string action,
        string outcome,
        string? requestJson,
        string? responseJson,
        string? errorCode,
        string? errorDescription,
        string? source)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.CommandCompleted, EventFormat.CommandCompletedLength, timestampMs, System.Text.Encoding.UTF8.GetBytes(chargerId));
        writer.Write(commandId);
        writer.Write(action);
        writer.Write(outcome);
        writer.Write(requestJson);
        writer.Write(responseJson);
        writer.Write(errorCode);
        writer.Write(errorDescription);
        writer.Write(source);
        writer.Flush();
    }

    /// <summary>
    /// A Charge Detail Record was stored (the record itself is in the CDR store): the notification downstream
    /// consumers (event stream, roaming push) follow. Decimal figures travel as invariant strings, exactly.
    /// </summary>
    public static void WriteCdrRecorded(
        IBufferWriter<byte> output,
        long timestampMs,
        string chargerId,
        string cdrId,
        int transactionId,
        string currency,
        string totalExclVat,
        string? totalInclVat,
        string totalEnergyKwh,
        bool credit)
    {
        var writer = new MessagePackWriter(output);
        WriteHeader(ref writer, DomainEventKind.CdrRecorded, EventFormat.CdrRecordedLength, timestampMs, System.Text.Encoding.UTF8.GetBytes(chargerId));
        writer.Write(cdrId);
        writer.Write(transactionId);
        writer.Write(currency);
        writer.Write(totalExclVat);
        writer.Write(totalInclVat);
        writer.Write(totalEnergyKwh);
        writer.Write(credit);
        writer.Flush();
    }

    // An empty string is absent, as an empty span is: both are written as nil.
    private static void WriteOptional(ref MessagePackWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(text);
        }
    }

    private static void WriteOptional(ref MessagePackWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteString(utf8);
        }
    }

    [DoesNotReturn]
    private static void ThrowChargerIdLength(int length) =>
        throw new ArgumentException(
            $"A charger id must be 1..{StorageLimits.MaxChargerIdBytes} UTF-8 bytes, got {length}.", "chargerId");
}

using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp16;

internal sealed partial class Ocpp16Handler
{
    /// <summary>Energy in OCPP 1.6 meterStart/meterStop is integer Wh; state and events keep mWh.</summary>
    private const long MilliWhPerWh = 1000;

    /// <summary>
    /// Highest connectorId a charger that has announced no connector yet (no StatusNotification for a connector ≥ 1)
    /// may start a transaction on. A 1.6 charger reports every connector after its boot (§4.9), so this only matters
    /// for one that skipped that; it bounds what a charger can make the server track (connector listings walk
    /// 0..highest) without refusing a real multi-connector charger.
    /// </summary>
    internal const int MaxUnannouncedConnectorId = 64;

    /// <summary>Stop reason of a transaction ended by the server because a new one started on its connector.</summary>
    internal static ReadOnlySpan<byte> SupersededReasonUtf8 => "Superseded"u8;

    // OCPP 1.6 §6.46 StartTransaction.req: connectorId, idTag, meterStart, reservationId?, timestamp.
    private long StartTransaction(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        Span<byte> scratch = stackalloc byte[64];
        int connectorId = 0, reservationId = -1;
        long meterStartWh = 0, startMs = now;
        scoped ReadOnlySpan<byte> idTag = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("connectorId"u8)) { p.Read(); connectorId = ReadInt32(ref p, "connectorId"); }
            else if (p.ValueTextEquals("idTag"u8)) { p.Read(); idTag = JsonPayload.Utf8(in p, scratch); }
            else if (p.ValueTextEquals("meterStart"u8)) { p.Read(); meterStartWh = ReadInt32(ref p, "meterStart"); }
            else if (p.ValueTextEquals("reservationId"u8)) { p.Read(); reservationId = ReadInt32(ref p, "reservationId"); }
            else if (p.ValueTextEquals("timestamp"u8)) { p.Read(); JsonPayload.TryGetUnixMs(ref p, out startMs); }
            else { p.Read(); p.Skip(); }
        }

        ChargerStateStore state = Storage.State;

        // §7.7: connectorId > 0 for a transaction (0 is the charge point itself); at most the charger's highest
        // announced connector. Refused before anything is recorded, so a bad id changes nothing.
        int highest = HighestAnnouncedConnector(state, session.ChargerId);
        if (connectorId < 1 || connectorId > highest)
        {
            ThrowConnectorOutOfRange(connectorId, highest);
        }

        // Before anything changes: a token its owner decides online is answered once the owner has.
        Tokens.AwaitOwner(idTag, session.Connection.ChargePointId, session.Connection.MayDefer);
        long meterStart = meterStartWh * MilliWhPerWh;
        if (state.TryGetConnector(session.ChargerId, connectorId, out ConnectorState connector) && connector.OpenTransactionId > 0
            && state.TryGetTransaction(connector.OpenTransactionId, out TransactionState open) && open.Status == TransactionStatus.Open
            && open.BelongsTo(session.ChargerId))
        {
            if (open.StartMs == startMs && open.MeterStartMilliWh == meterStart && open.IdTagUtf8.SequenceEqual(idTag))
            {
                // A retransmitted StartTransaction (the charger missed our answer): same transaction, no new event. The
                // answer waits on the transaction's last event, so it is never sent before the original start is durable.
                WriteStartConfirmation(writer, Tokens.Authorize(idTag, now), open.TransactionId);
                return open.LastEventAddress;
            }

            // The charger started a new transaction on a connector whose previous one never stopped (its stop was
            // lost, e.g. in a reboot). The previous one is ended here, at its last reading, so it gets its CDR now
            // rather than stay open forever; a StopTransaction for it arriving later is absorbed like a
            // retransmission (its CDR is already made: billed up to the last reading received).
            ArrayBufferWriter<byte> ended = EventRecorder.Buffer();
            EventWriter.WriteTransactionEnded(ended, now, session.ChargerId, open.TransactionId, open.LastEnergyMilliWh,
                Math.Max(open.LastMeterMs, open.StartMs), SupersededReasonUtf8, default, default);
            Recorder.Record(ended);
            Tokens.TransactionClosed(open.IdTagUtf8);
        }

        AuthorizationResult auth = Tokens.Authorize(idTag, now, forNewTransaction: true, session.Connection.ChargePointId);
        int transactionId = state.ReserveTransactionId();
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteTransactionStarted(buffer, now, session.ChargerId, transactionId, connectorId, idTag, meterStart, startMs, reservationId, (byte)auth.Status);
        long address = Recorder.Record(buffer);
        Tokens.TransactionOpened(idTag);

        // 1.6 always returns a transactionId, whatever the idTagInfo: a charger configured with
        // StopTransactionOnInvalidId stops it itself and then reports the stop.
        WriteStartConfirmation(writer, auth, transactionId);
        return address;
    }

    /// <summary>
    /// The highest connector the charger reported in a StatusNotification (connectors a start created do not count),
    /// or <see cref="MaxUnannouncedConnectorId"/> when it reported none. Reads downward from the highest connector
    /// known, so it stops at the first: one read for a charger that reported its connectors.
    /// </summary>
    private static int HighestAnnouncedConnector(ChargerStateStore state, ReadOnlySpan<byte> chargerId)
    {
        if (state.TryGetCharger(chargerId, out ChargerState charger))
        {
            for (int id = charger.MaxConnectorId; id >= 1; id--)
            {
                if (state.TryGetConnector(chargerId, id, out ConnectorState connector) && connector.StatusTimestampMs > 0)
                {
                    return id;
                }
            }
        }

        return MaxUnannouncedConnectorId;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowConnectorOutOfRange(int connectorId, int highest) =>
        throw new OcppPayloadException(Rpc.OcppErrorCode.PropertyConstraintViolation,
            "connectorId " + connectorId.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is not a connector of this charge point (1.."
            + highest.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");

    private static void WriteStartConfirmation(Utf8JsonWriter writer, in AuthorizationResult auth, int transactionId)
    {
        writer.WriteStartObject();
        WriteIdTagInfo(writer, auth);
        writer.WriteNumber("transactionId"u8, transactionId);
        writer.WriteEndObject();
    }

    // OCPP 1.6 §6.50 StopTransaction.req: idTag?, meterStop, timestamp, transactionId, reason?, transactionData?.
    private long StopTransaction(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Span<byte> idScratch = stackalloc byte[64];
        Span<byte> reasonScratch = stackalloc byte[32];
        int transactionId = 0;
        long meterStopWh = 0, stopMs = now;
        scoped ReadOnlySpan<byte> idTag = default, reason = "Local"u8; // §7.41: absent reason means Local
        ReadOnlySequence<byte> transactionData = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("transactionId"u8)) { p.Read(); transactionId = ReadInt32(ref p, "transactionId"); }
            else if (p.ValueTextEquals("meterStop"u8)) { p.Read(); meterStopWh = ReadInt32(ref p, "meterStop"); }
            else if (p.ValueTextEquals("timestamp"u8)) { p.Read(); JsonPayload.TryGetUnixMs(ref p, out stopMs); }
            else if (p.ValueTextEquals("idTag"u8)) { p.Read(); idTag = JsonPayload.Utf8(in p, idScratch); }
            else if (p.ValueTextEquals("reason"u8)) { p.Read(); reason = JsonPayload.Utf8(in p, reasonScratch); }
            else if (p.ValueTextEquals("transactionData"u8)) { p.Read(); transactionData = JsonPayload.RawValue(ref p, message); }
            else { p.Read(); p.Skip(); }
        }

        ChargerStateStore state = Storage.State;
        bool known = state.TryGetTransaction(transactionId, out TransactionState tx);
        long address = 0;
        if (known && !tx.BelongsTo(session.ChargerId))
        {
            // Another charger's transaction: nothing is applied, the attempt is recorded for operators. The answer is
            // the normal one, so the charger drops the message instead of retrying it forever.
            RefuseForeignTransaction(session, "StopTransaction", transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), tx.ChargerId, now);
        }
        else if (known && tx.Status != TransactionStatus.Open)
        {
            // A retransmitted StopTransaction: already ended and recorded once; never count it twice. Answered once the
            // original stop (the transaction's last event) is durable.
            address = tx.LastEventAddress;
        }
        else
        {
            // An unknown id is still recorded (the charger may have started it while we could not see it, e.g. before
            // a factory reset): the state keeps no transaction for it, and the CDR pipeline records it as unbillable.
            // The charger must get its answer either way or it retries forever.
            ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
            using (PooledSpan data = PooledSpan.From(transactionData))
            {
                EventWriter.WriteTransactionEnded(buffer, now, session.ChargerId, transactionId, meterStopWh * MilliWhPerWh, stopMs, reason, idTag, data.Span);
            }

            address = Recorder.Record(buffer);
            if (known)
            {
                Tokens.TransactionClosed(tx.IdTagUtf8);
            }
        }

        writer.WriteStartObject();
        if (!idTag.IsEmpty)
        {
            WriteIdTagInfo(writer, Tokens.Authorize(idTag, now));
        }

        writer.WriteEndObject();
        return address;
    }

    // OCPP 1.6 §6.34 MeterValues.req: connectorId, transactionId?, meterValue[1..] { timestamp, sampledValue[1..] }.
    private long MeterValues(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        int connectorId = 0, transactionId = -1;
        long sampleMs = now, energy = -1;
        ReadOnlySequence<byte> raw = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("connectorId"u8)) { p.Read(); connectorId = ReadInt32(ref p, "connectorId"); }
            else if (p.ValueTextEquals("transactionId"u8)) { p.Read(); transactionId = ReadInt32(ref p, "transactionId"); }
            else if (p.ValueTextEquals("meterValue"u8))
            {
                p.Read();
                long start = p.TokenStartIndex;
                MeterValueReader.ReadBillingRegister(ref p, ref sampleMs, ref energy);
                raw = message.Slice(start, p.BytesConsumed - start);
            }
            else { p.Read(); p.Skip(); }
        }

        if (transactionId >= 0 && Storage.State.TryGetTransaction(transactionId, out TransactionState tx) && !tx.BelongsTo(session.ChargerId))
        {
            // Another charger's transaction: nothing is applied, the attempt is recorded; the normal answer drops it.
            RefuseForeignTransaction(session, "MeterValues", transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), tx.ChargerId, now);
            WriteEmpty(writer);
            return 0;
        }

        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        using (PooledSpan values = PooledSpan.From(raw))
        {
            EventWriter.WriteMeterSampled(buffer, now, session.ChargerId, transactionId, connectorId, sampleMs, energy, values.Span);
        }

        long address = Recorder.Record(buffer);
        WriteEmpty(writer);

        // Meter values of a transaction are billing data: acknowledged only once durable.
        return transactionId >= 0 ? address : 0;
    }
}

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

        // Before anything changes: a token its owner decides online is answered once the owner has.
        Tokens.AwaitOwner(idTag, session.Connection.ChargePointId, session.Connection.MayDefer);
        ChargerStateStore state = Storage.State;
        long meterStart = meterStartWh * MilliWhPerWh;
        if (state.TryGetConnector(session.ChargerId, connectorId, out ConnectorState connector) && connector.OpenTransactionId > 0
            && state.TryGetTransaction(connector.OpenTransactionId, out TransactionState open) && open.Status == TransactionStatus.Open)
        {
            if (open.StartMs == startMs && open.MeterStartMilliWh == meterStart && open.IdTagUtf8.SequenceEqual(idTag))
            {
                // A retransmitted StartTransaction (the charger missed our answer): same transaction, no new event.
                WriteStartConfirmation(writer, Tokens.Authorize(idTag, now), open.TransactionId);
                return 0;
            }

            // The charger started a new transaction on a connector whose previous one never stopped. The old one
            // stays open in state for reconciliation (its StopTransaction may still arrive from the charger's
            // queue), but it no longer holds its token against ConcurrentTx.
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
        if (known && tx.Status != TransactionStatus.Open)
        {
            // A retransmitted StopTransaction: already ended and recorded once; never count it twice.
        }
        else
        {
            // An unknown id is still recorded (the charger may have started it while we could not see it);
            // the CDR pipeline reconciles it. The charger must get its answer either way or it retries forever.
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

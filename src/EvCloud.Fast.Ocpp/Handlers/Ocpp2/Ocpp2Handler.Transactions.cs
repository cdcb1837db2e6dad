using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

internal sealed partial class Ocpp2Handler
{
    private enum TransactionEventType : byte
    {
        Unknown,
        Started,
        Updated,
        Ended,
    }

    // OCPP 2.0.1 E01–E15 TransactionEventRequest: { eventType, timestamp, triggerReason, seqNo, offline?,
    //   numberOfPhasesUsed?, cableMaxCurrent?, reservationId?, transactionInfo: { transactionId, chargingState?,
    //   timeSpentCharging?, stoppedReason?, remoteStartId? }, idToken?, evse?: { id, connectorId? }, meterValue? }
    //
    // Reconciliation: the charger's transactionId maps to one transaction in state; a seqNo already applied
    // (a retransmission) is absorbed without a new event; an event whose Started never arrived creates the
    // transaction; an out-of-order Updated (lower seqNo) is kept in the log but does not move the energy.
    private long TransactionEvent(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Span<byte> idScratch = stackalloc byte[IdTokenReader.MaxBytes];
        Span<byte> txScratch = stackalloc byte[64];
        Span<byte> reasonScratch = stackalloc byte[32];
        var eventType = TransactionEventType.Unknown;
        long timestamp = now, sampleMs = now, energy = -1;
        int seqNo = -1, evseId = 0, reservationId = -1;
        scoped ReadOnlySpan<byte> transactionId = default, idToken = default, stoppedReason = default;
        ReadOnlySequence<byte> meterValues = default;

        long payloadStart = p.TokenStartIndex;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("eventType"u8))
            {
                p.Read();
                eventType = p.ValueTextEquals("Started"u8) ? TransactionEventType.Started
                    : p.ValueTextEquals("Updated"u8) ? TransactionEventType.Updated
                    : p.ValueTextEquals("Ended"u8) ? TransactionEventType.Ended
                    : TransactionEventType.Unknown;
            }
            else if (p.ValueTextEquals("timestamp"u8)) { p.Read(); JsonPayload.TryGetUnixMs(ref p, out timestamp); }
            else if (p.ValueTextEquals("seqNo"u8)) { p.Read(); seqNo = ReadInt32(ref p, "seqNo"); }
            else if (p.ValueTextEquals("reservationId"u8)) { p.Read(); reservationId = ReadInt32(ref p, "reservationId"); }
            else if (p.ValueTextEquals("idToken"u8)) { p.Read(); idToken = idScratch[..IdTokenReader.Read(ref p, idScratch)]; }
            else if (p.ValueTextEquals("evse"u8))
            {
                p.Read();
                while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
                {
                    if (p.ValueTextEquals("id"u8)) { p.Read(); evseId = ReadInt32(ref p, "evse.id"); }
                    else { p.Read(); p.Skip(); }
                }
            }
            else if (p.ValueTextEquals("transactionInfo"u8))
            {
                p.Read();
                while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
                {
                    if (p.ValueTextEquals("transactionId"u8)) { p.Read(); transactionId = JsonPayload.Utf8(in p, txScratch); }
                    else if (p.ValueTextEquals("stoppedReason"u8)) { p.Read(); stoppedReason = JsonPayload.Utf8(in p, reasonScratch); }
                    else { p.Read(); p.Skip(); }
                }
            }
            else if (p.ValueTextEquals("meterValue"u8))
            {
                p.Read();
                long start = p.TokenStartIndex;
                sampleMs = timestamp;
                Ocpp16.MeterValueReader.ReadBillingRegister(ref p, ref sampleMs, ref energy, ocpp2: true);
                meterValues = message.Slice(start, p.BytesConsumed - start);
            }
            else { p.Read(); p.Skip(); }
        }

        ReadOnlySequence<byte> rawPayload = message.Slice(payloadStart, p.BytesConsumed - payloadStart);
        ChargerStateStore state = Storage.State;
        bool known = state.TryGetTransactionByExternalId(session.ChargerId, transactionId, out int id);
        TransactionState transaction = default;
        // NOTE: the charger's transactionId is looked up under this charger only (aliases are keyed by charger and
        // id), so a station can never reach another station's transaction, whatever id it sends.
        if (known && state.TryGetTransaction(id, out transaction) && transaction.HasSeqNo(seqNo))
        {
            // Retransmitted (same transactionId and seqNo): answered again, recorded once, and answered only once the
            // original is durable (the transaction's last event is at or after it).
            WriteTransactionEventResponse(writer, idToken, now);
            return transaction.LastEventAddress;
        }

        if (!known)
        {
            // Before anything is recorded: a token its owner decides online is answered once the owner has.
            Tokens.AwaitOwner(idToken, session.Connection.ChargePointId, session.Connection.MayDefer);
        }

        long address = 0;
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();

        // The whole message first, so the log keeps chargingState, triggerReason and the rest for the CDR pipeline.
        using (PooledSpan raw = PooledSpan.From(rawPayload))
        {
            EventWriter.WriteChargerNotification(buffer, now, session.ChargerId, "TransactionEvent"u8, raw.Span);
        }

        Recorder.Record(buffer);
        using PooledSpan samples = PooledSpan.From(meterValues);
        if (!known && evseId > 0 && state.TryGetConnector(session.ChargerId, evseId, out ConnectorState evse) && evse.OpenTransactionId > 0
            && state.TryGetTransaction(evse.OpenTransactionId, out TransactionState previous) && previous.Status == TransactionStatus.Open
            && previous.BelongsTo(session.ChargerId))
        {
            // A new transaction on an EVSE whose previous one never ended (its Ended was lost): the previous one is
            // ended at its last reading so it gets its CDR, as in 1.6 (see Ocpp16Handler.StartTransaction).
            buffer = EventRecorder.Buffer();
            EventWriter.WriteTransactionEnded(buffer, now, session.ChargerId, previous.TransactionId, previous.LastEnergyMilliWh,
                Math.Max(previous.LastMeterMs, previous.StartMs), Ocpp16.Ocpp16Handler.SupersededReasonUtf8, default, default);
            Recorder.Record(buffer);
            Tokens.TransactionClosed(previous.IdTagUtf8);
        }

        if (!known)
        {
            AuthorizationResult auth = idToken.IsEmpty ? default : Tokens.Authorize(idToken, now, forNewTransaction: true, session.Connection.ChargePointId);
            id = state.ReserveTransactionId();
            buffer = EventRecorder.Buffer();
            long meterStart = eventType == TransactionEventType.Started ? energy : -1;
            EventWriter.WriteTransactionStarted(buffer, now, session.ChargerId, id, evseId, idToken, meterStart, timestamp, reservationId,
                (byte)auth.Status, transactionId, eventType == TransactionEventType.Started ? seqNo : -1);
            address = Recorder.Record(buffer);
            Tokens.TransactionOpened(idToken);
            state.TryGetTransaction(id, out transaction);
        }

        if (eventType != TransactionEventType.Started || known)
        {
            if (eventType == TransactionEventType.Ended && transaction.Status == TransactionStatus.Open)
            {
                long meterStop = energy >= 0 ? energy : transaction.LastEnergyMilliWh;
                buffer = EventRecorder.Buffer();
                EventWriter.WriteTransactionEnded(buffer, now, session.ChargerId, id, meterStop, timestamp,
                    stoppedReason.IsEmpty ? "Local"u8 : stoppedReason, idToken, samples.Span, seqNo);
                address = Recorder.Record(buffer);
                Tokens.TransactionClosed(transaction.IdTagUtf8);
            }
            else
            {
                // Updated (or a late Started/Ended): the reading, if any, and the seqNo for reconciliation.
                buffer = EventRecorder.Buffer();
                EventWriter.WriteMeterSampled(buffer, now, session.ChargerId, id, evseId, sampleMs, energy, samples.Span, seqNo);
                address = Recorder.Record(buffer);
            }
        }

        WriteTransactionEventResponse(writer, idToken, now);

        // Transaction data is billing data: acknowledged once durable.
        return address;
    }

    private void WriteTransactionEventResponse(Utf8JsonWriter writer, scoped ReadOnlySpan<byte> idToken, long now)
    {
        writer.WriteStartObject();
        if (!idToken.IsEmpty)
        {
            WriteIdTokenInfo(writer, Tokens.Authorize(idToken, now));
        }

        writer.WriteEndObject();
    }

    // MeterValuesRequest: { evseId, meterValue[1..] } — samples outside a transaction.
    private long MeterValues(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        int evseId = 0;
        long sampleMs = now, energy = -1;
        ReadOnlySequence<byte> raw = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("evseId"u8)) { p.Read(); evseId = ReadInt32(ref p, "evseId"); }
            else if (p.ValueTextEquals("meterValue"u8))
            {
                p.Read();
                long start = p.TokenStartIndex;
                Ocpp16.MeterValueReader.ReadBillingRegister(ref p, ref sampleMs, ref energy, ocpp2: true);
                raw = message.Slice(start, p.BytesConsumed - start);
            }
            else { p.Read(); p.Skip(); }
        }

        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        using (PooledSpan values = PooledSpan.From(raw))
        {
            EventWriter.WriteMeterSampled(buffer, now, session.ChargerId, -1, evseId, sampleMs, energy, values.Span);
        }

        Recorder.Record(buffer);
        WriteEmpty(writer);
        return 0;
    }
}

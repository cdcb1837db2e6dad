using EvCloud.Fast.Storage.Events;
using FASTER.core;
using MessagePack;

namespace EvCloud.Fast.Storage.State;

public sealed partial class ChargerStateStore
{
    /// <summary>
    /// Appends an encoded event to the log and applies it, as one step a checkpoint cannot split:
    /// a checkpoint waits for calls in flight, so every event below its log address is in it. This
    /// is the call the gateway makes; await a <see cref="Log.DurabilityWaiter"/> on the returned
    /// address before acknowledging. Allocates nothing in steady state.
    /// </summary>
    public long AppendAndApply(ReadOnlySpan<byte> encodedEvent)
    {
        var phase = _gate.Enter();
        try
        {
            var address = _log.Append(encodedEvent);
            Apply(encodedEvent, address);
            return address;
        }
        finally
        {
            _gate.Exit(phase);
        }
    }

    /// <summary>
    /// Applies one encoded event that is already in the log at <paramref name="logAddress"/>.
    /// Idempotent: each record remembers the address of the last event applied to it and ignores
    /// events at or below it, so replaying events a checkpoint already holds changes nothing.
    /// Allocates nothing in steady state (warm, in-memory records).
    /// </summary>
    /// <remarks>
    /// Replay and tests call this directly. A live caller that appends and applies in two calls
    /// should use <see cref="AppendAndApply"/>: a checkpoint taken between its two calls would
    /// record a log address above an event it does not contain, and a crash before the next
    /// checkpoint would then skip that event on replay.
    /// </remarks>
    public unsafe void Apply(ReadOnlySpan<byte> encodedEvent, long logAddress)
    {
        var session = _sessions.Rent();
        try
        {
            fixed (byte* pointer = encodedEvent)
            {
                session.Memory.Reset(pointer, encodedEvent.Length);
                var reader = new MessagePackReader(session.Memory.Memory);
                ApplyCore(session, ref reader, logAddress);
                session.Memory.Reset(null, 0);
            }
        }
        finally
        {
            _sessions.Return(session);
        }

        Utility.MonotonicUpdate(ref _highestAppliedAddress, logAddress, out _);
    }

    /// <summary>
    /// Records that a charger was heard from (heartbeat, any message) and whether its socket is
    /// up. Not evented: last-seen since the last checkpoint is lost in a crash, which is harmless
    /// because the charger reconnects and is seen again. Allocates nothing.
    /// </summary>
    public void Touch(ReadOnlySpan<byte> chargerIdUtf8, long lastSeenMs, bool online)
    {
        if (Volatile.Read(ref _closing) || !ChargerKey.TryCreate(chargerIdUtf8, out var key))
        {
            return;
        }

        var session = _sessions.Rent();
        try
        {
            StateSession.TryRead(session.Chargers, ref key, out var charger);
            charger.LastSeenMs = Math.Max(charger.LastSeenMs, lastSeenMs);
            charger.Online = online;
            StateSession.Write(session.Chargers, ref key, ref charger);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>Stores the heartbeat interval the gateway gave the charger. Not evented, like <see cref="Touch"/>.</summary>
    public void SetHeartbeatInterval(ReadOnlySpan<byte> chargerIdUtf8, int seconds)
    {
        if (!ChargerKey.TryCreate(chargerIdUtf8, out var key))
        {
            return;
        }

        var session = _sessions.Rent();
        try
        {
            StateSession.TryRead(session.Chargers, ref key, out var charger);
            charger.HeartbeatIntervalSeconds = seconds;
            StateSession.Write(session.Chargers, ref key, ref charger);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    private void ApplyCore(StateSession session, ref MessagePackReader reader, long address)
    {
        var header = EventReader.ReadHeader(ref reader);
        switch (header.Kind)
        {
            case DomainEventKind.DocumentPut:
                _documents.ApplyPut(System.Text.Encoding.UTF8.GetString(header.ChargerId), reader.ReadString() ?? "", reader.ReadBytes() is { } bytes ? System.Buffers.BuffersExtensions.ToArray(bytes) : []);
                return;
            case DomainEventKind.DocumentDeleted:
                _documents.ApplyDelete(System.Text.Encoding.UTF8.GetString(header.ChargerId), reader.ReadString() ?? "");
                return;
        }

        if (!ChargerKey.TryCreate(header.ChargerId, out var chargerKey))
        {
            // NOTE: EventWriter rejects such ids, so only a foreign or corrupt entry gets here.
            throw new MessagePackSerializationException("Domain event with an invalid charger id.");
        }

        switch (header.Kind)
        {
            case DomainEventKind.ChargerBooted:
                ApplyChargerBooted(session, ref reader, ref chargerKey, header.TimestampMs, address);
                break;
            case DomainEventKind.ChargerConnected:
                ApplyChargerConnected(session, ref reader, ref chargerKey, header.TimestampMs, address);
                break;
            case DomainEventKind.ChargerDisconnected:
                ApplyChargerDisconnected(session, ref reader, ref chargerKey, header.TimestampMs, address);
                break;
            case DomainEventKind.StatusChanged:
                ApplyStatusChanged(session, ref reader, ref chargerKey, address);
                break;
            case DomainEventKind.TransactionStarted:
                ApplyTransactionStarted(session, ref reader, ref chargerKey, address, header.ElementCount);
                break;
            case DomainEventKind.MeterSampled:
                ApplyMeterSampled(session, ref reader, ref chargerKey, address, header.ElementCount);
                break;
            case DomainEventKind.TransactionEnded:
                ApplyTransactionEnded(session, ref reader, ref chargerKey, address, header.ElementCount);
                break;

            // AuthorizeRequested and ChargerNotification are history only; no live state follows from them.
            default:
                break;
        }
    }

    // ChargerBooted: [.., protocol, registrationStatus, vendor, model, serialNumber, chargeBoxSerialNumber,
    //                 firmwareVersion, iccid, imsi, meterType, meterSerialNumber]
    private static void ApplyChargerBooted(StateSession session, ref MessagePackReader reader, ref ChargerKey key, long timestampMs, long address)
    {
        StateSession.TryRead(session.Chargers, ref key, out var charger);
        if (charger.LastEventAddress >= address)
        {
            return;
        }

        charger.Protocol = reader.ReadByte();
        charger.RegistrationStatus = reader.ReadByte();
        charger.VendorLength = Utf8Field.Store(charger.Vendor, EventReader.ReadUtf8(ref reader));
        charger.ModelLength = Utf8Field.Store(charger.Model, EventReader.ReadUtf8(ref reader));
        charger.SerialNumberLength = Utf8Field.Store(charger.SerialNumber, EventReader.ReadUtf8(ref reader));
        charger.ChargeBoxSerialNumberLength = Utf8Field.Store(charger.ChargeBoxSerialNumber, EventReader.ReadUtf8(ref reader));
        charger.FirmwareVersionLength = Utf8Field.Store(charger.FirmwareVersion, EventReader.ReadUtf8(ref reader));
        charger.IccidLength = Utf8Field.Store(charger.Iccid, EventReader.ReadUtf8(ref reader));
        charger.ImsiLength = Utf8Field.Store(charger.Imsi, EventReader.ReadUtf8(ref reader));
        charger.MeterTypeLength = Utf8Field.Store(charger.MeterType, EventReader.ReadUtf8(ref reader));
        charger.MeterSerialNumberLength = Utf8Field.Store(charger.MeterSerialNumber, EventReader.ReadUtf8(ref reader));
        charger.BootCount++;
        charger.LastBootMs = timestampMs;
        charger.LastSeenMs = Math.Max(charger.LastSeenMs, timestampMs);
        charger.Online = true;
        charger.LastEventAddress = address;
        StateSession.Write(session.Chargers, ref key, ref charger);
    }

    // ChargerConnected: [.., protocol, remoteEndpoint]
    private static void ApplyChargerConnected(StateSession session, ref MessagePackReader reader, ref ChargerKey key, long timestampMs, long address)
    {
        StateSession.TryRead(session.Chargers, ref key, out var charger);
        if (charger.LastEventAddress >= address)
        {
            return;
        }

        charger.Protocol = reader.ReadByte();
        charger.Online = true;
        charger.LastSeenMs = Math.Max(charger.LastSeenMs, timestampMs);
        charger.LastEventAddress = address;
        StateSession.Write(session.Chargers, ref key, ref charger);
    }

    // ChargerDisconnected: [.., closeCode]
    private static void ApplyChargerDisconnected(StateSession session, ref MessagePackReader reader, ref ChargerKey key, long timestampMs, long address)
    {
        StateSession.TryRead(session.Chargers, ref key, out var charger);
        if (charger.LastEventAddress >= address)
        {
            return;
        }

        charger.LastCloseCode = reader.ReadInt32();
        charger.Online = false;
        charger.LastSeenMs = Math.Max(charger.LastSeenMs, timestampMs);
        charger.LastEventAddress = address;
        StateSession.Write(session.Chargers, ref key, ref charger);
    }

    // StatusChanged: [.., connectorId, status, errorCode, info, vendorId, vendorErrorCode, statusTimestampMs]
    private static void ApplyStatusChanged(StateSession session, ref MessagePackReader reader, ref ChargerKey chargerKey, long address)
    {
        var key = new ConnectorKey { Charger = chargerKey, ConnectorId = reader.ReadInt32() };
        if (!StateSession.TryRead(session.Connectors, ref key, out var connector))
        {
            connector = ConnectorRecord.CreateEmpty();
        }

        if (connector.LastEventAddress >= address)
        {
            return;
        }

        connector.Status = reader.ReadByte();
        connector.ErrorCode = reader.ReadByte();
        connector.InfoLength = Utf8Field.Store(connector.Info, EventReader.ReadUtf8(ref reader));
        connector.VendorIdLength = Utf8Field.Store(connector.VendorId, EventReader.ReadUtf8(ref reader));
        connector.VendorErrorCodeLength = Utf8Field.Store(connector.VendorErrorCode, EventReader.ReadUtf8(ref reader));
        connector.StatusTimestampMs = reader.ReadInt64();
        connector.LastEventAddress = address;
        StateSession.Write(session.Connectors, ref key, ref connector);
        NoteConnector(session, ref chargerKey, key.ConnectorId);
    }

    // TransactionStarted: [.., transactionId, connectorId, idTag, meterStartMilliWh, startTimestampMs, reservationId, authStatus]
    // 2.x extension: [.., externalTransactionId, seqNo]
    private void ApplyTransactionStarted(StateSession session, ref MessagePackReader reader, ref ChargerKey chargerKey, long address, int elementCount)
    {
        var transactionId = reader.ReadInt32();
        var connectorId = reader.ReadInt32();

        // NOTE: TransactionStarted carries only ids this store issued (1..2^31−1), so the counter follows them on replay.
        if (transactionId > 0)
        {
            Utility.MonotonicUpdate(ref _lastTransactionId, transactionId, out _);
        }

        var key = new TransactionKey(transactionId);
        var exists = StateSession.TryRead(session.Transactions, ref key, out var transaction);
        if (exists && !transaction.Charger.Span.SequenceEqual(chargerKey.Span))
        {
            // NOTE: an id belongs to the charger it was issued to; a start naming it for another changes nothing.
            return;
        }

        if (transaction.LastEventAddress < address)
        {
            transaction.TransactionId = transactionId;
            transaction.ConnectorId = connectorId;
            transaction.Charger = chargerKey;
            transaction.IdTagLength = Utf8Field.Store(transaction.IdTag, EventReader.ReadUtf8(ref reader));
            transaction.MeterStartMilliWh = reader.ReadInt64();
            transaction.StartMs = reader.ReadInt64();
            transaction.ReservationId = reader.ReadInt32();
            transaction.AuthStatus = reader.ReadByte();
            transaction.HighestSeqNo = -1;
            transaction.SeqWindow = 0;
            transaction.ExternalIdLength = 0;
            if (elementCount >= EventFormat.TransactionStartedExtendedLength)
            {
                ReadOnlySpan<byte> externalId = EventReader.ReadUtf8(ref reader);
                transaction.ExternalIdLength = Utf8Field.Store(transaction.ExternalId, externalId);
                transaction.NoteSeqNo(reader.ReadInt32());
                if (TransactionAliasKey.TryCreate(chargerKey.Span, externalId, out var aliasKey))
                {
                    var alias = new TransactionAliasRecord { TransactionId = transactionId, LastEventAddress = address };
                    StateSession.Write(session.Aliases, ref aliasKey, ref alias);
                }
            }

            transaction.LastEnergyMilliWh = transaction.MeterStartMilliWh;
            transaction.LastMeterMs = transaction.StartMs;
            transaction.Status = TransactionStatus.Open;
            transaction.MeterStopMilliWh = -1;
            transaction.StopMs = 0;
            transaction.StopReasonLength = 0;
            transaction.LastEventAddress = address;
            StateSession.Write(session.Transactions, ref key, ref transaction);
        }

        var connectorKey = new ConnectorKey { Charger = chargerKey, ConnectorId = connectorId };
        if (!StateSession.TryRead(session.Connectors, ref connectorKey, out var connector))
        {
            connector = ConnectorRecord.CreateEmpty();
        }

        if (connector.LastEventAddress < address)
        {
            connector.OpenTransactionId = transactionId;
            connector.LastEventAddress = address;
            StateSession.Write(session.Connectors, ref connectorKey, ref connector);
            NoteConnector(session, ref chargerKey, connectorId);
        }
    }

    // MeterSampled: [.., transactionId, connectorId, sampleTimestampMs, energyRegisterMilliWh, rawMeterValueJson]
    // 2.x extension: [.., seqNo]
    private static void ApplyMeterSampled(StateSession session, ref MessagePackReader reader, ref ChargerKey chargerKey, long address, int elementCount)
    {
        var transactionId = reader.ReadInt32();
        var connectorId = reader.ReadInt32();
        var sampleMs = reader.ReadInt64();
        var energy = reader.ReadInt64();
        EventReader.ReadUtf8(ref reader);
        var seqNo = elementCount >= EventFormat.MeterSampledExtendedLength ? reader.ReadInt32() : -1;

        if (transactionId >= 0)
        {
            var key = new TransactionKey(transactionId);

            // NOTE: a reading moves only the transaction of the charger that sent it (the gateway refuses the others
            // before they are recorded; this holds for whatever else is in the log).
            if (StateSession.TryRead(session.Transactions, ref key, out var transaction) && transaction.LastEventAddress < address
                && transaction.Charger.Span.SequenceEqual(chargerKey.Span))
            {
                // NOTE: only an open transaction's register moves, and for 2.x only forward in seqNo: a replayed
                // or out-of-order TransactionEvent (lower seqNo), or a reading after the end, stays in the log but
                // does not change the energy. seqNo, not the timestamp, orders 2.x events: charger clocks drift.
                // The register itself only counts up (TransactionEnergy): every reading of the open transaction, in
                // any order, can raise it and none lowers it, exactly as in the CDR pipeline's session tracker.
                bool newer = seqNo < 0 || seqNo > transaction.HighestSeqNo;
                transaction.NoteSeqNo(seqNo);
                if (energy >= 0 && transaction.Status == TransactionStatus.Open)
                {
                    if (transaction.MeterStartMilliWh < 0)
                    {
                        transaction.MeterStartMilliWh = energy; // 2.x: no meterStart field; the first reading is the start
                    }

                    transaction.LastEnergyMilliWh = TransactionEnergy.Highest(transaction.LastEnergyMilliWh, energy);
                    if (newer)
                    {
                        transaction.LastMeterMs = sampleMs;
                    }
                }

                transaction.LastEventAddress = address;
                StateSession.Write(session.Transactions, ref key, ref transaction);
            }

            return;
        }

        if (energy < 0)
        {
            return;
        }

        var connectorKey = new ConnectorKey { Charger = chargerKey, ConnectorId = connectorId };
        if (!StateSession.TryRead(session.Connectors, ref connectorKey, out var connector))
        {
            connector = ConnectorRecord.CreateEmpty();
        }

        if (connector.LastEventAddress < address)
        {
            connector.LastEnergyMilliWh = energy;
            connector.LastMeterMs = sampleMs;
            connector.LastEventAddress = address;
            StateSession.Write(session.Connectors, ref connectorKey, ref connector);
        }
    }

    // TransactionEnded: [.., transactionId, meterStopMilliWh, stopTimestampMs, reason, idTag, rawTransactionDataJson]
    // 2.x extension: [.., seqNo]
    private static void ApplyTransactionEnded(StateSession session, ref MessagePackReader reader, ref ChargerKey chargerKey, long address, int elementCount)
    {
        var transactionId = reader.ReadInt32();
        var key = new TransactionKey(transactionId);
        if (!StateSession.TryRead(session.Transactions, ref key, out var transaction)
            || transaction.LastEventAddress >= address
            || !transaction.Charger.Span.SequenceEqual(chargerKey.Span))
        {
            // NOTE: a stop naming an id this store never issued (a 1.6 charger's queue from before a factory reset)
            // stays in the log for the CDR pipeline, which records it as unbillable; it creates no transaction
            // here, so the charger's number never enters the id space (and a later id equal to it stays ours).
            // A stop naming another charger's transaction changes nothing either.
            return;
        }

        transaction.MeterStopMilliWh = reader.ReadInt64();
        transaction.StopMs = reader.ReadInt64();
        transaction.StopReasonLength = Utf8Field.Store(transaction.StopReason, EventReader.ReadUtf8(ref reader));
        var idTag = EventReader.ReadUtf8(ref reader);
        if (transaction.IdTagLength == 0)
        {
            transaction.IdTagLength = Utf8Field.Store(transaction.IdTag, idTag);
        }

        EventReader.ReadUtf8(ref reader);
        if (elementCount >= EventFormat.TransactionEndedExtendedLength)
        {
            transaction.NoteSeqNo(reader.ReadInt32());
        }

        // NOTE: MeterStopMilliWh stays as the charger reported it; the register the transaction ends at (and bills)
        // is the higher of it and every earlier reading (TransactionEnergy.EndRegister).
        transaction.LastEnergyMilliWh = TransactionEnergy.EndRegister(transaction.LastEnergyMilliWh, transaction.MeterStopMilliWh);
        transaction.LastMeterMs = transaction.StopMs;
        transaction.Status = TransactionStatus.Ended;
        transaction.LastEventAddress = address;
        StateSession.Write(session.Transactions, ref key, ref transaction);

        if (transaction.ConnectorId < 0)
        {
            return;
        }

        var connectorKey = new ConnectorKey { Charger = chargerKey, ConnectorId = transaction.ConnectorId };
        if (StateSession.TryRead(session.Connectors, ref connectorKey, out var connector)
            && connector.LastEventAddress < address
            && connector.OpenTransactionId == transactionId)
        {
            connector.OpenTransactionId = -1;
            connector.LastEventAddress = address;
            StateSession.Write(session.Connectors, ref connectorKey, ref connector);
        }
    }

    /// <summary>Raises the charger's highest connector id so listings find the connector; one read when nothing changes.</summary>
    private static void NoteConnector(StateSession session, ref ChargerKey key, int connectorId)
    {
        var found = StateSession.TryRead(session.Chargers, ref key, out var charger);
        if (found && charger.MaxConnectorId >= connectorId)
        {
            return;
        }

        charger.MaxConnectorId = Math.Max(charger.MaxConnectorId, connectorId);
        StateSession.Write(session.Chargers, ref key, ref charger);
    }
}

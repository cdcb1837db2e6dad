using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.DeviceModel;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

/// <summary>
/// OCPP 2.0.1 and 2.1 charger-initiated messages: one handler for both versions, since 2.1 payloads extend
/// 2.0.1's (the schema of the negotiated version validated the payload before it gets here). Same events and
/// state as 1.6, so a charger that changes version keeps its identity, EVSEs and history.
/// </summary>
/// <remarks>
/// EVSE mapping: state keeps one status per EVSE under its <c>evseId</c>, the 1.6 connectorId equivalent (a
/// 1.6 connector is a 2.x EVSE). A multi-connector EVSE reports the status of the connector that changed last;
/// its connectors are mutually exclusive, so that is the EVSE's state.
/// </remarks>
internal sealed partial class Ocpp2Handler : ChargerMessageHandler
{
    private readonly DeviceModelStore _deviceModels;

    public Ocpp2Handler(EventRecorder recorder, TokenStore tokens, DeviceModelStore deviceModels, OcppDispatcher dispatcher, IEnumerable<IDataTransferHandler> vendors, TimeProvider time)
        : base(recorder, tokens, dispatcher, vendors, time)
    {
        _deviceModels = deviceModels;
    }

    /// <summary>Whether a charger may send <paramref name="action"/> in <paramref name="version"/> (OCPP 2.0.1 / 2.1 Part 2, message direction).</summary>
    public static bool IsChargerInitiated(string action, OcppVersion version) => action switch
    {
        "Authorize" or "BootNotification" or "ClearedChargingLimit" or "DataTransfer" or "FirmwareStatusNotification"
            or "Get15118EVCertificate" or "GetCertificateStatus" or "Heartbeat" or "LogStatusNotification" or "MeterValues"
            or "NotifyChargingLimit" or "NotifyCustomerInformation" or "NotifyDisplayMessages" or "NotifyEVChargingNeeds"
            or "NotifyEVChargingSchedule" or "NotifyEvent" or "NotifyMonitoringReport" or "NotifyReport"
            or "PublishFirmwareStatusNotification" or "ReportChargingProfiles" or "ReservationStatusUpdate"
            or "SecurityEventNotification" or "SignCertificate" or "StatusNotification" or "TransactionEvent" => true,
        "BatterySwap" or "GetCertificateChainStatus" or "NotifyDERAlarm" or "NotifyDERStartStop" or "NotifyPeriodicEventStream"
            or "NotifyPriorityCharging" or "NotifySettlement" or "OpenPeriodicEventStream" or "ClosePeriodicEventStream"
            or "PullDynamicScheduleUpdate" or "ReportDERControl" or "VatNumberValidation" => version == OcppVersion.Ocpp21,
        _ => false,
    };

    /// <summary>Handles one CALL (or 2.1 SEND, whose <paramref name="writer"/> output is discarded); returns the log address the reply waits for.</summary>
    public long Handle(ChargerSession session, string action, ref Utf8JsonReader payload, in ReadOnlySequence<byte> message, Utf8JsonWriter writer)
    {
        long now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (action)
        {
            case "Heartbeat":
                return Heartbeat(session, now, writer);
            case "StatusNotification":
                return StatusNotification(session, ref payload, now, writer);
            case "TransactionEvent":
                return TransactionEvent(session, ref payload, message, now, writer);
            case "MeterValues":
                return MeterValues(session, ref payload, message, now, writer);
            case "Authorize":
                return Authorize(session, ref payload, message, now, writer);
            case "BootNotification":
                return BootNotification(session, ref payload, now, writer);
            default:
                return Recorded(session, action, ref payload, message, now, writer);
        }
    }

    private long BootNotification(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        // BootNotificationRequest: { reason, chargingStation: { model, vendorName, serialNumber?, firmwareVersion?, modem?: { iccid?, imsi? } } }
        string? vendor = null, model = null, serial = null, firmware = null, iccid = null, imsi = null;
        using (JsonDocument document = JsonDocument.ParseValue(ref p))
        {
            if (document.RootElement.TryGetProperty("chargingStation", out JsonElement station))
            {
                vendor = station.TryGetProperty("vendorName", out JsonElement v) ? v.GetString() : null;
                model = station.TryGetProperty("model", out JsonElement m) ? m.GetString() : null;
                serial = station.TryGetProperty("serialNumber", out JsonElement s) ? s.GetString() : null;
                firmware = station.TryGetProperty("firmwareVersion", out JsonElement f) ? f.GetString() : null;
                if (station.TryGetProperty("modem", out JsonElement modem))
                {
                    iccid = modem.TryGetProperty("iccid", out JsonElement i) ? i.GetString() : null;
                    imsi = modem.TryGetProperty("imsi", out JsonElement s2) ? s2.GetString() : null;
                }
            }
        }

        (RegistrationStatus status, int interval) = RecordBoot(session, now, new ChargerIdentity(vendor, model, serial, null, firmware, iccid, imsi, null, null));
        writer.WriteStartObject();
        WriteCurrentTime(writer, now);
        writer.WriteNumber("interval"u8, interval);
        writer.WriteString("status"u8, RegistrationUtf8(status));
        writer.WriteEndObject();
        return 0;
    }

    // StatusNotificationRequest: { timestamp, connectorStatus, evseId, connectorId }
    private long StatusNotification(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        Span<byte> scratch = stackalloc byte[32];
        int evseId = 0;
        ConnectorStatus status = ConnectorStatus.Unknown;
        long timestamp = now;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("evseId"u8)) { p.Read(); evseId = ReadInt32(ref p, "evseId"); }
            else if (p.ValueTextEquals("connectorStatus"u8)) { p.Read(); status = OcppEnumBytes.ParseStatus(JsonPayload.Utf8(in p, scratch)); }
            else if (p.ValueTextEquals("timestamp"u8)) { p.Read(); JsonPayload.TryGetUnixMs(ref p, out timestamp); }
            else { p.Read(); p.Skip(); }
        }

        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteStatusChanged(buffer, now, session.ChargerId, evseId, (byte)status, (byte)ChargePointErrorCode.NoError, default, default, default, timestamp);
        Recorder.Record(buffer);
        WriteEmpty(writer);
        return 0;
    }

    // AuthorizeRequest: { idToken: { idToken, type, additionalInfo? }, certificate?, iso15118CertificateHashData? }
    private long Authorize(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Span<byte> scratch = stackalloc byte[IdTokenReader.MaxBytes];
        scoped ReadOnlySpan<byte> idToken = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("idToken"u8)) { p.Read(); idToken = scratch[..IdTokenReader.Read(ref p, scratch)]; }
            else { p.Read(); p.Skip(); }
        }

        AuthorizationResult result = AuthorizeAndRecord(session, idToken, now);
        writer.WriteStartObject();
        WriteIdTokenInfo(writer, result);
        writer.WriteEndObject();
        return 0;
    }

    /// <summary>Messages recorded as received with a fixed, schema-valid answer.</summary>
    private long Recorded(ChargerSession session, string action, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Utf8JsonReader fields = p;
        long address;
        using (PooledSpan payload = PooledSpan.From(JsonPayload.RawValue(ref p, message)))
        {
            address = RecordNotification(session, action, payload.Span, now);
            if (action == "NotifyReport")
            {
                _deviceModels.Accept(session.Connection.ChargePointId, payload.Span);
            }
        }

        writer.WriteStartObject();
        switch (action)
        {
            case "DataTransfer":
                AnswerDataTransfer(session, fields, writer);
                break;
            case "SignCertificate":
                writer.WriteString("status"u8, RequestCertificate(session, fields) ? "Accepted"u8 : "Rejected"u8);
                break;
            case "Get15118EVCertificate":
                // No ISO 15118 contract-certificate backend (MO/V2G PKI) is connected to this gateway.
                writer.WriteString("status"u8, "Failed"u8);
                writer.WriteString("exiResponse"u8, ""u8);
                break;
            case "GetCertificateStatus":
                writer.WriteString("status"u8, "Failed"u8); // no OCSP responder configured
                break;
            case "GetCertificateChainStatus":
                WriteCertificateChainStatus(ref fields, message, now, writer);
                break;
            case "NotifyEVChargingNeeds":
                writer.WriteString("status"u8, "Rejected"u8); // no smart-charging schedule will follow; the station uses its own
                break;
            case "NotifyEVChargingSchedule":
                writer.WriteString("status"u8, "Accepted"u8);
                break;
            case "OpenPeriodicEventStream":
                writer.WriteString("status"u8, "Accepted"u8);
                break;
            case "PullDynamicScheduleUpdate":
                writer.WriteString("status"u8, "Rejected"u8); // no dynamic schedules are managed here
                break;
            case "VatNumberValidation":
                WriteVatNumberAnswer(ref fields, writer);
                break;
        }

        writer.WriteEndObject();

        // Security events and firmware/log status are history, not money: nothing waits for them.
        return action == "NotifySettlement" ? address : 0;
    }

    private static void WriteCertificateChainStatus(ref Utf8JsonReader fields, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        // No OCSP/CRL checking is configured: every requested certificate is answered Unknown, echoing its hash data.
        using JsonDocument request = JsonDocument.ParseValue(ref fields);
        writer.WriteStartArray("certificateStatus"u8);
        foreach (JsonElement item in request.RootElement.GetProperty("certificateStatusRequests").EnumerateArray())
        {
            writer.WriteStartObject();
            writer.WritePropertyName("certificateHashData"u8);
            item.GetProperty("certificateHashData").WriteTo(writer);
            writer.WriteString("source"u8, item.GetProperty("source").GetString());
            writer.WriteString("status"u8, "Unknown"u8);
            writer.WriteString("nextUpdate"u8, DateTimeOffset.FromUnixTimeMilliseconds(now).UtcDateTime.AddDays(1));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteVatNumberAnswer(ref Utf8JsonReader fields, Utf8JsonWriter writer)
    {
        using JsonDocument request = JsonDocument.ParseValue(ref fields);
        writer.WriteString("vatNumber"u8, request.RootElement.GetProperty("vatNumber").GetString());
        writer.WriteString("status"u8, "Rejected"u8); // no VAT registry lookup is configured
    }

    internal static void WriteIdTokenInfo(Utf8JsonWriter writer, in AuthorizationResult result)
    {
        writer.WriteStartObject("idTokenInfo"u8);
        writer.WriteString("status"u8, result.Status switch
        {
            AuthorizationStatus.Accepted => "Accepted"u8,
            AuthorizationStatus.Blocked => "Blocked"u8,
            AuthorizationStatus.Expired => "Expired"u8,
            AuthorizationStatus.ConcurrentTx => "ConcurrentTx"u8,
            AuthorizationStatus.NoCredit => "NoCredit"u8,
            AuthorizationStatus.NotAllowedTypeEVSE => "NotAllowedTypeEVSE"u8,
            AuthorizationStatus.NotAtThisLocation => "NotAtThisLocation"u8,
            AuthorizationStatus.NotAtThisTime => "NotAtThisTime"u8,
            AuthorizationStatus.Invalid => "Invalid"u8,
            _ => "Unknown"u8,
        });
        if (result.ExpiryUnixMs != 0)
        {
            writer.WriteString("cacheExpiryDateTime"u8, DateTimeOffset.FromUnixTimeMilliseconds(result.ExpiryUnixMs).UtcDateTime);
        }

        if (result.ParentIdTag is not null)
        {
            writer.WriteStartObject("groupIdToken"u8);
            writer.WriteString("idToken"u8, result.ParentIdTag);
            writer.WriteString("type"u8, "Central"u8);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

}

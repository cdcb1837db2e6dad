using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp16;

/// <summary>
/// OCPP 1.6J charger-initiated messages (Core, Firmware Management, the Security extension). Each method reads a
/// schema-valid payload with the reader on its <c>StartObject</c>, records what happened as a domain event,
/// and writes the confirmation's payload object. The hot messages allocate nothing.
/// </summary>
internal sealed partial class Ocpp16Handler : ChargerMessageHandler
{
    internal const string BootNotificationName = "BootNotification";

    public Ocpp16Handler(EventRecorder recorder, TokenStore tokens, OcppDispatcher dispatcher, IEnumerable<IDataTransferHandler> vendors, TimeProvider time)
        : base(recorder, tokens, dispatcher, vendors, time)
    {
    }

    /// <summary>Whether a 1.6 charger may send <paramref name="action"/> (CSMS-initiated actions are NotSupported).</summary>
    public static bool IsChargerInitiated(string action) => action switch
    {
        "Authorize" or "BootNotification" or "DataTransfer" or "DiagnosticsStatusNotification" or "FirmwareStatusNotification"
            or "Heartbeat" or "MeterValues" or "StartTransaction" or "StatusNotification" or "StopTransaction"
            or "SecurityEventNotification" or "LogStatusNotification" or "SignedFirmwareStatusNotification" or "SignCertificate" => true,
        _ => false,
    };

    /// <summary>Handles one CALL; returns the log address the CALLRESULT must wait for (0 = none).</summary>
    public long Handle(ChargerSession session, string action, ref Utf8JsonReader payload, in ReadOnlySequence<byte> message, Utf8JsonWriter writer)
    {
        long now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (action)
        {
            case "Heartbeat":
                return Heartbeat(session, now, writer);
            case "StatusNotification":
                return StatusNotification(session, ref payload, now, writer);
            case "MeterValues":
                return MeterValues(session, ref payload, message, now, writer);
            case "Authorize":
                return Authorize(session, ref payload, now, writer);
            case "StartTransaction":
                return StartTransaction(session, ref payload, now, writer);
            case "StopTransaction":
                return StopTransaction(session, ref payload, message, now, writer);
            case BootNotificationName:
                return BootNotification(session, ref payload, now, writer);
            case "DataTransfer":
                return DataTransfer(session, ref payload, message, now, writer);
            case "SignCertificate":
                return SignCertificate(session, ref payload, message, now, writer);
            default:
                // DiagnosticsStatusNotification, FirmwareStatusNotification, SecurityEventNotification,
                // LogStatusNotification, SignedFirmwareStatusNotification: recorded as received, empty confirmation.
                return Notification(session, action, ref payload, message, now, writer);
        }
    }

    private long BootNotification(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        string? vendor = null, model = null, serial = null, boxSerial = null, firmware = null, iccid = null, imsi = null, meterType = null, meterSerial = null;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            string name = p.GetString()!;
            p.Read();
            string? value = p.TokenType == JsonTokenType.String ? p.GetString() : null;
            switch (name)
            {
                case "chargePointVendor": vendor = value; break;
                case "chargePointModel": model = value; break;
                case "chargePointSerialNumber": serial = value; break;
                case "chargeBoxSerialNumber": boxSerial = value; break;
                case "firmwareVersion": firmware = value; break;
                case "iccid": iccid = value; break;
                case "imsi": imsi = value; break;
                case "meterType": meterType = value; break;
                case "meterSerialNumber": meterSerial = value; break;
                default: p.Skip(); break;
            }
        }

        (RegistrationStatus status, int interval) = RecordBoot(session, now, new ChargerIdentity(vendor, model, serial, boxSerial, firmware, iccid, imsi, meterType, meterSerial));
        writer.WriteStartObject();
        writer.WriteString("status"u8, RegistrationUtf8(status));
        WriteCurrentTime(writer, now);
        writer.WriteNumber("interval"u8, interval);
        writer.WriteEndObject();
        return 0;
    }

    private long StatusNotification(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        Span<byte> infoScratch = stackalloc byte[64];
        Span<byte> vendorScratch = stackalloc byte[256];
        Span<byte> vendorErrorScratch = stackalloc byte[64];
        int connectorId = 0;
        ConnectorStatus status = ConnectorStatus.Unknown;
        ChargePointErrorCode errorCode = ChargePointErrorCode.NoError;
        scoped ReadOnlySpan<byte> info = default, vendorId = default, vendorErrorCode = default;
        long timestamp = now;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("connectorId"u8)) { p.Read(); connectorId = ReadInt32(ref p, "connectorId"); }
            else if (p.ValueTextEquals("status"u8)) { p.Read(); status = OcppEnumBytes.ParseStatus(JsonPayload.Utf8(in p, infoScratch)); }
            else if (p.ValueTextEquals("errorCode"u8)) { p.Read(); errorCode = OcppEnumBytes.ParseErrorCode(JsonPayload.Utf8(in p, vendorErrorScratch)); }
            else if (p.ValueTextEquals("info"u8)) { p.Read(); info = JsonPayload.Utf8(in p, infoScratch); }
            else if (p.ValueTextEquals("vendorId"u8)) { p.Read(); vendorId = JsonPayload.Utf8(in p, vendorScratch); }
            else if (p.ValueTextEquals("vendorErrorCode"u8)) { p.Read(); vendorErrorCode = JsonPayload.Utf8(in p, vendorErrorScratch); }
            else if (p.ValueTextEquals("timestamp"u8)) { p.Read(); JsonPayload.TryGetUnixMs(ref p, out timestamp); }
            else { p.Read(); p.Skip(); }
        }

        // A status that moves an open transaction between charging and idle decides its PARKING_TIME: billing data,
        // acknowledged only once durable (like the meter values of a transaction). The same status again (a repeat, or
        // a retransmission) changes nothing a CDR is priced from: it waits for the event that set it, which is
        // normally durable already, so it costs no commit. Read before this event is applied.
        long waitFor = 0;
        bool billing = false;
        if (DecidesChargingState(status) && connectorId > 0
            && Storage.State.TryGetConnector(session.ChargerId, connectorId, out Storage.State.ConnectorState connector) && connector.OpenTransactionId > 0)
        {
            billing = connector.Status != (byte)status;
            waitFor = connector.LastEventAddress;
        }

        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteStatusChanged(buffer, now, session.ChargerId, connectorId, (byte)status, (byte)errorCode, info, vendorId, vendorErrorCode, timestamp);
        long address = Recorder.Record(buffer);
        WriteEmpty(writer);
        return billing ? address : waitFor;
    }

    /// <summary>The statuses the CDR pipeline reads as charging (Charging) or idle (SuspendedEVSE, SuspendedEV, Finishing).</summary>
    internal static bool DecidesChargingState(ConnectorStatus status) =>
        status is ConnectorStatus.Charging or ConnectorStatus.SuspendedEVSE or ConnectorStatus.SuspendedEV or ConnectorStatus.Finishing;

    private long Authorize(ChargerSession session, ref Utf8JsonReader p, long now, Utf8JsonWriter writer)
    {
        Span<byte> scratch = stackalloc byte[64];
        scoped ReadOnlySpan<byte> idTag = default;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("idTag"u8)) { p.Read(); idTag = JsonPayload.Utf8(in p, scratch); }
            else { p.Read(); p.Skip(); }
        }

        AuthorizationResult result = AuthorizeAndRecord(session, idTag, now);
        writer.WriteStartObject();
        WriteIdTagInfo(writer, result);
        writer.WriteEndObject();
        return 0;
    }

    private long Notification(ChargerSession session, string action, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        long address = RecordNotification(session, action, ref p, message, now);
        WriteEmpty(writer);
        return address;
    }

    private long DataTransfer(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Utf8JsonReader fields = p;
        RecordNotification(session, "DataTransfer", ref p, message, now);
        writer.WriteStartObject();
        AnswerDataTransfer(session, fields, writer);
        writer.WriteEndObject();
        return 0;
    }

    // 1.6 security extension SignCertificate.req: {"csr": "<PEM>"}. Accepted when the CA can process the CSR; the
    // certificate follows in a CertificateSigned CALL. Rejected (the charger keeps its certificate) otherwise.
    private long SignCertificate(ChargerSession session, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now, Utf8JsonWriter writer)
    {
        Utf8JsonReader fields = p;
        RecordNotification(session, "SignCertificate", ref p, message, now);
        bool accepted = RequestCertificate(session, fields);
        writer.WriteStartObject();
        writer.WriteString("status"u8, accepted ? "Accepted"u8 : "Rejected"u8);
        writer.WriteEndObject();
        return 0;
    }

    internal static void WriteIdTagInfo(Utf8JsonWriter writer, in AuthorizationResult result)
    {
        writer.WriteStartObject("idTagInfo"u8);
        writer.WriteString("status"u8, result.Status switch
        {
            AuthorizationStatus.Accepted => "Accepted"u8,
            AuthorizationStatus.Blocked => "Blocked"u8,
            AuthorizationStatus.Expired => "Expired"u8,
            AuthorizationStatus.ConcurrentTx => "ConcurrentTx"u8,
            _ => "Invalid"u8,
        });
        if (result.ExpiryUnixMs != 0)
        {
            writer.WriteString("expiryDate"u8, DateTimeOffset.FromUnixTimeMilliseconds(result.ExpiryUnixMs).UtcDateTime);
        }

        if (result.ParentIdTag is not null)
        {
            writer.WriteString("parentIdTag"u8, result.ParentIdTag);
        }

        writer.WriteEndObject();
    }

}

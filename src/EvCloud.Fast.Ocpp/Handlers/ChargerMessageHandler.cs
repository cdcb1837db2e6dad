using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// What the per-version handlers share: the stores, the boot decision and its event, DataTransfer vendors, and
/// recording a message as received. The versions differ in payload shapes, not in what a message means.
/// </summary>
internal abstract class ChargerMessageHandler
{
    protected ChargerMessageHandler(EventRecorder recorder, TokenStore tokens, OcppDispatcher dispatcher, IEnumerable<IDataTransferHandler> vendors, TimeProvider time)
    {
        Recorder = recorder;
        Storage = recorder.Storage;
        Tokens = tokens;
        Dispatcher = dispatcher;
        Vendors = vendors.ToDictionary(v => v.VendorId, StringComparer.Ordinal);
        Time = time;
    }

    protected EventRecorder Recorder { get; }

    protected StorageEngine Storage { get; }

    protected TokenStore Tokens { get; }

    protected OcppDispatcher Dispatcher { get; }

    protected Dictionary<string, IDataTransferHandler> Vendors { get; }

    protected TimeProvider Time { get; }

    /// <summary>Decides the registration, records ChargerBooted, and returns the status with the interval to hand out.</summary>
    protected (RegistrationStatus Status, int IntervalSeconds) RecordBoot(ChargerSession session, long now, ChargerIdentity identity)
    {
        RegistrationStatus status = Dispatcher.DecideRegistration(session.Connection.ChargePointId);
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteChargerBooted(buffer, now, session.ChargerId, (byte)session.Connection.Version, (byte)status, identity);
        Recorder.Record(buffer);
        session.Registration = status;
        Dispatcher.BootRecorded(session.Connection, status, identity);

        ChargerOptions options = Dispatcher.Chargers;
        TimeSpan interval = status == RegistrationStatus.Accepted ? options.HeartbeatInterval : options.RetryInterval;
        int seconds = (int)Math.Max(1, interval.TotalSeconds);
        Storage.State.SetHeartbeatInterval(session.ChargerId, seconds);
        return (status, seconds);
    }

    /// <summary>Heartbeat (every version): last seen, and the current time as the answer.</summary>
    protected long Heartbeat(ChargerSession session, long now, Utf8JsonWriter writer)
    {
        Storage.State.Touch(session.ChargerId, now, online: true);
        writer.WriteStartObject();
        WriteCurrentTime(writer, now);
        writer.WriteEndObject();
        return 0;
    }

    /// <summary>
    /// Authorizes a token from the local store and records the AuthorizeRequested event. A token its owner decides
    /// online defers the CALL until the owner answered (<see cref="TokenStore.AwaitOwner"/>).
    /// </summary>
    protected AuthorizationResult AuthorizeAndRecord(ChargerSession session, scoped ReadOnlySpan<byte> idToken, long now)
    {
        Tokens.AwaitOwner(idToken, session.Connection.ChargePointId, session.Connection.MayDefer);
        AuthorizationResult result = Tokens.Authorize(idToken, now, chargerId: session.Connection.ChargePointId);
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteAuthorizeRequested(buffer, now, session.ChargerId, idToken, (byte)result.Status);
        Recorder.Record(buffer);
        return result;
    }

    /// <summary>The RegistrationStatusEnumType value (the same three in every version).</summary>
    protected static ReadOnlySpan<byte> RegistrationUtf8(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Accepted => "Accepted"u8,
        RegistrationStatus.Pending => "Pending"u8,
        _ => "Rejected"u8,
    };

    /// <summary>Records a message as received (ChargerNotification with its raw payload); reader on the payload's StartObject.</summary>
    protected long RecordNotification(ChargerSession session, string action, ref Utf8JsonReader p, in ReadOnlySequence<byte> message, long now)
    {
        ReadOnlySequence<byte> raw = JsonPayload.RawValue(ref p, message);
        using PooledSpan payload = PooledSpan.From(raw);
        return RecordNotification(session, action, payload.Span, now);
    }

    /// <summary>Records a message as received, given its raw payload.</summary>
    protected long RecordNotification(ChargerSession session, string action, ReadOnlySpan<byte> rawPayload, long now)
    {
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteChargerNotification(buffer, now, session.ChargerId, System.Text.Encoding.ASCII.GetBytes(action), rawPayload);
        return Recorder.Record(buffer);
    }

    /// <summary>
    /// The <c>action</c> of the ChargerNotification recorded when a charger names a transaction it does not own (the
    /// application API shows it as a <c>charger.notification</c> event of the offending charger).
    /// </summary>
    internal const string ForeignTransactionAction = "ForeignTransactionRefused";

    /// <summary>
    /// A message named a transaction of another charger: records the attempt for operators (event, metric, Warning log
    /// naming both chargers) and applies nothing. The caller still answers a normal CALLRESULT: an error would make the
    /// charger retry the message forever (OCPP 1.6 §4.7/§4.8, 2.0.1 E: transaction messages are retried until answered).
    /// </summary>
    protected void RefuseForeignTransaction(ChargerSession session, string action, string transactionId, string ownerChargePointId, long now)
    {
        var json = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("action"u8, action);
            writer.WriteString("transactionId"u8, transactionId);
            writer.WriteString("ownerChargePointId"u8, ownerChargePointId);
            writer.WriteEndObject();
        }

        RecordNotification(session, ForeignTransactionAction, json.WrittenSpan, now);
        Dispatcher.ForeignTransaction(action, session.Connection.ChargePointId, transactionId, ownerChargePointId);
    }

    /// <summary>
    /// Reads a DataTransfer payload (<c>vendorId</c>, <c>messageId</c>, <c>data</c>: a string in 1.6, any JSON in
    /// 2.x) and writes the answer's <c>status</c> and <c>data</c> from the vendor's handler.
    /// </summary>
    protected void AnswerDataTransfer(ChargerSession session, Utf8JsonReader fields, Utf8JsonWriter writer)
    {
        string? vendorId = null, messageId = null, data = null;
        while (fields.Read() && fields.TokenType == JsonTokenType.PropertyName)
        {
            string name = fields.GetString()!;
            fields.Read();
            switch (name)
            {
                case "vendorId": vendorId = fields.GetString(); break;
                case "messageId": messageId = fields.GetString(); break;
                case "data":
                    using (JsonDocument value = JsonDocument.ParseValue(ref fields))
                    {
                        data = value.RootElement.ValueKind == JsonValueKind.String ? value.RootElement.GetString() : value.RootElement.GetRawText();
                    }

                    break;
                default: fields.Skip(); break;
            }
        }

        (DataTransferStatus status, string? responseData) = vendorId is not null && Vendors.TryGetValue(vendorId, out IDataTransferHandler? handler)
            ? handler.Handle(session.Connection.ChargePointId, messageId, data)
            : (DataTransferStatus.UnknownVendorId, null);
        writer.WriteString("status"u8, status.ToString());
        if (responseData is not null)
        {
            writer.WriteString("data"u8, responseData);
        }
    }

    /// <summary>
    /// SignCertificate (1.6 security extension: <c>csr</c>; 2.x: <c>csr</c>, <c>certificateType</c>): true when the
    /// configured CA accepted the CSR for signing; the signed chain then follows in a CertificateSigned CALL.
    /// </summary>
    protected static bool RequestCertificate(ChargerSession session, Utf8JsonReader fields)
    {
        string? csr = null, certificateType = null;
        while (fields.Read() && fields.TokenType == JsonTokenType.PropertyName)
        {
            bool isCsr = fields.ValueTextEquals("csr"u8);
            bool isType = fields.ValueTextEquals("certificateType"u8);
            fields.Read();
            if (isCsr) csr = fields.GetString();
            else if (isType) certificateType = fields.GetString();
            else fields.Skip();
        }

        Server.OcppConnection connection = session.Connection;
        return connection.Security.CertificateSigning?.Request(connection.ChargePointId, connection.Version, csr, certificateType) == true;
    }

    protected static void WriteEmpty(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    protected static void WriteCurrentTime(Utf8JsonWriter writer, long now) =>
        writer.WriteString("currentTime"u8, DateTimeOffset.FromUnixTimeMilliseconds(now).UtcDateTime);

    internal static int ReadInt32(ref Utf8JsonReader p, string field) =>
        p.TryGetInt32(out int value) ? value : throw new OcppPayloadException(Rpc.OcppErrorCode.PropertyConstraintViolation, field + " is out of the 32-bit integer range");
}

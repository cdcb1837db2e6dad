using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.Handlers.Ocpp16;
using EvCloud.Fast.Ocpp.Handlers.Ocpp2;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// Routes charger CALLs: resolve the action for the connection's version (unknown → NotImplemented), check
/// the direction (a CSMS-initiated action sent by a charger → NotSupported), validate the payload against
/// the official schema (→ the version's constraint error), check the registration gate, then hand the
/// still-unread payload to the version's handler.
/// </summary>
public sealed partial class OcppDispatcher : IOcppDispatcher
{
    private readonly OcppSchemaSet _schemas;
    private readonly StorageEngine _storage;
    private readonly ChargerOptions _chargers;
    private readonly OcppMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<OcppDispatcher> _logger;
    private readonly EventRecorder _recorder;
    private readonly Ocpp16Handler _ocpp16;
    private readonly Ocpp2Handler _ocpp2;
    private readonly ChargerRegistrations _registrations;
    private readonly DeviceModel.DeviceModelStore _deviceModels;
    private readonly Diagnostics.LogRateLimiter _bootLines;

    /// <summary>Creates the dispatcher.</summary>
    public OcppDispatcher(
        OcppSchemaSet schemas,
        StorageEngine storage,
        ChargerOptions chargers,
        Authorization.TokenStore tokens,
        ChargerRegistrations registrations,
        DeviceModel.DeviceModelStore deviceModels,
        IEnumerable<IDataTransferHandler> dataTransferHandlers,
        OcppMetrics metrics,
        TimeProvider time,
        ILogger<OcppDispatcher> logger,
        Diagnostics.LogRateLimitOptions? logLimits = null)
    {
        _schemas = schemas;
        _storage = storage;
        _chargers = chargers;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _bootLines = (logLimits ?? new Diagnostics.LogRateLimitOptions()).Create(logger, "boot", time);
        _registrations = registrations;
        _deviceModels = deviceModels;
        var recorder = _recorder = new EventRecorder(storage);
        _ocpp16 = new Ocpp16Handler(recorder, tokens, this, dataTransferHandlers, time);
        _ocpp2 = new Ocpp2Handler(recorder, tokens, deviceModels, this, dataTransferHandlers, time);
        foreach (byte[] idTag in storage.State.OpenTransactionIdTags())
        {
            tokens.TransactionOpened(idTag);
        }
    }

    /// <summary>The registration status a BootNotification from <paramref name="chargePointId"/> gets.</summary>
    internal RegistrationStatus DecideRegistration(string chargePointId) => _registrations.Decide(chargePointId);

    internal ChargerOptions Chargers => _chargers;

    private static string VersionName(OcppVersion version) => version switch
    {
        OcppVersion.Ocpp16 => "OCPP 1.6",
        OcppVersion.Ocpp201 => "OCPP 2.0.1",
        OcppVersion.Ocpp21 => "OCPP 2.1",
        _ => version.ToString(),
    };

    /// <inheritdoc />
    public void OnConnected(OcppConnection connection)
    {
        RegistrationStatus registration = RegistrationStatus.Unknown;
        if (_storage.State.TryGetCharger(connection.ChargePointIdUtf8, out ChargerState state))
        {
            registration = (RegistrationStatus)state.RegistrationStatus;
        }

        if (_chargers.BootPolicy == BootPolicy.AutoAccept && registration == RegistrationStatus.Unknown)
        {
            // A charger that was Accepted by another CSMS (or before a factory reset) may not boot again
            // after connecting; under AutoAccept it is welcome without one.
            registration = RegistrationStatus.Accepted;
        }

        connection.HandlerState = new ChargerSession(connection, _storage.Log, registration);
        _deviceModels.ForgetPending(connection.ChargePointId); // parts sent over an earlier connection will not be completed
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteChargerConnected(buffer, now, connection.ChargePointIdUtf8, (byte)connection.Version, System.Text.Encoding.UTF8.GetBytes(connection.RemoteEndPoint ?? ""));
        _recorder.Record(buffer);
        _storage.State.Touch(connection.ChargePointIdUtf8, now, online: true);
    }

    /// <inheritdoc />
    public void OnDisconnected(OcppConnection connection, ushort closeCode)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        ArrayBufferWriter<byte> buffer = EventRecorder.Buffer();
        EventWriter.WriteChargerDisconnected(buffer, now, connection.ChargePointIdUtf8, closeCode);
        if (!connection.Replaced)
        {
            // A replaced connection's successor has already started afresh (OnConnected); its parts are not ours.
            _deviceModels.ForgetPending(connection.ChargePointId);
        }

        try
        {
            _recorder.Record(buffer);
            _storage.State.Touch(connection.ChargePointIdUtf8, now, online: connection.Replaced);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down after storage closed (a crash drill, or a forced stop): nothing left to record into.
        }
    }

    /// <inheritdoc />
    public long OnCall(OcppConnection connection, scoped in OcppFrameHeader header, ref Utf8JsonReader payload, in ReadOnlySequence<byte> message, OcppMessageWriter writer)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var session = (ChargerSession)connection.HandlerState!;
        if (!_schemas.TryGetAction(connection.Version, header.Action, out OcppAction? action))
        {
            _metrics.Message(connection.Version);
            return Error(connection, header.MessageId, OcppErrorCode.NotImplemented, "Unknown action", writer);
        }

        if (connection.MayDefer)
        {
            _metrics.Message(action); // a deferred CALL handled again was counted the first time
        }

        bool fromCharger = connection.Version == OcppVersion.Ocpp16
            ? Ocpp16Handler.IsChargerInitiated(action.Name)
            : Ocpp2Handler.IsChargerInitiated(action.Name, connection.Version);
        if (!fromCharger || action.Request is null)
        {
            return Error(connection, header.MessageId, OcppErrorCode.NotSupported, action.Name + " is not accepted from a charger", writer);
        }

        // 2.1 Part 4: a message without a response (NotifyPeriodicEventStream) travels as SEND, everything else as CALL.
        if ((action.Response is null) != (header.Type == OcppMessageType.Send))
        {
            return Error(connection, header.MessageId, OcppErrorCode.ProtocolError,
                action.Response is null ? action.Name + " must be sent as SEND (6)" : action.Name + " must be sent as CALL (2)", writer);
        }

        Utf8JsonReader validating = payload;
        if (!action.Request.TryValidate(ref validating, out OcppValidationError violation))
        {
            return Error(connection, header.MessageId, violation.Code, violation.Description, writer);
        }

        if (!OcppJFrameReader.TryReadEnd(ref validating))
        {
            return Error(connection, header.MessageId, OcppErrorCode.FormatViolation, "Unexpected content after the payload", writer);
        }

        if (session.Registration is RegistrationStatus.Rejected or RegistrationStatus.Pending or RegistrationStatus.Unknown
            && action.Name != Ocpp16Handler.BootNotificationName)
        {
            // A charger that is not Accepted may only boot (OCPP 1.6 §4.2, 2.0.1 B02/B03: SecurityError).
            return Error(connection, header.MessageId, OcppErrorCode.SecurityError, "BootNotification not accepted; boot first", writer);
        }

        try
        {
            writer.StartCallResult(header.MessageId);
            long address = connection.Version == OcppVersion.Ocpp16
                ? _ocpp16.Handle(session, action.Name, ref payload, message, writer.Json)
                : _ocpp2.Handle(session, action.Name, ref payload, message, writer.Json);
            writer.EndMessage();
            _metrics.MessageHandled(action, started);
            return address;
        }
        catch (OcppPayloadException ex)
        {
            return Error(connection, header.MessageId, ex.Code, ex.Message, writer);
        }
        catch (OwnerAnswerPendingException pending)
        {
            // The token's owner decides online (OCPI real-time authorization): nothing was written or recorded, and
            // the receive loop handles this CALL again once the owner answered.
            writer.Reset();
            connection.Defer(pending.Until);
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHandlerFailure(_logger, ex, action.Name, connection.ChargePointId);
            return Error(connection, header.MessageId, OcppErrorCode.InternalError, "The server could not process " + action.Name, writer);
        }
    }

    private long Error(OcppConnection connection, ReadOnlySpan<byte> messageId, OcppErrorCode code, string description, OcppMessageWriter writer)
    {
        _metrics.CallError(code);
        writer.WriteCallError(messageId, code, connection.Version, description);
        return 0;
    }

    /// <inheritdoc />
    public bool ValidateResponse(OcppConnection connection, string action, ref Utf8JsonReader payload, out string? error)
    {
        if (_schemas.TryGetAction(connection.Version, System.Text.Encoding.UTF8.GetBytes(action), out OcppAction? a) && a.Response is { } schema)
        {
            bool ok = schema.TryValidate(ref payload, out OcppValidationError violation);
            error = ok ? null : violation.Code + ": " + violation.Description;
            return ok;
        }

        error = "No response schema for " + action;
        return false;
    }

    /// <inheritdoc />
    public bool ValidateRequest(OcppConnection connection, string action, ReadOnlySpan<byte> payloadJson, out OcppErrorCode code, out string? error) =>
        ValidateRequest(connection.Version, action, payloadJson, out code, out error);

    /// <summary>
    /// Checks a command an application wants to send to a charger of <paramref name="version"/>: the action exists in
    /// that version, the server may initiate it (DataTransfer goes both ways), and the payload satisfies its schema.
    /// </summary>
    public bool ValidateCommand(OcppVersion version, string action, ReadOnlySpan<byte> payloadJson, out OcppErrorCode code, out string? error)
    {
        if (!IsCommand(version, action))
        {
            code = OcppErrorCode.NotSupported;
            error = action + " is sent by chargers, not to them";
            return false;
        }

        return ValidateRequest(version, action, payloadJson, out code, out error);
    }

    /// <summary>
    /// Whether the server may send <paramref name="action"/> to a charger of <paramref name="version"/>: every action
    /// chargers do not initiate, and DataTransfer, which goes both ways.
    /// </summary>
    public static bool IsCommand(OcppVersion version, string action) =>
        action == "DataTransfer"
        || !(version == OcppVersion.Ocpp16 ? Ocpp16Handler.IsChargerInitiated(action) : Ocpp2Handler.IsChargerInitiated(action, version));

    private bool ValidateRequest(OcppVersion version, string action, ReadOnlySpan<byte> payloadJson, out OcppErrorCode code, out string? error)
    {
        if (!_schemas.TryGetAction(version, System.Text.Encoding.UTF8.GetBytes(action), out OcppAction? a) || a.Request is null)
        {
            code = OcppErrorCode.NotImplemented;
            error = action + " does not exist in " + VersionName(version);
            return false;
        }

        var reader = new Utf8JsonReader(payloadJson);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                code = OcppErrorCode.FormatViolation;
                error = "The payload must be a JSON object";
                return false;
            }

            if (!a.Request.TryValidate(ref reader, out OcppValidationError violation))
            {
                code = violation.Code;
                error = violation.Description;
                return false;
            }
        }
        catch (JsonException ex)
        {
            code = OcppErrorCode.FormatViolation;
            error = ex.Message;
            return false;
        }

        code = OcppErrorCode.None;
        error = null;
        return true;
    }

    /// <inheritdoc />
    public ValueTask WaitDurableAsync(OcppConnection connection, long address) =>
        ((ChargerSession)connection.HandlerState!).Waiter.WaitDurableAsync(address);

    /// <summary>Logs a BootNotification's decision (rate-limited: a fleet reboots together after an outage).</summary>
    internal void BootRecorded(OcppConnection connection, RegistrationStatus status, ChargerIdentity boot)
    {
        if (_logger.IsEnabled(LogLevel.Information) && _bootLines.TryAcquire())
        {
            LogBoot(_logger, connection.ChargePointId, status, boot.Vendor, boot.Model, boot.FirmwareVersion, VersionName(connection.Version));
        }
    }

    /// <summary>Counts and logs a message that named another charger's transaction (the handler recorded the event).</summary>
    internal void ForeignTransaction(string action, string chargePointId, string transactionId, string ownerChargePointId)
    {
        _metrics.ForeignTransaction(action);
        LogForeignTransaction(_logger, action, chargePointId, transactionId, ownerChargePointId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Boot of {ChargePointId} {Registration}: {Vendor} {Model}, firmware {FirmwareVersion}, {OcppVersion}")]
    private static partial void LogBoot(ILogger logger, string chargePointId, RegistrationStatus registration, string? vendor, string? model, string? firmwareVersion, string ocppVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} from {ChargePointId} named transaction {TransactionId} of {OwnerChargePointId}; refused, nothing applied")]
    private static partial void LogForeignTransaction(ILogger logger, string action, string chargePointId, string transactionId, string ownerChargePointId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Action} from {ChargePointId} failed")]
    private static partial void LogHandlerFailure(ILogger logger, Exception exception, string action, string chargePointId);
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;
using MessagePack;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>The immediate answer to a command and its OCPI status (1000, 2001, 2003).</summary>
public readonly record struct CommandReception(CommandResponse Response, int StatusCode, string? Message);

/// <summary>
/// CPO Commands Receiver (OCPI 2.2.1 §13.2.1): checks a command against our locations, sessions and the partner's
/// parties, answers at once with a CommandResponse, and — when ACCEPTED — sends the OCPP command through the
/// <see cref="CommandService"/> (which records it in the audit trail) and POSTs the charger's answer as a
/// CommandResult to the partner's <c>response_url</c> (§13.2.2).
/// </summary>
/// <remarks>
/// Session ids: until the Sessions module publishes sessions, the OCPI session id of a transaction at our chargers is
/// our transaction id (the integer the gateway assigns, in decimal), which STOP_SESSION resolves to the charger's own
/// transaction id (1.6: the same integer; 2.x: the station's transactionId).
/// </remarks>
public sealed partial class CommandReceiver
{
    /// <summary>Document collection mapping OCPI reservation ids to the charger and OCPP reservation id.</summary>
    public const string ReservationCollection = "ocpi-cpo-reservations";

    private readonly LocationCatalog _locations;
    private readonly CommandService _commands;
    private readonly RoamingTokenStore _tokens;
    private readonly OcpiClient _client;
    private readonly OcpiOptions _options;
    private readonly StorageEngine _storage;
    private readonly PartnerRegistry _partners;
    private readonly ILogger<CommandReceiver> _logger;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<string, string> _startedBy = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private int _remoteStartId = (Environment.TickCount & 0x0FFFFFFF) + 1;

    /// <summary>Creates the receiver.</summary>
    public CommandReceiver(
        LocationCatalog locations, CommandService commands, RoamingTokenStore tokens, OcpiClient client, OcpiOptions options, StorageEngine storage,
        PartnerRegistry partners, IHostApplicationLifetime lifetime, ILogger<CommandReceiver> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _locations = locations;
        _commands = commands;
        _tokens = tokens;
        _client = client;
        _options = options;
        _storage = storage;
        _partners = partners;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
    }

    /// <summary>Results still being delivered (tests wait on them; shutdown does not).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The command types of §13.4.2.</summary>
    public static readonly string[] CommandTypes = ["CANCEL_RESERVATION", "RESERVE_NOW", "START_SESSION", "STOP_SESSION", "UNLOCK_CONNECTOR"];

    /// <summary>Handles one command from <paramref name="caller"/>.</summary>
    public async Task<CommandReception> ReceiveAsync(OcpiCaller caller, OcpiVersionNumber version, string command, OcpiCommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (Client.PartnerAddressGuard.RefuseUrl(request.ResponseUrl, _options.AllowPrivateAddresses) is { } refusedUrl)
        {
            return Refuse(version, OcpiStatus.InvalidParameters, "REJECTED", "response_url " + refusedUrl);
        }

        return command switch
        {
            "START_SESSION" => StartSession(caller, version, request),
            "STOP_SESSION" => StopSession(caller, version, request),
            "RESERVE_NOW" => await ReserveNowAsync(caller, version, request).ConfigureAwait(false),
            "CANCEL_RESERVATION" => CancelReservation(caller, version, request),
            "UNLOCK_CONNECTOR" => UnlockConnector(caller, version, request),
            _ => Refuse(version, OcpiStatus.InvalidParameters, "NOT_SUPPORTED", $"Unknown command '{command}'."),
        };
    }

    private CommandReception StartSession(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request)
    {
        if (request.Token?.Uid is not { Length: > 0 } uid || request.LocationId is null)
        {
            return Refuse(version, OcpiStatus.InvalidParameters, "REJECTED", "token and location_id are required.");
        }

        // 2.2.1: the token must be one of the sending eMSP's own (§13.4.1 REJECTED: "might not be from a customer of the eMSP").
        if (version == OcpiVersionNumber.V221 && !caller.Partner.HasParty(request.Token.CountryCode, request.Token.PartyId))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", "The token does not belong to a party of this partner.");
        }

        if (!TryResolve(request.LocationId, request.EvseUid, out EvseConfiguration? evse, out CommandReception? failure, version))
        {
            return failure!.Value;
        }

        return Dispatch(caller, version, request, "START_SESSION", evse!.ChargePointId, charger =>
        {
            int remoteStartId = Interlocked.Increment(ref _remoteStartId) & 0x3FFFFFFF;
            _tokens.Grant(uid, DateTimeOffset.UtcNow + _options.StartSessionGrant);
            _startedBy[uid] = caller.Partner.Id;
            RecordStart(caller.Partner, request, evse.ChargePointId);
            return ChargerCommands.StartCharging(charger, new StartChargingRequest { IdTag = uid, ConnectorId = evse.ConnectorId }, remoteStartId);
        });
    }

    /// <summary>
    /// Tells the Sessions module that the transaction this token starts at this charger is the command's: auth_method
    /// COMMAND, the eMSP's authorization_reference, and the eMSP it reports to (§9.3.1). Appended to the log before the
    /// charger hears of the command, so the log's consumers always read it before the transaction's start.
    /// </summary>
    private void RecordStart(OcpiPartner partner, OcpiCommandRequest request, string chargerId)
    {
        OcpiToken token = request.Token!;
        PartnerRole? party = partner.Roles.Find(r => r.Role is null or "EMSP");
        var start = new SessionStart
        {
            PartnerId = partner.Id,
            CountryCode = token.CountryCode ?? party?.CountryCode ?? "",
            PartyId = token.PartyId ?? party?.PartyId ?? "",
            Type = token.Type ?? "RFID",
            ContractId = token.ContractId ?? token.AuthId ?? token.Uid!,
            AuthorizationReference = request.AuthorizationReference,
            ExpiresMs = (DateTimeOffset.UtcNow + _options.StartSessionGrant).ToUnixTimeMilliseconds(),
            ChargerId = chargerId,
        };
        Task write = _storage.PutDocumentAsync(RoamingContext.StartCollection, token.Uid!.ToUpperInvariant(), MessagePackSerializer.Serialize(start), _stopping).AsTask();
        _ = write.ContinueWith(t => LogStartNotRecorded(_logger, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private CommandReception StopSession(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request)
    {
        if (request.SessionId is null || !int.TryParse(request.SessionId, NumberStyles.None, CultureInfo.InvariantCulture, out int transactionId)
            || _storage.State.GetTransaction(transactionId) is not { } transaction || transaction.Status != TransactionStatus.Open)
        {
            return Refuse(version, OcpiStatus.Success, "UNKNOWN_SESSION", $"No running session '{request.SessionId}'.");
        }

        if (!IsPartnersToken(caller.Partner, transaction.IdTag))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", "The session was not started with a token of this partner.");
        }

        return Dispatch(caller, version, request, "STOP_SESSION", transaction.ChargerId, charger =>
            ChargerCommands.StopCharging(charger, new StopChargingRequest
            {
                TransactionId = charger == OcppVersion.Ocpp16 ? transaction.TransactionId.ToString(CultureInfo.InvariantCulture) : transaction.ExternalId,
            }));
    }

    private async Task<CommandReception> ReserveNowAsync(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request)
    {
        if (request.Token?.Uid is not { Length: > 0 } uid || request.LocationId is null || request.ReservationId is not { Length: > 0 and <= 36 } reservationId || request.ExpiryDate is not { } expiry)
        {
            return Refuse(version, OcpiStatus.InvalidParameters, "REJECTED", "token, expiry_date, reservation_id and location_id are required.");
        }

        if (version == OcpiVersionNumber.V221 && !caller.Partner.HasParty(request.Token.CountryCode, request.Token.PartyId))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", "The token does not belong to a party of this partner.");
        }

        if (!TryResolve(request.LocationId, request.EvseUid, out EvseConfiguration? evse, out CommandReception? failure, version, pickAny: request.EvseUid is null))
        {
            return failure!.Value;
        }

        int ocppId = OcppReservationId(reservationId);
        if (!_commands.IsOnline(evse!.ChargePointId))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", "The charger is offline.");
        }

        // Durable before the charger hears of it, so CANCEL_RESERVATION finds it even after a restart.
        await _storage.PutDocumentAsync(
            ReservationCollection,
            ReservationKey(caller.Partner, reservationId),
            MessagePackSerializer.Serialize(new ReservationLink { ChargerId = evse.ChargePointId, OcppReservationId = ocppId }),
            _stopping).ConfigureAwait(false);
        return Dispatch(caller, version, request, "RESERVE_NOW", evse.ChargePointId, charger =>
        {
            _tokens.Grant(uid, expiry);
            _startedBy[uid] = caller.Partner.Id;
            return ChargerCommands.ReserveNow(charger, new ReserveNowRequest
            {
                // No EVSE asked for: connector 0 reserves any connector of the charger (1.6 §5.13).
                ConnectorId = request.EvseUid is null ? 0 : evse.ConnectorId,
                IdTag = uid,
                ExpiresAt = expiry,
                ReservationId = ocppId,
                ParentIdTag = request.Token.GroupId,
            });
        });
    }

    private CommandReception CancelReservation(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request)
    {
        if (request.ReservationId is not { Length: > 0 } reservationId)
        {
            return Refuse(version, OcpiStatus.InvalidParameters, "REJECTED", "reservation_id is required.");
        }

        if (!_storage.Documents.TryGet(ReservationCollection, ReservationKey(caller.Partner, reservationId), out byte[]? value))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", $"Unknown reservation '{reservationId}'.");
        }

        ReservationLink link = MessagePackSerializer.Deserialize<ReservationLink>(value);
        return Dispatch(caller, version, request, "CANCEL_RESERVATION", link.ChargerId, charger =>
            ChargerCommands.CancelReservation(charger, new CancelReservationRequest { ReservationId = link.OcppReservationId }));
    }

    private CommandReception UnlockConnector(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request)
    {
        if (request.LocationId is null || request.EvseUid is null || request.ConnectorId is null)
        {
            return Refuse(version, OcpiStatus.InvalidParameters, "REJECTED", "location_id, evse_uid and connector_id are required.");
        }

        if (!TryResolve(request.LocationId, request.EvseUid, out EvseConfiguration? evse, out CommandReception? failure, version))
        {
            return failure!.Value;
        }

        ConnectorConfiguration? connector = evse!.Connectors.Find(c => string.Equals(c.Id, request.ConnectorId, StringComparison.OrdinalIgnoreCase));
        if (connector is null)
        {
            return Refuse(version, OcpiStatus.UnknownLocation, "REJECTED", $"Unknown connector '{request.ConnectorId}'.");
        }

        int connectorNumber = int.TryParse(connector.Id, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;
        return Dispatch(caller, version, request, "UNLOCK_CONNECTOR", evse.ChargePointId, charger =>
            ChargerCommands.UnlockConnector(charger, charger == OcppVersion.Ocpp16
                ? new UnlockConnectorRequest { ConnectorId = evse.ConnectorId }
                : new UnlockConnectorRequest { EvseId = evse.ConnectorId, ConnectorId = connectorNumber }));
    }

    /// <summary>
    /// The EVSE a command addresses: the one named, or — when none is and <paramref name="pickAny"/> — the first EVSE of
    /// the location whose charger is online and connector AVAILABLE. Unknown location or EVSE: 2003 (§5, "Unknown Location").
    /// </summary>
    private bool TryResolve(string locationId, string? evseUid, out EvseConfiguration? evse, out CommandReception? failure, OcpiVersionNumber version, bool pickAny = true)
    {
        evse = null;
        failure = null;
        LocationConfiguration? location = _locations.Find(locationId);
        if (location is null)
        {
            failure = Refuse(version, OcpiStatus.UnknownLocation, "REJECTED", $"Unknown location '{locationId}'.");
            return false;
        }

        if (evseUid is not null)
        {
            evse = LocationCatalog.FindEvse(location, evseUid);
        }
        else if (pickAny)
        {
            OcpiLocation? built = _locations.Build(location.Id);
            string? available = built?.Evses?.Find(e => e.Status == "AVAILABLE")?.Uid;
            evse = available is null ? (location.Evses.Count == 1 ? location.Evses[0] : null) : LocationCatalog.FindEvse(location, available);
        }

        if (evse is null)
        {
            failure = evseUid is null
                ? Refuse(version, OcpiStatus.Success, "REJECTED", "No EVSE of this location is available; name one in evse_uid.")
                : Refuse(version, OcpiStatus.UnknownLocation, "REJECTED", $"Unknown EVSE '{evseUid}' at location '{locationId}'.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Builds the OCPP command for the charger's version, answers ACCEPTED, and delivers the result in the background.
    /// An offline charger, or a command its version cannot express, is REJECTED at once (the CPO knows it cannot send it).
    /// </summary>
    private CommandReception Dispatch(OcpiCaller caller, OcpiVersionNumber version, OcpiCommandRequest request, string type, string chargerId, Func<OcppVersion, OcppCommand> build)
    {
        OcppVersion? charger = _commands.VersionOf(chargerId);
        if (charger is null || !_commands.IsOnline(chargerId))
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", "The charger is offline.");
        }

        OcppCommand command;
        try
        {
            command = build(charger.Value);
        }
        catch (CommandRequestException e)
        {
            return Refuse(version, OcpiStatus.Success, "REJECTED", e.Message);
        }

        OcpiPartner partner = caller.Partner;
        string responseUrl = request.ResponseUrl!;
        Task delivery = Task.Run(() => ExecuteAndReportAsync(partner, version, type, chargerId, charger.Value, command, responseUrl), CancellationToken.None);
        _inFlight.TryAdd(delivery, 0);
        _ = delivery.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        var response = new CommandResponse { Result = "ACCEPTED", Timeout = version == OcpiVersionNumber.V221 ? (int)_options.CommandResultTimeout.TotalSeconds : null };
        return new CommandReception(response, OcpiStatus.Success, null);
    }

    private async Task ExecuteAndReportAsync(OcpiPartner partner, OcpiVersionNumber version, string type, string chargerId, OcppVersion charger, OcppCommand command, string responseUrl)
    {
        string result;
        string? message = null;
        try
        {
            CommandExecution execution = await _commands.SendAsync(chargerId, command.Action, command.PayloadJson, "ocpi:" + partner.Id, cancellationToken: _stopping).ConfigureAwait(false);
            (result, message) = MapResult(type, charger, command.Action, execution.Result);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // The partner record may have changed (token update) since the command arrived.
        if (_partners.Get(partner.Id) is not { Registered: true } current)
        {
            return;
        }

        OcpiTarget target = OcpiTarget.For(current, "EMSP");
        OcpiClientResponse<JsonElement> answer;
        if (version == OcpiVersionNumber.V221)
        {
            var body = new CommandResult { Result = result, Message = message is null ? null : [new DisplayText { Language = "en", Text = message }] };
            answer = await _client.SendAsync(target, HttpMethod.Post, responseUrl, body, OcpiJsonContext.Default.CommandResult, OcpiJsonContext.Default.JsonElement, routed: true, _stopping).ConfigureAwait(false);
        }
        else
        {
            // 2.1.1 §13.3.1: the asynchronous answer is a CommandResponse whose result is the charger's outcome.
            var body = new CommandResponse { Result = result is "ACCEPTED" or "REJECTED" or "TIMEOUT" or "NOT_SUPPORTED" ? result : "REJECTED" };
            answer = await _client.SendAsync(target, HttpMethod.Post, responseUrl, body, OcpiJsonContext.Default.CommandResponse, OcpiJsonContext.Default.JsonElement, routed: false, _stopping).ConfigureAwait(false);
        }

        if (!answer.IsSuccess)
        {
            LogResultNotDelivered(_logger, type, partner.Id, responseUrl, answer.HttpStatus, answer.StatusCode);
        }
    }

    /// <summary>OCPP outcome → CommandResultType (OCPI 2.2.1 §13.4.3).</summary>
    public static (string Result, string? Message) MapResult(string type, OcppVersion version, string action, OcppCallResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Status)
        {
            case OcppCallStatus.Completed when result.Payload is { } payload:
                CommandAnswer answer = ChargerCommands.ReadAnswer(version, action, payload);
                if (answer.Accepted)
                {
                    return ("ACCEPTED", null);
                }

                string why = "The charger answered " + answer.Status + (answer.StatusInfo is { } info ? " (" + info.ReasonCode + ")" : "") + ".";
                return (answer.Status switch
                {
                    "Occupied" => "EVSE_OCCUPIED",
                    "Faulted" or "Unavailable" => "EVSE_INOPERATIVE",
                    "NotSupported" => "NOT_SUPPORTED",
                    "Rejected" when type == "CANCEL_RESERVATION" => "UNKNOWN_RESERVATION",
                    "Rejected" => "REJECTED",
                    _ => "FAILED",
                }, why);
            case OcppCallStatus.Timeout:
                return ("TIMEOUT", "The charger did not answer in time.");
            case OcppCallStatus.CallError when result.ErrorCode is "NotSupported" or "NotImplemented":
                return ("NOT_SUPPORTED", "The charger does not support " + action + ".");
            default:
                return ("FAILED", "The command failed: " + result.Status + (result.ErrorCode is null ? "" : " " + result.ErrorCode) + ".");
        }
    }

    private bool IsPartnersToken(OcpiPartner partner, string? idTag)
    {
        if (idTag is null)
        {
            return false;
        }

        if (_startedBy.TryGetValue(idTag, out string? partnerId) && partnerId == partner.Id)
        {
            return true;
        }

        return partner.Roles.Exists(r => _tokens.BelongsTo(idTag, r.CountryCode, r.PartyId));
    }

    /// <summary>
    /// OCPP reservation ids are integers; OCPI's are CiString(36). A decimal id that fits is used as is, anything
    /// else maps to a stable non-negative integer (first 31 bits of its SHA-256).
    /// </summary>
    public static int OcppReservationId(string reservationId)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        if (int.TryParse(reservationId, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(reservationId.ToUpperInvariant()), hash);
        return (int)(BitConverter.ToUInt32(hash) & 0x7FFFFFFF);
    }

    private static string ReservationKey(OcpiPartner partner, string reservationId) => (partner.Id + "/" + reservationId).ToUpperInvariant();

    private static CommandReception Refuse(OcpiVersionNumber version, int statusCode, string result, string message) =>
        new(
            new CommandResponse
            {
                Result = result,
                Timeout = version == OcpiVersionNumber.V221 ? 0 : null,
                Message = version == OcpiVersionNumber.V221 ? [new DisplayText { Language = "en", Text = message }] : null,
            },
            statusCode,
            message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "START_SESSION could not be recorded for the Sessions module: {Reason}")]
    private static partial void LogStartNotRecorded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI {Command} result for partner {PartnerId} not delivered to {ResponseUrl}: HTTP {HttpStatus} / {StatusCode}")]
    private static partial void LogResultNotDelivered(ILogger logger, string command, string partnerId, string responseUrl, int httpStatus, int statusCode);
}

/// <summary>Where an OCPI reservation lives at our chargers.</summary>
[MessagePackObject]
public sealed class ReservationLink
{
    /// <summary>The charger holding it.</summary>
    [Key(0)]
    public string ChargerId { get; set; } = "";

    /// <summary>The OCPP reservation id sent to it.</summary>
    [Key(1)]
    public int OcppReservationId { get; set; }
}

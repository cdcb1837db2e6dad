using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>A command we sent to a CPO and what became of it (MessagePack, collection <c>ocpi-emsp-commands</c>).</summary>
[MessagePackObject]
public sealed class SentCommand
{
    /// <summary>Our id, the last segment of the response_url.</summary>
    [Key(0)]
    public string Id { get; set; } = "";

    /// <summary>The CPO partner.</summary>
    [Key(1)]
    public string PartnerId { get; set; } = "";

    /// <summary>CommandType.</summary>
    [Key(2)]
    public string Type { get; set; } = "";

    /// <summary>The request body as sent.</summary>
    [Key(3)]
    public byte[] RequestJson { get; set; } = [];

    /// <summary>CommandResponse.result (or the transport failure: <c>FAILED</c>).</summary>
    [Key(4)]
    public string? Response { get; set; }

    /// <summary>Why, when the CPO said so, or the OCPI status of a refused request.</summary>
    [Key(5)]
    public string? ResponseMessage { get; set; }

    /// <summary>CommandResult.result once the CPO POSTed it.</summary>
    [Key(6)]
    public string? Result { get; set; }

    /// <summary>CommandResult.message (first text).</summary>
    [Key(7)]
    public string? ResultMessage { get; set; }

    /// <summary>When sent (Unix ms).</summary>
    [Key(8)]
    public long CreatedMs { get; set; }

    /// <summary>When the result arrived (Unix ms), 0 before.</summary>
    [Key(9)]
    public long ResultMs { get; set; }

    /// <summary>CommandResponse.timeout in seconds.</summary>
    [Key(10)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>
    /// Results that arrived after the outcome was final (a second CommandResult, or one for a command the CPO did not
    /// accept): kept for the operator, never applied.
    /// </summary>
    [Key(11)]
    public List<string> Anomalies { get; set; } = [];
}

/// <summary>What became of a received CommandResult.</summary>
public enum CommandResultReception
{
    /// <summary>No command of that type and id was sent to this partner.</summary>
    Unknown,

    /// <summary>Recorded as the command's outcome.</summary>
    Recorded,

    /// <summary>The outcome was already final: recorded as an anomaly, not applied.</summary>
    Anomaly,
}

/// <summary>
/// eMSP Commands Sender (OCPI 2.2.1 §13.2.2): sends START_SESSION, STOP_SESSION, RESERVE_NOW, CANCEL_RESERVATION and
/// UNLOCK_CONNECTOR to a CPO partner with a unique <c>response_url</c> per command, records the CPO's CommandResponse,
/// and receives its asynchronous CommandResult there. A 2.1.1 CPO (mod_commands §2) gets the 2.1.1 bodies and a 2.1.1
/// response_url, where its asynchronous answer is a CommandResponse; both land in the same record.
/// </summary>
public sealed partial class CommandSender
{
    /// <summary>At most this many anomalies are kept per command (a CPO repeating itself must not grow the record).</summary>
    private const int MaxAnomalies = 10;

    /// <summary>Document collection.</summary>
    public const string Collection = "ocpi-emsp-commands";

    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly OcpiUrls _urls;
    private readonly StorageEngine _storage;
    private readonly ILogger<CommandSender> _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SentCommand>> _waiters = new(StringComparer.Ordinal);

    /// <summary>
    /// Serialises the read-modify-write of a command record: a fast CPO's result can arrive while its CommandResponse
    /// is being recorded, and one write must not undo the other (commands are rare: one lock for all is enough).
    /// </summary>
    private readonly SemaphoreSlim _update = new(1, 1);

    /// <summary>Creates the sender.</summary>
    public CommandSender(PartnerRegistry partners, OcpiClient client, OcpiUrls urls, StorageEngine storage, ILogger<CommandSender> logger)
    {
        _logger = logger;
        _partners = partners;
        _client = client;
        _urls = urls;
        _storage = storage;
    }

    /// <summary>The command with this id.</summary>
    public SentCommand? Get(string id) =>
        _storage.Documents.TryGet(Collection, id, out byte[]? value) ? MessagePackSerializer.Deserialize<SentCommand>(value) : null;

    /// <summary>
    /// Why <paramref name="type"/> with <paramref name="request"/> cannot be sent to <paramref name="partner"/> in its
    /// OCPI version, or null when it can. 2.1.1 (mod_commands §4.2) has no CANCEL_RESERVATION and its reservation_id
    /// is an int (§3.2).
    /// </summary>
    public static string? CannotSend(OcpiPartner partner, string type, OcpiCommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(request);
        if (partner.Version is not (OcpiVersionNumber.V221 or OcpiVersionNumber.V211))
        {
            return "The partner has no agreed OCPI version.";
        }

        if (partner.Version == OcpiVersionNumber.V211)
        {
            if (type == "CANCEL_RESERVATION")
            {
                return "OCPI 2.1.1 has no CANCEL_RESERVATION command.";
            }

            if (type == "RESERVE_NOW" && !int.TryParse(request.ReservationId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return "A 2.1.1 CPO takes an integer reservation id.";
            }
        }

        return null;
    }

    /// <summary>
    /// Sends <paramref name="request"/> (everything but response_url) to <paramref name="partner"/>'s Commands Receiver,
    /// in the partner's version: 2.2.1 (§13.3), or 2.1.1 (mod_commands §3: a 2.1.1 Token, the answer a bare
    /// CommandResponse whose result is CommandResponseType). Returns null when the partner has no commands endpoint or
    /// the command cannot be sent in its version (<see cref="CannotSend"/>).
    /// </summary>
    public async Task<SentCommand?> SendAsync(OcpiPartner partner, string type, OcpiCommandRequest request, HttpContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(request);
        string? endpoint = partner.EndpointUrl("commands", "RECEIVER");
        if (endpoint is null || CannotSend(partner, type, request) is not null)
        {
            return null;
        }

        bool v211 = partner.Version == OcpiVersionNumber.V211;
        string id = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x11", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        request.ResponseUrl = _urls.Module(context, "emsp", partner.Version, "commands") + "/" + type + "/" + id;
        var sent = new SentCommand
        {
            Id = id,
            PartnerId = partner.Id,
            Type = type,
            RequestJson = v211
                ? JsonSerializer.SerializeToUtf8Bytes(To211(type, request), OcpiEmsp211JsonContext.Default.OcpiCommandRequest211)
                : JsonSerializer.SerializeToUtf8Bytes(request, OcpiJsonContext.Default.OcpiCommandRequest),
            CreatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };

        // Registered before the POST: a fast CPO may POST the result before its CommandResponse reaches us.
        await SaveAsync(sent, cancellationToken).ConfigureAwait(false);
        string url = endpoint.TrimEnd('/') + "/" + type;
        string? result;
        int? timeout = null;
        string? message;
        bool success;
        if (v211)
        {
            // 2.1.1 routes nothing (no OCPI-to-* headers). The answer's data is a CommandResponse {result} (errata) or,
            // read literally, the bare CommandResponseType: both are accepted.
            OcpiClientResponse<JsonElement> response = await _client.SendAsync(
                OcpiTarget.For(partner, "CPO"), HttpMethod.Post, url, sent.RequestJson, OcpiJsonContext.Default.JsonElement, routed: false, cancellationToken).ConfigureAwait(false);
            result = response.Data.ValueKind switch
            {
                JsonValueKind.Object when response.Data.TryGetProperty("result", out JsonElement r) && r.ValueKind == JsonValueKind.String => r.GetString(),
                JsonValueKind.String => response.Data.GetString(),
                _ => null,
            };
            success = response.IsSuccess;
            message = success ? response.Message : $"HTTP {response.HttpStatus} / {response.StatusCode}: {response.Message}";
        }
        else
        {
            OcpiClientResponse<CommandResponse> response = await _client.SendAsync(
                OcpiTarget.For(partner, "CPO"), HttpMethod.Post, url, sent.RequestJson, OcpiJsonContext.Default.CommandResponse, routed: true, cancellationToken).ConfigureAwait(false);
            result = response.Data?.Result;
            timeout = response.Data?.Timeout;
            success = response.IsSuccess;
            message = success ? response.Data?.Message?.FirstOrDefault()?.Text : $"HTTP {response.HttpStatus} / {response.StatusCode}: {response.Message}";
        }

        await _update.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SentCommand latest = Get(id) ?? sent;
            latest.Response = string.IsNullOrEmpty(result) ? "FAILED" : result;
            latest.TimeoutSeconds = timeout;
            latest.ResponseMessage = message;
            await SaveAsync(latest, cancellationToken).ConfigureAwait(false);
            return latest;
        }
        finally
        {
            _update.Release();
        }
    }

    /// <summary>A command body as 2.1.1 (mod_commands §3.2–3.5): the token as a 2.1.1 Token, the reservation id as an int.</summary>
    public static OcpiCommandRequest211 To211(string type, OcpiCommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OcpiCommandRequest211
        {
            ResponseUrl = request.ResponseUrl,
            Token = request.Token is null ? null : TokenValidation.To211(request.Token),
            LocationId = request.LocationId,
            EvseUid = request.EvseUid,
            ConnectorId = type == "UNLOCK_CONNECTOR" ? request.ConnectorId : null,
            SessionId = request.SessionId,
            ReservationId = int.TryParse(request.ReservationId, NumberStyles.None, CultureInfo.InvariantCulture, out int reservation) ? reservation : null,
            ExpiryDate = request.ExpiryDate,
        };
    }

    /// <summary>
    /// The CPO's CommandResult for command <paramref name="id"/> (§13.2.2.1). A command's outcome, once final, stays
    /// final: the first result of an accepted command is recorded; a later one, or any result for a command the CPO
    /// answered with something other than ACCEPTED (REJECTED, NOT_SUPPORTED, UNKNOWN_SESSION, or our FAILED), is kept as
    /// an anomaly and logged. The spec is silent here; the CPO is answered 1000 either way, because the delivery itself
    /// was correct and a 2xxx would only make an at-least-once sender retry what we will never apply.
    /// </summary>
    public async Task<CommandResultReception> ReceiveResultAsync(OcpiPartner partner, string type, string id, CommandResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(result);
        SentCommand? sent;
        await _update.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            sent = Get(id);
            if (sent is null || sent.PartnerId != partner.Id || !string.Equals(sent.Type, type, StringComparison.OrdinalIgnoreCase))
            {
                return CommandResultReception.Unknown;
            }

            // NOTE: Response is null while a fast CPO's result overtakes its own CommandResponse: that result counts.
            string? final = sent.Result is not null ? "a result (" + sent.Result + ") was already recorded"
                : sent.Response is not null && !string.Equals(sent.Response, "ACCEPTED", StringComparison.Ordinal) ? "the CPO answered the command " + sent.Response
                : null;
            if (final is not null)
            {
                LogAnomaly(_logger, partner.Id, id, result.Result, final);
                if (sent.Anomalies.Count < MaxAnomalies)
                {
                    sent.Anomalies.Add($"{DateTimeOffset.UtcNow:O} {result.Result}: ignored, {final}");
                    await SaveAsync(sent, cancellationToken).ConfigureAwait(false);
                }

                return CommandResultReception.Anomaly;
            }

            sent.Result = result.Result;
            sent.ResultMessage = result.Message?.FirstOrDefault()?.Text;
            sent.ResultMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await SaveAsync(sent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _update.Release();
        }

        if (_waiters.TryRemove(id, out TaskCompletionSource<SentCommand>? waiter))
        {
            waiter.TrySetResult(sent);
        }

        return CommandResultReception.Recorded;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI partner {PartnerId}: CommandResult {Result} for command {CommandId} ignored: {Reason}")]
    private static partial void LogAnomaly(ILogger logger, string partnerId, string commandId, string? result, string reason);

    /// <summary>The command once its result has arrived, or as it is after <paramref name="timeout"/>.</summary>
    public async Task<SentCommand?> WaitForResultAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<SentCommand> waiter = _waiters.GetOrAdd(id, _ => new TaskCompletionSource<SentCommand>(TaskCreationOptions.RunContinuationsAsynchronously));
        SentCommand? current = Get(id);
        if (current is null || current.Result is not null || timeout <= TimeSpan.Zero)
        {
            _waiters.TryRemove(id, out _);
            return current;
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return Get(id);
        }
    }

    private ValueTask SaveAsync(SentCommand command, CancellationToken cancellationToken) =>
        _storage.PutDocumentAsync(Collection, command.Id, MessagePackSerializer.Serialize(command), cancellationToken);
}

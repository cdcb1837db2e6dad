using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
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
}

/// <summary>
/// eMSP Commands Sender (OCPI 2.2.1 §13.2.2): sends START_SESSION, STOP_SESSION, RESERVE_NOW, CANCEL_RESERVATION and
/// UNLOCK_CONNECTOR to a CPO partner with a unique <c>response_url</c> per command, records the CPO's CommandResponse,
/// and receives its asynchronous CommandResult there.
/// </summary>
public sealed class CommandSender
{
    /// <summary>Document collection.</summary>
    public const string Collection = "ocpi-emsp-commands";

    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly OcpiUrls _urls;
    private readonly StorageEngine _storage;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SentCommand>> _waiters = new(StringComparer.Ordinal);

    /// <summary>Creates the sender.</summary>
    public CommandSender(PartnerRegistry partners, OcpiClient client, OcpiUrls urls, StorageEngine storage)
    {
        _partners = partners;
        _client = client;
        _urls = urls;
        _storage = storage;
    }

    /// <summary>The command with this id.</summary>
    public SentCommand? Get(string id) =>
        _storage.Documents.TryGet(Collection, id, out byte[]? value) ? MessagePackSerializer.Deserialize<SentCommand>(value) : null;

    /// <summary>
    /// Sends <paramref name="request"/> (everything but response_url) to <paramref name="partner"/>'s Commands Receiver.
    /// Returns null when the partner has no commands endpoint.
    /// </summary>
    public async Task<SentCommand?> SendAsync(OcpiPartner partner, string type, OcpiCommandRequest request, HttpContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(request);
        string? endpoint = partner.EndpointUrl("commands", "RECEIVER");
        if (endpoint is null || partner.Version != OcpiVersionNumber.V221)
        {
            return null;
        }

        string id = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x11", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        request.ResponseUrl = _urls.Module(context, "emsp", OcpiVersionNumber.V221, "commands") + "/" + type + "/" + id;
        var sent = new SentCommand
        {
            Id = id,
            PartnerId = partner.Id,
            Type = type,
            RequestJson = JsonSerializer.SerializeToUtf8Bytes(request, OcpiJsonContext.Default.OcpiCommandRequest),
            CreatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };

        // Registered before the POST: a fast CPO may POST the result before its CommandResponse reaches us.
        await SaveAsync(sent, cancellationToken).ConfigureAwait(false);
        OcpiClientResponse<CommandResponse> response = await _client.SendAsync(
            OcpiTarget.For(partner, "CPO"), HttpMethod.Post, endpoint.TrimEnd('/') + "/" + type, sent.RequestJson, OcpiJsonContext.Default.CommandResponse, routed: true, cancellationToken).ConfigureAwait(false);

        SentCommand latest = Get(id) ?? sent;
        latest.Response = response.Data?.Result ?? "FAILED";
        latest.TimeoutSeconds = response.Data?.Timeout;
        latest.ResponseMessage = response.IsSuccess
            ? response.Data?.Message?.FirstOrDefault()?.Text
            : $"HTTP {response.HttpStatus} / {response.StatusCode}: {response.Message}";
        await SaveAsync(latest, cancellationToken).ConfigureAwait(false);
        return latest;
    }

    /// <summary>The CPO's CommandResult for command <paramref name="id"/> (§13.2.2.1); false when the id is not this partner's.</summary>
    public async Task<bool> ReceiveResultAsync(OcpiPartner partner, string type, string id, CommandResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(result);
        SentCommand? sent = Get(id);
        if (sent is null || sent.PartnerId != partner.Id || !string.Equals(sent.Type, type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        sent.Result = result.Result;
        sent.ResultMessage = result.Message?.FirstOrDefault()?.Text;
        sent.ResultMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SaveAsync(sent, cancellationToken).ConfigureAwait(false);
        if (_waiters.TryRemove(id, out TaskCompletionSource<SentCommand>? waiter))
        {
            waiter.TrySetResult(sent);
        }

        return true;
    }

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

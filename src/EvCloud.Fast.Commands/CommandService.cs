using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Commands;

/// <summary>
/// Sends commands to chargers for the API (and, later, OCPI): validates them for the charger's OCPP version,
/// sends them through the gateway, and records every outcome as a <see cref="CommandCompleted"/> event, the audit
/// trail that the event stream shows.
/// </summary>
public sealed class CommandService
{
    private readonly OcppGateway _gateway;
    private readonly OcppDispatcher _dispatcher;
    private readonly StorageEngine _storage;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public CommandService(OcppGateway gateway, OcppDispatcher dispatcher, StorageEngine storage, TimeProvider time)
    {
        _gateway = gateway;
        _dispatcher = dispatcher;
        _storage = storage;
        _time = time;
    }

    /// <summary>A new command id: time-ordered (Unix ms in hex) and unique (random suffix).</summary>
    public static string NewCommandId() =>
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x11", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>
    /// The OCPP version to address <paramref name="chargerId"/> with: its live connection's, else the one it last
    /// connected with; null when the charger has never connected.
    /// </summary>
    public OcppVersion? VersionOf(string chargerId)
    {
        if (_gateway.Registry.TryGet(chargerId, out OcppConnection connection))
        {
            return connection.Version;
        }

        return _storage.State.TryGetCharger(Encoding.UTF8.GetBytes(chargerId), out ChargerState charger) && charger.Protocol != 0
            ? (OcppVersion)charger.Protocol
            : null;
    }

    /// <summary>Whether the charger is connected now.</summary>
    public bool IsOnline(string chargerId) => _gateway.Registry.IsConnected(chargerId);

    /// <summary>Checks a command for a charger of <paramref name="version"/> (action exists, server-initiated, schema-valid).</summary>
    public bool Validate(OcppVersion version, string action, ReadOnlySpan<byte> payloadJson, out string? error)
    {
        bool valid = _dispatcher.ValidateCommand(version, action, payloadJson, out OcppErrorCode code, out error);
        if (!valid)
        {
            error = code + ": " + error;
        }

        return valid;
    }

    /// <summary>Sends a command now and waits for the charger's answer (or the call timeout); records the outcome.</summary>
    public async Task<CommandExecution> SendAsync(string chargerId, string action, byte[] payloadJson, string source, string? commandId = null, CancellationToken cancellationToken = default)
    {
        commandId ??= NewCommandId();
        OcppCallResult result = await _gateway.CallAsync(chargerId, action, payloadJson).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.Status != OcppCallStatus.Rejected)
        {
            // A refused request never reached the charger: the caller gets the reason, the audit trail stays about chargers.
            await RecordAsync(chargerId, commandId, action, result.Status.ToString(), payloadJson, result, source, CancellationToken.None).ConfigureAwait(false);
        }

        return new CommandExecution(commandId, chargerId, action, result);
    }

    /// <summary>Records how a command ended (also for queued commands that expired or were interrupted).</summary>
    public async ValueTask RecordAsync(
        string chargerId, string commandId, string action, string outcome, byte[]? requestJson, OcppCallResult? result, string source, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (requestJson?.Length ?? 0) + (result?.Payload?.Length ?? 0));
        EventWriter.WriteCommandCompleted(
            buffer,
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
            chargerId,
            commandId,
            action,
            outcome,
            requestJson is null ? null : Encoding.UTF8.GetString(requestJson),
            result?.Payload is { } payload ? Encoding.UTF8.GetString(payload) : null,
            result?.ErrorCode,
            result?.ErrorDescription,
            source);
        await _storage.AppendDurableAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}

using System.Buffers;
using System.IO.Pipelines;
using EvCloud.Fast.Ocpp.Diagnostics;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// Kestrel connection handler for the OCPP listener (<c>UseConnectionHandler&lt;OcppConnectionHandler&gt;()</c>):
/// our own HTTP/1.1 upgrade, the security profile checks, then the WebSocket receive loop of <see cref="OcppConnection"/>.
/// The same handler serves the ws and the wss listener; it tells them apart by the TLS connection feature.
/// </summary>
public sealed partial class OcppConnectionHandler : ConnectionHandler
{
    private readonly OcppGateway _gateway;
    private readonly ChargerAuthenticator? _authenticator;
    private readonly CertificateSigningService? _certificateSigning;
    private readonly ILogger<OcppConnectionHandler> _logger;

    // Per-charger lines that storm when a fleet reconnects; the counters below them are never limited.
    private readonly LogRateLimiter _connectedLines;
    private readonly LogRateLimiter _disconnectedLines;

    /// <summary>Shared by every profile-0 connection over ws: nothing in it is per connection.</summary>
    private readonly ConnectionSecurity _plainSecurity;

    /// <summary>Creates the handler; without an authenticator every charger is admitted under profile 0.</summary>
    public OcppConnectionHandler(
        OcppGateway gateway,
        ILogger<OcppConnectionHandler> logger,
        ChargerAuthenticator? authenticator = null,
        CertificateSigningService? certificateSigning = null,
        LogRateLimitOptions? logLimits = null,
        TimeProvider? time = null)
    {
        _gateway = gateway;
        _logger = logger;
        logLimits ??= new LogRateLimitOptions();
        _connectedLines = logLimits.Create(logger, "charger connected", time);
        _disconnectedLines = logLimits.Create(logger, "charger disconnected", time);
        _authenticator = authenticator;
        _certificateSigning = certificateSigning;
        _plainSecurity = new ConnectionSecurity(SecurityProfile.None, isTls: false, clientCertificateThumbprint: null, certificateSigning);
    }

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        // NOTE: this method's state machine lives as long as the connection, so it keeps only what it needs
        // (the handshake and authentication state die with AcceptAsync's): ~100 B × 20k idle chargers.
        OcppConnection? ocpp = await AcceptAsync(connection).ConfigureAwait(false);
        if (ocpp is null)
        {
            return;
        }

        IChargerOwnership? ownership = _gateway.Ownership;
        try
        {
            if (ownership is not null)
            {
                await ownership.ClaimAsync(ocpp).ConfigureAwait(false);
            }

            _gateway.Dispatcher.OnConnected(ocpp);
            await ocpp.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            ownership?.Released(ocpp);
            if (ocpp.DiscardReason is { } reason)
            {
                // One Error for the commit failure comes from the event log; per connection a count and a warning.
                _gateway.Metrics.RepliesDiscarded();
                LogRepliesDiscarded(_logger, ocpp.ChargePointId, reason.Message);
            }

            DisconnectReason why = ocpp.DisconnectReason;
            _gateway.Metrics.Disconnected(why);
            if (_logger.IsEnabled(LogLevel.Information) && _disconnectedLines.TryAcquire())
            {
                LogDisconnected(_logger, ocpp.ChargePointId, OcppMetrics.DisconnectTag(why), ocpp.PeerCloseCode,
                    Math.Round((DateTimeOffset.UtcNow - ocpp.ConnectedAt).TotalSeconds, 0));
            }
        }
    }

    /// <summary>Reads and decides the upgrade, authenticates, answers 101 and registers; null when refused.</summary>
    private async Task<OcppConnection?> AcceptAsync(ConnectionContext connection)
    {
        OcppTransportOptions options = _gateway.Options;
        HandshakeResult? handshake = await ReadHandshakeAsync(connection, options).ConfigureAwait(false);
        if (handshake is null)
        {
            return null;
        }

        PipeWriter output = connection.Transport.Output;
        if (!handshake.Accepted)
        {
            LogRefused(_logger, connection.RemoteEndPoint?.ToString(), handshake.StatusCode, handshake.Reason);
            _gateway.Metrics.HandshakeRefused(handshake.StatusCode);
            await output.WriteAsync(WebSocketHandshake.ErrorResponse(handshake.StatusCode, handshake.Reason)).ConfigureAwait(false);
            return null;
        }

        ConnectionSecurity security = ConnectionSecurity.Unauthenticated;
        if (_authenticator is not null)
        {
            AuthenticationResult auth;
            try
            {
                auth = await _authenticator.AuthenticateAsync(handshake, connection, connection.ConnectionClosed).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null; // the client went away while waiting for a password check
            }

            if (!auth.Accepted)
            {
                _gateway.Metrics.HandshakeRefused(auth.StatusCode);
                await output.WriteAsync(auth.ErrorResponse()).ConfigureAwait(false);
                return null;
            }

            security = auth.Profile == SecurityProfile.None && !auth.IsTls && auth.ClientCertificate is null
                ? _plainSecurity
                : new ConnectionSecurity(auth.Profile, auth.IsTls, auth.ClientCertificate?.Thumbprint, _certificateSigning);
        }

        var ocpp = new OcppConnection(connection, handshake, _gateway.Registry.NextEpoch(), options, _gateway.Dispatcher, _gateway.Registry, security);
        await output.WriteAsync(WebSocketHandshake.SwitchingProtocols(handshake)).ConfigureAwait(false);
        _gateway.Registry.Register(ocpp);
        _gateway.Metrics.Connected(ocpp.Version);
        if (_logger.IsEnabled(LogLevel.Information) && _connectedLines.TryAcquire())
        {
            LogConnected(_logger, ocpp.ChargePointId, handshake.Protocol!, ocpp.RemoteEndPoint, security.Profile);
        }

        return ocpp;
    }

    private static async Task<HandshakeResult?> ReadHandshakeAsync(ConnectionContext connection, OcppTransportOptions options)
    {
        PipeReader input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout);
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (WebSocketHandshake.TryFindEnd(buffer, options.MaxHandshakeBytes, out SequencePosition end, out bool tooLarge))
                {
                    byte[] head = buffer.Slice(0, end).ToArray();
                    input.AdvanceTo(end);
                    return WebSocketHandshake.Decide(head, options);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (tooLarge)
                {
                    return HandshakeResultFail(431, "Upgrade request larger than " + options.MaxHandshakeBytes + " bytes");
                }

                if (result.IsCompleted)
                {
                    return null; // the client went away mid-request
                }
            }
        }
        catch (OperationCanceledException)
        {
            await connection.Transport.Output.WriteAsync(WebSocketHandshake.ErrorResponse(408, "Upgrade request not completed in time")).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return null;
        }
    }

    private static HandshakeResult HandshakeResultFail(int status, string reason) => HandshakeResult.Fail(status, reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger {ChargePointId} connected with {Protocol} from {RemoteEndPoint} (security profile {SecurityProfile})")]
    private static partial void LogConnected(ILogger logger, string chargePointId, string protocol, string? remoteEndPoint, SecurityProfile securityProfile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger {ChargePointId} disconnected: {Reason} (close code {CloseCode}) after {ConnectedSeconds} s")]
    private static partial void LogDisconnected(ILogger logger, string chargePointId, string reason, int closeCode, double connectedSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger {ChargePointId} dropped without its answers: {Reason}")]
    private static partial void LogRepliesDiscarded(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgrade from {RemoteEndPoint} refused with {StatusCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? remoteEndPoint, int statusCode, string reason);
}

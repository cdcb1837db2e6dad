using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>The security decision on an accepted upgrade request.</summary>
/// <param name="Accepted">Whether the charger may connect.</param>
/// <param name="Profile">The profile it was admitted under.</param>
/// <param name="IsTls">Whether it came over TLS.</param>
/// <param name="ClientCertificate">The verified client certificate (profile 3).</param>
/// <param name="StatusCode">401 or 429 when refused.</param>
/// <param name="RetryAfter">For 429: when to come back.</param>
public readonly record struct AuthenticationResult(
    bool Accepted,
    SecurityProfile Profile,
    bool IsTls,
    X509Certificate2? ClientCertificate,
    int StatusCode,
    TimeSpan RetryAfter)
{
    /// <summary>The HTTP error response for a refusal: the same bytes whatever the reason, so it reveals nothing.</summary>
    public byte[] ErrorResponse() => StatusCode == 429
        ? WebSocketHandshake.ErrorResponse(429, "Too many failed authentications", $"Retry-After: {Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds))}\r\n")
        : WebSocketHandshake.ErrorResponse(401, "Unauthorized", "WWW-Authenticate: Basic realm=\"OCPP\"\r\n");
}

/// <summary>
/// Enforces each charger's security profile at the WebSocket upgrade (OCPP 1.6 Security Whitepaper §2,
/// OCPP 2.0.1 Part 2 §A and Part 4 §3): profile 1 needs HTTP Basic with the charge point id as user name,
/// profile 2 the same over TLS, profile 3 a client certificate that chains to the configured CA and names the
/// charger. Every refusal is the same 401 after the same work (one slow hash), whether the id exists or not;
/// failures are counted per reason and rate limited per source address.
/// </summary>
public sealed partial class ChargerAuthenticator
{
    private readonly ChargerCredentialStore _credentials;
    private readonly ClientCertificateValidator _certificates;
    private readonly AuthFailureLimiter _limiter;
    private readonly CertificateInventory _inventory;
    private readonly OcppMetrics _metrics;
    private readonly ILogger<ChargerAuthenticator> _logger;

    /// <summary>Creates the authenticator.</summary>
    public ChargerAuthenticator(
        ChargerCredentialStore credentials,
        ClientCertificateValidator certificates,
        AuthFailureLimiter limiter,
        CertificateInventory inventory,
        OcppMetrics metrics,
        ILogger<ChargerAuthenticator> logger)
    {
        _credentials = credentials;
        _certificates = certificates;
        _limiter = limiter;
        _inventory = inventory;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Decides whether the charger of an accepted upgrade request may connect.</summary>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HandshakeResult handshake, ConnectionContext connection, CancellationToken cancellationToken = default)
    {
        string id = handshake.ChargePointId!;
        IPAddress? address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        bool tls = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        if (_limiter.IsBlocked(address, Environment.TickCount64, out TimeSpan retryAfter))
        {
            _metrics.AuthFailure(AuthFailureReason.RateLimited);
            return new AuthenticationResult(false, SecurityProfile.None, tls, null, 429, retryAfter);
        }

        SecurityProfile required = _credentials.RequiredProfile(id);
        if (required == SecurityProfile.None)
        {
            return new AuthenticationResult(true, required, tls, null, 0, TimeSpan.Zero);
        }

        AuthFailureReason? failure = null;
        bool hashed = false;
        X509Certificate2? certificate = null;
        if (required == SecurityProfile.TlsClientCertificate)
        {
            // Profile 3: the certificate is the credential; a Basic header, if any, is ignored.
            certificate = tls ? connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate : null;
            failure = !tls ? AuthFailureReason.TlsRequired
                : certificate is null ? AuthFailureReason.NoClientCertificate
                : !_certificates.IsTrusted(certificate) ? AuthFailureReason.CertificateUntrusted
                : !_certificates.NamesCharger(certificate, id) ? AuthFailureReason.CertificateSubjectMismatch
                : null;
        }
        else if (!TryReadBasic(handshake.Authorization, id, out byte[] password))
        {
            failure = AuthFailureReason.MissingCredentials;
        }
        else
        {
            CredentialCheck check = await _credentials.VerifyAsync(id, password, cancellationToken).ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(password);
            if (check != CredentialCheck.Valid)
            {
                hashed = true;
                failure = check == CredentialCheck.UnknownCharger ? AuthFailureReason.UnknownCharger : AuthFailureReason.BadPassword;
            }
            else if (required == SecurityProfile.TlsBasic && !tls)
            {
                // Profile 2 over ws: the password crossed the network in clear; refuse, never downgrade silently.
                failure = AuthFailureReason.TlsRequired;
                LogPasswordInClear(_logger, id);
            }
        }

        if (failure is { } reason)
        {
            if (!hashed)
            {
                await _credentials.EqualizeAsync(cancellationToken).ConfigureAwait(false);
            }

            _metrics.AuthFailure(reason);
            LogRefused(_logger, id, connection.RemoteEndPoint?.ToString(), reason);
            if (_limiter.RecordFailure(address, Environment.TickCount64))
            {
                LogBlocked(_logger, address?.ToString());
            }

            return new AuthenticationResult(false, required, tls, null, 401, TimeSpan.Zero);
        }

        if (certificate is not null)
        {
            _inventory.Track(id, certificate, CertificateInventory.ChargingStationCertificate, "presented");
        }

        return new AuthenticationResult(true, required, tls, certificate, 0, TimeSpan.Zero);
    }

    /// <summary>
    /// Reads <c>Authorization: Basic base64(id ":" password)</c> (RFC 7617) whose user name is exactly the charge point
    /// id (OCPP 1.6 Security Whitepaper, OCPP 2.0.1 Part 2 A00: the user name is the Charging Station identity). The id from the URL is matched as a prefix rather than
    /// splitting at the first ':', so a 1.6 binary AuthorizationKey may contain any byte.
    /// </summary>
    internal static bool TryReadBasic(string? header, string chargePointId, out byte[] password)
    {
        password = [];
        if (header is null || header.Length < 6 || !header.AsSpan(0, 6).Equals("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> encoded = header.AsSpan(6).Trim();
        byte[] decoded = new byte[encoded.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(encoded, decoded, out int length))
        {
            return false;
        }

        byte[] user = Encoding.UTF8.GetBytes(chargePointId);
        ReadOnlySpan<byte> credentials = decoded.AsSpan(0, length);
        bool ok = credentials.Length > user.Length + 1 && credentials.StartsWith(user) && credentials[user.Length] == (byte)':';
        if (ok)
        {
            password = credentials[(user.Length + 1)..].ToArray();
        }

        CryptographicOperations.ZeroMemory(decoded);
        return ok;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger {ChargePointId} from {RemoteEndPoint} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string chargePointId, string? remoteEndPoint, AuthFailureReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Too many failed authentications from {Address}: refused with 429 for the cool-down")]
    private static partial void LogBlocked(ILogger logger, string? address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger {ChargePointId} requires profile 2 but sent its password over plain ws; the password should be rotated")]
    private static partial void LogPasswordInClear(ILogger logger, string chargePointId);
}

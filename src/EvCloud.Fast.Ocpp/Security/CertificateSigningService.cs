using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// SignCertificate for every OCPP version (1.6 security extension A02/A03; 2.0.1 / 2.1 A02/A03): decide at once
/// whether the CSR can be processed (the answer's <c>status</c>), then sign it off the receive loop and deliver the
/// chain with a CertificateSigned CALL through <see cref="OcppGateway.CallAsync"/>.
/// </summary>
/// <remarks>
/// A handler calls <see cref="Request"/> with the payload's <c>csr</c> and, for 2.x, <c>certificateType</c>, and
/// answers <c>Accepted</c> when it returns true, else <c>Rejected</c>.
/// </remarks>
public sealed partial class CertificateSigningService
{
    private const string V2GCertificate = "V2GCertificate";

    private readonly CertificateAuthority _authority;
    private readonly CertificateInventory _inventory;
    private readonly OcppGateway _gateway;
    private readonly ILogger<CertificateSigningService> _logger;
    private int _pending;

    /// <summary>Creates the service.</summary>
    public CertificateSigningService(CertificateAuthority authority, CertificateInventory inventory, OcppGateway gateway, ILogger<CertificateSigningService> logger)
    {
        _authority = authority;
        _inventory = inventory;
        _gateway = gateway;
        _logger = logger;
    }

    /// <summary>Whether a CA is configured; without one every request is Rejected.</summary>
    public bool IsEnabled => _authority.IsConfigured;

    /// <summary>Signings accepted but not yet delivered.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Validates a SignCertificate request of <paramref name="chargePointId"/>; when it can be processed, starts
    /// signing and delivery in the background and returns true (answer Accepted). <paramref name="certificateType"/>
    /// is null for 1.6 and when a 2.x charger omits it.
    /// </summary>
    /// <remarks>
    /// V2GCertificate requests are Rejected: an ISO 15118 SECC certificate must come from the V2G PKI, which EVs
    /// trust, not from the CSO's charger CA.
    /// </remarks>
    public bool Request(string chargePointId, OcppVersion version, string? csr, string? certificateType)
    {
        if (certificateType == V2GCertificate)
        {
            LogRejected(_logger, chargePointId, "V2G certificates are issued by the ISO 15118 PKI, not by this CA");
            return false;
        }

        if (!_authority.TryLoadRequest(csr, chargePointId, out CertificateRequest request, out string reason))
        {
            LogRejected(_logger, chargePointId, reason);
            return false;
        }

        Interlocked.Increment(ref _pending);
        _ = Task.Run(() => SignAndDeliverAsync(chargePointId, version, request, certificateType));
        return true;
    }

    private async Task SignAndDeliverAsync(string chargePointId, OcppVersion version, CertificateRequest request, string? certificateType)
    {
        try
        {
            using X509Certificate2 certificate = _authority.Sign(request);
            byte[] payload = CertificateSignedPayload(_authority.ChainPem(certificate), version == OcppVersion.Ocpp16 ? null : certificateType);
            LogIssued(_logger, chargePointId, certificate.SerialNumber, certificate.NotAfter.ToUniversalTime());

            OcppCallResult result = await _gateway.CallAsync(chargePointId, "CertificateSigned", payload).ConfigureAwait(false);
            if (result.Status == OcppCallStatus.Completed && IsAccepted(result.Payload))
            {
                _inventory.Track(chargePointId, certificate, certificateType ?? CertificateInventory.ChargingStationCertificate, "issued");
            }
            else
            {
                LogNotInstalled(_logger, chargePointId, certificate.SerialNumber, result.Status.ToString(), result.ErrorDescription ?? (result.Payload is null ? "" : System.Text.Encoding.UTF8.GetString(result.Payload)));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSigningFailed(_logger, ex, chargePointId);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    // 1.6 security extension CertificateSigned.req: {"certificateChain": "..."}; 2.0.1 adds certificateType.
    internal static byte[] CertificateSignedPayload(string chainPem, string? certificateType)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("certificateChain"u8, chainPem);
            if (certificateType is not null)
            {
                writer.WriteString("certificateType"u8, certificateType);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static bool IsAccepted(byte[]? payload)
    {
        if (payload is null)
        {
            return false;
        }

        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                return reader.ValueTextEquals("Accepted"u8);
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SignCertificate from {ChargePointId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {SerialNumber} issued to {ChargePointId}, valid until {NotAfter:u}")]
    private static partial void LogIssued(ILogger logger, string chargePointId, string serialNumber, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger {ChargePointId} did not install certificate {SerialNumber}: {Status} {Detail}")]
    private static partial void LogNotInstalled(ILogger logger, string chargePointId, string serialNumber, string status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing a certificate for {ChargePointId} failed")]
    private static partial void LogSigningFailed(ILogger logger, Exception exception, string chargePointId);
}

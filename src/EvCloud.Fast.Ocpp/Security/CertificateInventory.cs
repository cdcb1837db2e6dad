using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>A charger certificate the gateway knows of, and when it expires.</summary>
/// <param name="ChargePointId">The charger.</param>
/// <param name="CertificateType"><c>ChargingStationCertificate</c> or <c>V2GCertificate</c>.</param>
/// <param name="Source"><c>issued</c> (signed here and accepted by the charger) or <c>presented</c> (seen at a profile 3 upgrade).</param>
/// <param name="SerialNumber">Hex serial number.</param>
/// <param name="Thumbprint">SHA-1 thumbprint, hex.</param>
/// <param name="Subject">Subject distinguished name.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
public sealed record TrackedCertificate(
    string ChargePointId,
    string CertificateType,
    string Source,
    string SerialNumber,
    string Thumbprint,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter);

/// <summary>
/// The newest certificate of each charger and type: issued by <see cref="CertificateSigningService"/> once the charger
/// accepted it, or presented by the charger at a profile 3 upgrade (which also re-learns certificates after a
/// restart, since this inventory lives in memory). One small record per charger and type.
/// </summary>
public sealed partial class CertificateInventory
{
    /// <summary>Type name of the charger-to-CSMS TLS certificate.</summary>
    public const string ChargingStationCertificate = "ChargingStationCertificate";

    private readonly ConcurrentDictionary<(string Id, string Type), TrackedCertificate> _newest = new();
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);
    private readonly ChargerSecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateInventory> _logger;

    /// <summary>Creates the inventory.</summary>
    public CertificateInventory(ChargerSecurityOptions options, TimeProvider time, ILogger<CertificateInventory> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Records a certificate; it replaces the charger's entry of the same type unless that one expires later.</summary>
    public TrackedCertificate Track(string chargePointId, X509Certificate2 certificate, string certificateType, string source)
    {
        var tracked = new TrackedCertificate(
            chargePointId,
            certificateType,
            source,
            certificate.SerialNumber,
            certificate.Thumbprint,
            certificate.Subject,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        _newest.AddOrUpdate(
            (chargePointId, certificateType),
            tracked,
            (_, existing) => existing.NotAfter > tracked.NotAfter ? existing : tracked);
        if (IsExpiring(tracked, _time.GetUtcNow(), _options.ExpiryWarning))
        {
            Warn(tracked);
        }

        return tracked;
    }

    /// <summary>The charger's newest certificates, one per type.</summary>
    public IReadOnlyList<TrackedCertificate> ForCharger(string chargePointId) =>
        [.. _newest.Values.Where(c => c.ChargePointId == chargePointId)];

    /// <summary>
    /// Chargers whose newest certificate expires within <paramref name="within"/> (default <c>ExpiryWarning</c>) or has
    /// expired, soonest first: the ones to trigger a certificate renewal for.
    /// </summary>
    public IReadOnlyList<TrackedCertificate> Expiring(TimeSpan? within = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan window = within ?? _options.ExpiryWarning;
        return [.. _newest.Values.Where(c => IsExpiring(c, now, window)).OrderBy(c => c.NotAfter)];
    }

    /// <summary>Logs a warning, once per certificate, for each expiring one; returns how many are expiring.</summary>
    public int WarnExpiring()
    {
        IReadOnlyList<TrackedCertificate> expiring = Expiring();
        foreach (TrackedCertificate certificate in expiring)
        {
            Warn(certificate);
        }

        return expiring.Count;
    }

    private void Warn(TrackedCertificate certificate)
    {
        if (_warned.TryAdd(certificate.Thumbprint, 0))
        {
            LogExpiring(_logger, certificate.ChargePointId, certificate.CertificateType, certificate.SerialNumber, certificate.NotAfter);
        }
    }

    private static bool IsExpiring(TrackedCertificate c, DateTimeOffset now, TimeSpan window) => c.NotAfter <= now + window;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate of charger {ChargePointId} ({CertificateType}, serial {SerialNumber}) expires {NotAfter:u}; trigger a renewal")]
    private static partial void LogExpiring(ILogger logger, string chargePointId, string certificateType, string serialNumber, DateTimeOffset notAfter);
}

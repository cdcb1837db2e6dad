using System.Diagnostics.Metrics;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Security;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// Gateway metrics on the <c>EvCloud.Fast.Ocpp</c> meter. Counters take pre-built tag arrays so recording a
/// message allocates nothing.
/// </summary>
public sealed class OcppMetrics : IDisposable
{
    /// <summary>The meter name, for OpenTelemetry and dotnet-counters.</summary>
    public const string MeterName = "EvCloud.Fast.Ocpp";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _callErrors;
    private readonly Counter<long> _authFailures;
    private readonly KeyValuePair<string, object?>[][] _versionTags;
    private readonly KeyValuePair<string, object?>[][] _errorTags;
    private readonly KeyValuePair<string, object?>[][] _authFailureTags;

    /// <summary>Creates the instruments.</summary>
    public OcppMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("evcloud.ocpp.connections", description: "Connected chargers");
        _handshakesRefused = _meter.CreateCounter<long>("evcloud.ocpp.handshakes.refused", description: "Upgrade requests answered with an HTTP error");
        _messages = _meter.CreateCounter<long>("evcloud.ocpp.messages", description: "CALLs received from chargers");
        _callErrors = _meter.CreateCounter<long>("evcloud.ocpp.callerrors", description: "CALLERRORs sent to chargers, by code");
        _authFailures = _meter.CreateCounter<long>("evcloud.ocpp.auth.failures", description: "Upgrades refused by the security profile checks, by reason");
        _versionTags = new KeyValuePair<string, object?>[256][];
        foreach (OcppVersion v in Enum.GetValues<OcppVersion>())
        {
            _versionTags[(int)v] = [new("ocpp.version", v.ToString())];
        }

        _errorTags = new KeyValuePair<string, object?>[256][];
        foreach (OcppErrorCode c in Enum.GetValues<OcppErrorCode>())
        {
            _errorTags[(int)c] = [new("ocpp.error", c.ToString())];
        }

        AuthFailureReason[] reasons = Enum.GetValues<AuthFailureReason>();
        _authFailureTags = new KeyValuePair<string, object?>[reasons.Length][];
        foreach (AuthFailureReason r in reasons)
        {
            _authFailureTags[(int)r] = [new("reason", ReasonTag(r))];
        }
    }

    internal void Connected(OcppVersion version) => _connections.Add(1, _versionTags[(int)version]);

    internal void Disconnected(OcppVersion version) => _connections.Add(-1, _versionTags[(int)version]);

    internal void HandshakeRefused(int statusCode) => _handshakesRefused.Add(1, new KeyValuePair<string, object?>("http.status", statusCode));

    /// <summary>Counts one received CALL.</summary>
    public void Message(OcppVersion version) => _messages.Add(1, _versionTags[(int)version]);

    /// <summary>Counts one CALLERROR sent.</summary>
    public void CallError(OcppErrorCode code) => _callErrors.Add(1, _errorTags[(int)code]);

    /// <summary>Counts one upgrade refused by the security checks.</summary>
    public void AuthFailure(AuthFailureReason reason) => _authFailures.Add(1, _authFailureTags[(int)reason]);

    /// <summary>The <c>reason</c> tag value: snake_case, as OpenTelemetry attribute values usually are.</summary>
    public static string ReasonTag(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.MissingCredentials => "missing_credentials",
        AuthFailureReason.UnknownCharger => "unknown_charger",
        AuthFailureReason.BadPassword => "bad_password",
        AuthFailureReason.TlsRequired => "tls_required",
        AuthFailureReason.NoClientCertificate => "no_client_certificate",
        AuthFailureReason.CertificateUntrusted => "certificate_untrusted",
        AuthFailureReason.CertificateSubjectMismatch => "certificate_subject_mismatch",
        _ => "rate_limited",
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

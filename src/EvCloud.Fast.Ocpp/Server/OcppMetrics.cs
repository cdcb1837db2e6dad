using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Security;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// Gateway metrics on the <c>EvCloud.Fast.Ocpp</c> meter. Counters take pre-built tag arrays so recording a
/// message allocates nothing.
/// </summary>
/// <remarks>
/// Messages are tagged by action and version. The (version, action) tag arrays are built once, one per action of
/// the embedded schemas (about 190 arrays of two tags, ~25 KB), and found by the <see cref="OcppAction"/> instance the
/// dispatcher already resolved: a frozen reference-keyed lookup, no string and no tag array per message. Building
/// a <c>TagList</c> per message instead would box nothing either, but the exporter would then hash two strings per
/// message to find its series; a reused array lets it hit its last-seen cache.
/// </remarks>
public sealed class OcppMetrics : IDisposable
{
    /// <summary>The meter name, for OpenTelemetry and dotnet-counters.</summary>
    public const string MeterName = "EvCloud.Fast.Ocpp";

    private readonly Meter _meter;
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _callErrors;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _repliesDiscarded;
    private readonly Counter<long> _foreignTransactions;
    private readonly Histogram<double> _messageDuration;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _disconnects;
    private readonly Histogram<double> _callDuration;
    private readonly KeyValuePair<string, object?>[][] _disconnectTags;
    private readonly FrozenDictionary<OcppAction, KeyValuePair<string, object?>[]> _actionTags;
    private readonly KeyValuePair<string, object?>[][] _unknownActionTags;
    private readonly KeyValuePair<string, object?>[][] _versionTags;
    private readonly KeyValuePair<string, object?>[][] _errorTags;
    private readonly KeyValuePair<string, object?>[][] _authFailureTags;

    /// <summary>Creates the instruments.</summary>
    public OcppMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _handshakesRefused = _meter.CreateCounter<long>("evcloud.ocpp.handshakes.refused", description: "Upgrade requests answered with an HTTP error");
        _messages = _meter.CreateCounter<long>("evcloud.ocpp.messages", unit: "{message}", description: "CALLs received from chargers, by action and version");
        _messageDuration = _meter.CreateHistogram<double>(
            MessageDurationName, unit: "ms", description: "Time from a CALL's dispatch to its CALLRESULT written (durable messages: before the commit wait)");
        _callErrors = _meter.CreateCounter<long>("evcloud.ocpp.callerrors", description: "CALLERRORs sent to chargers, by code");
        _authFailures = _meter.CreateCounter<long>("evcloud.ocpp.auth.failures", description: "Upgrades refused by the security profile checks, by reason");
        _repliesDiscarded = _meter.CreateCounter<long>(
            "evcloud.ocpp.connections.discarded", unit: "{connection}", description: "Connections dropped without sending their written answers, because the events behind them could not be made durable");
        _foreignTransactions = _meter.CreateCounter<long>(
            ForeignTransactionsName, unit: "{message}", description: "Transaction messages refused because they named another charger's transaction, by action");
        _connects = _meter.CreateCounter<long>(ConnectsName, unit: "{connection}", description: "Chargers connected (WebSocket accepted after the security checks), by OCPP version");
        _disconnects = _meter.CreateCounter<long>(DisconnectsName, unit: "{connection}", description: "Charger connections ended, by reason (connection_lost, peer_closed, idle_timeout, replaced, server_shutdown, protocol_error, storage_failure)");
        _callDuration = _meter.CreateHistogram<double>(
            CallDurationName, unit: "ms", description: "CALLs sent to chargers (commands), from queued to answered, by action and result");
        DisconnectReason[] disconnectReasons = Enum.GetValues<DisconnectReason>();
        _disconnectTags = new KeyValuePair<string, object?>[disconnectReasons.Length][];
        foreach (DisconnectReason r in disconnectReasons)
        {
            _disconnectTags[(int)r] = [new("reason", DisconnectTag(r))];
        }

        _versionTags = new KeyValuePair<string, object?>[256][];
        foreach (OcppVersion v in Enum.GetValues<OcppVersion>())
        {
            _versionTags[(int)v] = [new("ocpp.version", v.ToString())];
        }

        _unknownActionTags = new KeyValuePair<string, object?>[256][];
        foreach (OcppVersion v in Enum.GetValues<OcppVersion>())
        {
            _unknownActionTags[(int)v] = [new("ocpp.version", v.ToString()), new("ocpp.action", UnknownAction)];
        }

        var actionTags = new Dictionary<OcppAction, KeyValuePair<string, object?>[]>(ReferenceEqualityComparer.Instance);
        OcppSchemaSet schemas = OcppSchemaSet.LoadEmbedded();
        foreach (OcppVersion v in Enum.GetValues<OcppVersion>())
        {
            foreach (OcppAction action in schemas.Actions(v))
            {
                actionTags[action] = [new("ocpp.version", v.ToString()), new("ocpp.action", action.Name)];
            }
        }

        _actionTags = actionTags.ToFrozenDictionary(ReferenceEqualityComparer.Instance);

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

    /// <summary>
    /// Publishes the connected chargers by version, read from <paramref name="registry"/> when metrics are collected:
    /// the gauge is the registry's own count, so it cannot drift from it.
    /// </summary>
    internal void ObserveConnections(OcppConnectionRegistry registry)
    {
        OcppVersion[] versions = [.. Enum.GetValues<OcppVersion>().Where(v => v != OcppVersion.None)];
        _meter.CreateObservableGauge(
            "evcloud.ocpp.connections",
            () => versions.Select(v => new Measurement<long>(registry.CountOf(v), _versionTags[(int)v])),
            description: "Connected chargers, by OCPP version");
    }

    /// <summary>The connects counter's name.</summary>
    public const string ConnectsName = "evcloud.ocpp.connects";

    /// <summary>The disconnects counter's name (tagged <c>reason</c>).</summary>
    public const string DisconnectsName = "evcloud.ocpp.disconnects";

    /// <summary>The histogram of CALLs sent to chargers (tagged <c>ocpp.action</c> and <c>result</c>).</summary>
    public const string CallDurationName = "evcloud.ocpp.call.duration";

    /// <summary>Counts one accepted connection.</summary>
    public void Connected(OcppVersion version) => _connects.Add(1, _versionTags[(int)version]);

    /// <summary>Counts one ended connection.</summary>
    public void Disconnected(DisconnectReason reason) => _disconnects.Add(1, _disconnectTags[(int)reason]);

    /// <summary>Records one CALL we sent and its outcome (commands are rare: the tags are built per call).</summary>
    public void CallCompleted(string action, Rpc.OcppCallStatus status, double milliseconds)
    {
        if (_callDuration.Enabled)
        {
            _callDuration.Record(milliseconds, new KeyValuePair<string, object?>("ocpp.action", action), new KeyValuePair<string, object?>("result", CallStatusTag(status)));
        }
    }

    /// <summary>The <c>reason</c> tag value of a disconnect (snake_case).</summary>
    public static string DisconnectTag(DisconnectReason reason) => reason switch
    {
        DisconnectReason.PeerClosed => "peer_closed",
        DisconnectReason.IdleTimeout => "idle_timeout",
        DisconnectReason.Replaced => "replaced",
        DisconnectReason.ServerShutdown => "server_shutdown",
        DisconnectReason.ProtocolError => "protocol_error",
        DisconnectReason.StorageFailure => "storage_failure",
        _ => "connection_lost",
    };

    /// <summary>The <c>result</c> tag value of a CALL we sent (snake_case).</summary>
    public static string CallStatusTag(Rpc.OcppCallStatus status) => status switch
    {
        Rpc.OcppCallStatus.Completed => "completed",
        Rpc.OcppCallStatus.CallError => "call_error",
        Rpc.OcppCallStatus.Timeout => "timeout",
        Rpc.OcppCallStatus.Offline => "offline",
        Rpc.OcppCallStatus.InvalidResponse => "invalid_response",
        _ => "rejected",
    };

    internal void HandshakeRefused(int statusCode) => _handshakesRefused.Add(1, new KeyValuePair<string, object?>("http.status", statusCode));

    /// <summary>The message-duration histogram's name (its buckets are set where the exporter is configured).</summary>
    public const string MessageDurationName = "evcloud.ocpp.message.duration";

    /// <summary>The <c>ocpp.action</c> tag of a CALL whose action the version does not have.</summary>
    public const string UnknownAction = "unknown";

    /// <summary>Counts one received CALL whose action is not one of <paramref name="version"/>'s.</summary>
    public void Message(OcppVersion version) => _messages.Add(1, _unknownActionTags[(int)version]);

    /// <summary>Counts one received CALL of a known action (tagged with the action's version and name).</summary>
    public void Message(OcppAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _messages.Add(1, TagsOf(action));
    }

    /// <summary>
    /// Records how long the dispatcher took to answer <paramref name="action"/>, from <paramref name="startTimestamp"/>
    /// (<see cref="Stopwatch.GetTimestamp"/>) to now.
    /// </summary>
    public void MessageHandled(OcppAction action, long startTimestamp)
    {
        if (_messageDuration.Enabled)
        {
            _messageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, TagsOf(action));
        }
    }

    private ReadOnlySpan<KeyValuePair<string, object?>> TagsOf(OcppAction action) =>
        _actionTags.TryGetValue(action, out KeyValuePair<string, object?>[]? tags) ? tags : _unknownActionTags[(int)action.Version];

    /// <summary>Counts one CALLERROR sent.</summary>
    public void CallError(OcppErrorCode code) => _callErrors.Add(1, _errorTags[(int)code]);

    /// <summary>Counts one connection dropped with its unsent answers (a failed commit).</summary>
    public void RepliesDiscarded() => _repliesDiscarded.Add(1);

    /// <summary>The counter of messages that named another charger's transaction (tagged <c>ocpp.action</c>).</summary>
    public const string ForeignTransactionsName = "evcloud.ocpp.transactions.foreign";

    /// <summary>Counts one message refused because it named another charger's transaction (rare: allocates its tag).</summary>
    public void ForeignTransaction(string action) => _foreignTransactions.Add(1, new KeyValuePair<string, object?>("ocpp.action", action));

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

namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>Options of the OCPP WebSocket listener (section <c>Ocpp</c> of the configuration).</summary>
public sealed class OcppTransportOptions
{
    /// <summary>Path prefix before the charge point id: chargers connect to <c>{PathPrefix}{chargePointId}</c>.</summary>
    public string PathPrefix { get; set; } = "/ocpp/";

    /// <summary>Every subprotocol token the gateway knows.</summary>
    public static readonly string[] KnownProtocols = ["ocpp2.1", "ocpp2.0.1", "ocpp1.6"];

    /// <summary>Protocols enabled when the configuration names none.</summary>
    public static readonly string[] DefaultProtocols = KnownProtocols;

    /// <summary>
    /// Protocols the gateway accepts, in no particular order: the charger's order of preference in
    /// <c>Sec-WebSocket-Protocol</c> decides among them. Empty means <see cref="DefaultProtocols"/>
    /// (an empty default, because the configuration binder appends to arrays instead of replacing them).
    /// </summary>
    public string[] EnabledProtocols { get; set; } = [];

    /// <summary>
    /// Protocol assumed when a charger sends no <c>Sec-WebSocket-Protocol</c> at all (some early 1.6 firmware).
    /// Null (the default) refuses such a handshake with 400, as the OCPP-J specifications require the header.
    /// </summary>
    public string? AssumeProtocolWhenMissing { get; set; }

    /// <summary>Largest accepted upgrade request, in bytes (request line and headers).</summary>
    public int MaxHandshakeBytes { get; set; } = 8 * 1024;

    /// <summary>Time a client has to complete its upgrade request before the socket is closed.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest OCPP-J message (after reassembly of fragments); larger ones are closed with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>The server pings a charger it has heard nothing from for this long. Zero disables pings.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A charger silent for this long (no frame at all, pongs included) is dropped as dead.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>How long a server-initiated CALL waits for its CALLRESULT / CALLERROR.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server CALLs queued behind the outstanding one, per charger; more are refused.</summary>
    public int MaxQueuedCalls { get; set; } = 64;

    /// <summary>After the server sends Close, how long it waits for the charger's Close before dropping the socket.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

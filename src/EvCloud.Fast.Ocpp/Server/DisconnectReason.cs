namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// Why a charger's connection ended, as the <c>reason</c> of the disconnect log line and of the
/// <c>evcloud.ocpp.disconnects</c> counter. The first cause wins: a connection replaced by a newer one that then
/// answers our Close is <see cref="Replaced"/>, not <see cref="PeerClosed"/>.
/// </summary>
public enum DisconnectReason
{
    /// <summary>The transport ended without a Close frame (network loss, the charger rebooted, a TCP reset).</summary>
    ConnectionLost,

    /// <summary>The charger sent a Close frame (its code is <see cref="OcppConnection.PeerCloseCode"/>).</summary>
    PeerClosed,

    /// <summary>No frame within <c>Ocpp:IdleTimeout</c>: the connection was aborted.</summary>
    IdleTimeout,

    /// <summary>A newer connection with the same charge point id took over (closed with 1001).</summary>
    Replaced,

    /// <summary>The server is stopping (closed with 1001).</summary>
    ServerShutdown,

    /// <summary>The charger broke RFC 6455 framing or sent invalid data; we failed the connection (1002/1003/1007/1009).</summary>
    ProtocolError,

    /// <summary>Events behind written answers could not be made durable; the connection was dropped without them.</summary>
    StorageFailure,
}

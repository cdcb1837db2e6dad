namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>WebSocket frame opcodes (RFC 6455 §5.2, §11.8).</summary>
public enum WebSocketOpcode : byte
{
    /// <summary>Continuation of a fragmented message.</summary>
    Continuation = 0x0,
    /// <summary>UTF-8 text; OCPP-J uses only text frames.</summary>
    Text = 0x1,
    /// <summary>Binary data; refused by the gateway (close 1003).</summary>
    Binary = 0x2,
    /// <summary>Close control frame.</summary>
    Close = 0x8,
    /// <summary>Ping control frame.</summary>
    Ping = 0x9,
    /// <summary>Pong control frame.</summary>
    Pong = 0xA,
}

/// <summary>Close status codes used by the gateway (RFC 6455 §7.4.1).</summary>
public static class WebSocketCloseCodes
{
    /// <summary>Normal closure.</summary>
    public const ushort NormalClosure = 1000;
    /// <summary>The endpoint is going away (server shutdown, or the connection was replaced by a newer one).</summary>
    public const ushort GoingAway = 1001;
    /// <summary>Protocol error: broken framing, unmasked client frame, reserved bits, bad control frame.</summary>
    public const ushort ProtocolError = 1002;
    /// <summary>A data type the endpoint cannot accept: binary frames (OCPP-J is text only).</summary>
    public const ushort UnsupportedData = 1003;
    /// <summary>Reserved: no status code was present in a received Close frame. Never sent.</summary>
    public const ushort NoStatusReceived = 1005;
    /// <summary>Text frame payload that is not valid UTF-8.</summary>
    public const ushort InvalidPayloadData = 1007;
    /// <summary>Policy violation (e.g. idle timeout).</summary>
    public const ushort PolicyViolation = 1008;
    /// <summary>Message too big: a message over the configured maximum size.</summary>
    public const ushort MessageTooBig = 1009;
    /// <summary>Unexpected condition on the server.</summary>
    public const ushort InternalError = 1011;

    /// <summary>Whether <paramref name="code"/> may appear in a Close frame on the wire (RFC 6455 §7.4.1–7.4.2).</summary>
    public static bool IsValidOnWire(ushort code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;
}

namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>A parsed RFC 6455 §5.2 frame header.</summary>
public readonly struct WebSocketFrameHeader
{
    /// <summary>Creates a header.</summary>
    public WebSocketFrameHeader(bool fin, byte reserved, WebSocketOpcode opcode, bool masked, uint maskKey, long payloadLength, int headerLength)
    {
        Fin = fin;
        Reserved = reserved;
        Opcode = opcode;
        Masked = masked;
        MaskKey = maskKey;
        PayloadLength = payloadLength;
        HeaderLength = headerLength;
    }

    /// <summary>Final fragment of a message.</summary>
    public bool Fin { get; }

    /// <summary>RSV1–RSV3 bits (0 unless an extension was negotiated; the gateway negotiates none).</summary>
    public byte Reserved { get; }

    /// <summary>The frame's opcode.</summary>
    public WebSocketOpcode Opcode { get; }

    /// <summary>Whether the payload is masked (every client-to-server frame must be, §5.1).</summary>
    public bool Masked { get; }

    /// <summary>The masking key as read from the wire, first byte in the lowest byte.</summary>
    public uint MaskKey { get; }

    /// <summary>Payload length in bytes.</summary>
    public long PayloadLength { get; }

    /// <summary>Header length in bytes (2 to 14).</summary>
    public int HeaderLength { get; }

    /// <summary>Whether this is a control frame (close, ping, pong).</summary>
    public bool IsControl => ((byte)Opcode & 0x8) != 0;
}

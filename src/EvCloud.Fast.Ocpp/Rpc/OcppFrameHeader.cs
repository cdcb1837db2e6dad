namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>
/// The leading elements of an OCPP-J message. <see cref="MessageId"/> and <see cref="Action"/> point into
/// the caller's scratch buffers or into the message itself; they live as long as those do.
/// </summary>
public readonly ref struct OcppFrameHeader
{
    /// <summary>Creates a header.</summary>
    public OcppFrameHeader(OcppMessageType type, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> action)
    {
        Type = type;
        MessageId = messageId;
        Action = action;
    }

    /// <summary>The message type.</summary>
    public OcppMessageType Type { get; }

    /// <summary>The unescaped UTF-8 message id.</summary>
    public ReadOnlySpan<byte> MessageId { get; }

    /// <summary>The unescaped UTF-8 action (CALL and SEND), or the error code (CALLERROR, CALLRESULTERROR).</summary>
    public ReadOnlySpan<byte> Action { get; }
}

/// <summary>Why an OCPP-J message could not be read as an RPC frame.</summary>
public enum OcppFrameError : byte
{
    /// <summary>The frame header was read.</summary>
    None,
    /// <summary>The message is not a JSON array.</summary>
    NotAnArray,
    /// <summary>The first element is not a known MessageTypeNumber.</summary>
    UnknownMessageType,
    /// <summary>The message id is missing, not a string, or longer than <see cref="OcppJFrameReader.MaxMessageIdBytes"/>.</summary>
    BadMessageId,
    /// <summary>The action (or error code) is missing, not a string, or too long.</summary>
    BadAction,
    /// <summary>The payload is missing or not a JSON object.</summary>
    BadPayload,
}

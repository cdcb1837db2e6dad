using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// The receive loop's parsing steps in the order <c>OcppConnection</c> runs them, without the connection:
/// WebSocket header, unmask in place, UTF-8 check, OCPP-J envelope, action lookup, schema validation of
/// the payload, end of the array. Scratch buffers are this object's, so a call allocates nothing.
/// </summary>
public sealed class FrameParsingPath
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private readonly OcppSchemaSet _schemas = OcppSchemaSet.LoadEmbedded();
    private readonly byte[] _messageId = new byte[OcppJFrameReader.MaxMessageIdBytes];
    private readonly byte[] _action = new byte[OcppJFrameReader.MaxActionBytes];
    private readonly byte[] _description = new byte[256];
    private readonly byte[] _contiguous = new byte[64 * 1024];

    /// <summary>RFC 6455 only: the frame header and unmasking. Returns the payload length.</summary>
    public static long ReadWebSocketFrame(in ReadOnlySequence<byte> frame)
    {
        if (WebSocketFrameReader.TryReadHeader(frame, out WebSocketFrameHeader header, out _) != FrameReadStatus.Done
            || !header.Masked || frame.Length < header.HeaderLength + header.PayloadLength)
        {
            return -1;
        }

        WebSocketFrameReader.Unmask(frame.Slice(header.HeaderLength, header.PayloadLength), header.MaskKey);
        return header.PayloadLength;
    }

    /// <summary>The whole path; true when the frame is a schema-valid OCPP 1.6 CALL.</summary>
    public bool TryParseCall(in ReadOnlySequence<byte> frame)
    {
        // RFC 6455 §5.2 header, §5.3 unmasking.
        if (WebSocketFrameReader.TryReadHeader(frame, out WebSocketFrameHeader ws, out _) != FrameReadStatus.Done
            || !ws.Masked || frame.Length < ws.HeaderLength + ws.PayloadLength)
        {
            return false;
        }

        ReadOnlySequence<byte> payload = frame.Slice(ws.HeaderLength, ws.PayloadLength);
        WebSocketFrameReader.Unmask(payload, ws.MaskKey);

        // §8.1: text frames carry UTF-8. A code point may straddle segments, so a split message is checked
        // as a contiguous copy, as the connection does (with a pooled array there).
        if (!(payload.IsSingleSegment ? Utf8.IsValid(payload.FirstSpan) : IsValidUtf8Copy(payload)))
        {
            return false;
        }

        // OCPP-J CALL: [2,"<messageId>","<Action>",{...}]
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        if (OcppJFrameReader.TryReadHeader(ref reader, _messageId, _action, _description, out OcppFrameHeader header, out _) != OcppFrameError.None
            || header.Type != OcppMessageType.Call
            || !_schemas.TryGetAction(OcppVersion.Ocpp16, header.Action, out OcppAction? action)
            || action.Request is null)
        {
            return false;
        }

        return action.Request.TryValidate(ref reader, out _) && OcppJFrameReader.TryReadEnd(ref reader);
    }

    private bool IsValidUtf8Copy(in ReadOnlySequence<byte> payload)
    {
        Span<byte> copy = _contiguous.AsSpan(0, (int)payload.Length);
        payload.CopyTo(copy);
        return Utf8.IsValid(copy);
    }
}

using System.Buffers;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Fuzz;

/// <summary>
/// Bytes received on an upgraded connection, read frame by frame as the receive loop does:
/// <see cref="WebSocketFrameReader.TryReadHeader"/> over the buffer (whole, and split after its first byte as
/// a pipe may deliver it), then the payload unmasked in place (<see cref="WebSocketFrameReader.Unmask"/>).
/// </summary>
/// <remarks>
/// Expected: <see cref="FrameReadStatus.Invalid"/> with close code 1002, or NeedMoreData. A crash: any exception, the
/// two segmentations disagreeing, a header whose lengths break RFC 6455 §5.2 (header 2–14 bytes, payload length not
/// negative, a control frame over 125 bytes or fragmented), or unmasking that differs between one and many segments.
/// </remarks>
public sealed class FrameTarget : IFuzzTarget
{
    private const int MaxFrames = 64;

    public string Name => "frame";

    public void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = input.ToArray();
        int offset = 0;
        for (int frames = 0; frames < MaxFrames && offset < bytes.Length; frames++)
        {
            var whole = new ReadOnlySequence<byte>(bytes, offset, bytes.Length - offset);
            FrameReadStatus status = WebSocketFrameReader.TryReadHeader(whole, out WebSocketFrameHeader header, out ushort closeCode);
            ReadOnlySequence<byte> split = Segments.Split(bytes.AsSpan(offset), 1);
            FrameReadStatus statusSplit = WebSocketFrameReader.TryReadHeader(split, out WebSocketFrameHeader headerSplit, out ushort closeCodeSplit);
            if (status != statusSplit || closeCode != closeCodeSplit || (status == FrameReadStatus.Done && !Same(header, headerSplit)))
            {
                throw new FuzzInvariantException($"TryReadHeader disagrees over one and two segments: {status}/{closeCode} vs {statusSplit}/{closeCodeSplit}");
            }

            if (status == FrameReadStatus.Invalid)
            {
                if (closeCode != WebSocketCloseCodes.ProtocolError)
                {
                    throw new FuzzInvariantException("Invalid frame with close code " + closeCode);
                }

                return; // the connection closes with 1002
            }

            if (status == FrameReadStatus.NeedMoreData)
            {
                if (whole.Length >= 14)
                {
                    throw new FuzzInvariantException("NeedMoreData with a complete 14-byte header available");
                }

                return;
            }

            CheckHeader(header);
            long available = bytes.Length - offset - header.HeaderLength;
            if (available < header.PayloadLength)
            {
                return; // the loop waits for the rest of the payload
            }

            int length = (int)header.PayloadLength;
            int start = offset + header.HeaderLength;
            if (header.Masked)
            {
                CheckUnmask(bytes.AsSpan(start, length), header.MaskKey);
                WebSocketFrameReader.Unmask(new ReadOnlySequence<byte>(bytes, start, length), header.MaskKey);
            }

            offset = start + length;
        }
    }

    private static bool Same(in WebSocketFrameHeader a, in WebSocketFrameHeader b) =>
        a.Fin == b.Fin && a.Reserved == b.Reserved && a.Opcode == b.Opcode && a.Masked == b.Masked && a.MaskKey == b.MaskKey
        && a.PayloadLength == b.PayloadLength && a.HeaderLength == b.HeaderLength;

    private static void CheckHeader(in WebSocketFrameHeader header)
    {
        int expected = 2 + (header.PayloadLength > 125 ? (header.PayloadLength > ushort.MaxValue ? 8 : 2) : 0) + (header.Masked ? 4 : 0);
        if (header.HeaderLength is < 2 or > 14 || header.PayloadLength < 0 || header.HeaderLength < expected)
        {
            throw new FuzzInvariantException($"Header length {header.HeaderLength} for payload {header.PayloadLength}");
        }

        if (header.IsControl && (!header.Fin || header.PayloadLength > 125))
        {
            throw new FuzzInvariantException("Accepted a fragmented or oversized control frame");
        }
    }

    // §5.3: the same key applied to one span and to the same bytes in 1..7-byte segments gives the same result.
    private static void CheckUnmask(ReadOnlySpan<byte> payload, uint key)
    {
        byte[] one = payload.ToArray();
        WebSocketFrameReader.UnmaskSpan(one, key, 0);
        byte[] many = payload.ToArray();
        int keyOffset = 0;
        for (int at = 0, step = 1; at < many.Length; at += step, step = (step % 7) + 1)
        {
            int n = Math.Min(step, many.Length - at);
            WebSocketFrameReader.UnmaskSpan(many.AsSpan(at, n), key, keyOffset);
            keyOffset = (keyOffset + n) & 3;
        }

        if (!one.AsSpan().SequenceEqual(many))
        {
            throw new FuzzInvariantException("Unmasking in segments differs from unmasking at once");
        }

        WebSocketFrameReader.UnmaskSpan(one, key, 0);
        if (!one.AsSpan().SequenceEqual(payload))
        {
            throw new FuzzInvariantException("Unmasking twice does not restore the payload");
        }
    }
}

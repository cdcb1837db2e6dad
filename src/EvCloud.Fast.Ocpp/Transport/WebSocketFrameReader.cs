using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>Outcome of reading a frame header.</summary>
public enum FrameReadStatus : byte
{
    /// <summary>A complete header was read.</summary>
    Done,
    /// <summary>The buffer holds only part of a header; nothing was consumed.</summary>
    NeedMoreData,
    /// <summary>The header violates RFC 6455; the connection must be closed with the returned code.</summary>
    Invalid,
}

/// <summary>
/// Reads RFC 6455 frame headers from a pipe buffer and unmasks payloads in place.
/// Frame first, then parse: the header bounds the payload, so the OCPP-J reader always sees a complete message.
/// </summary>
public static class WebSocketFrameReader
{
    // RFC 6455 §5.2:
    //  0                   1                   2                   3
    //  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    // +-+-+-+-+-------+-+-------------+-------------------------------+
    // |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
    // |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
    // |N|V|V|V|       |S|             |   (if payload len==126/127)   |
    // | |1|2|3|       |K|             |                               |
    // +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
    // |     Extended payload length continued, if payload len == 127  |
    // + - - - - - - - - - - - - - - - +-------------------------------+
    // |                               |Masking-key, if MASK set to 1  |
    // +-------------------------------+-------------------------------+
    private const int MaxHeaderLength = 14;

    /// <summary>
    /// Reads one frame header from the start of <paramref name="buffer"/>. Never consumes a partial header.
    /// Checks the RFC 6455 rules that need no connection state (reserved bits, opcodes, control-frame size
    /// and fragmentation, 64-bit length MSB, minimal length encoding is not required); the caller enforces
    /// masking and message-size limits.
    /// </summary>
    /// <param name="buffer">Bytes received so far.</param>
    /// <param name="header">The header when <see cref="FrameReadStatus.Done"/>.</param>
    /// <param name="closeCode">The close code to send when <see cref="FrameReadStatus.Invalid"/>.</param>
    public static FrameReadStatus TryReadHeader(in ReadOnlySequence<byte> buffer, out WebSocketFrameHeader header, out ushort closeCode)
    {
        closeCode = 0;
        header = default;
        if (buffer.Length < 2)
        {
            return FrameReadStatus.NeedMoreData;
        }

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        Span<byte> scratch = stackalloc byte[MaxHeaderLength];
        scoped ReadOnlySpan<byte> bytes;
        if (first.Length >= MaxHeaderLength)
        {
            bytes = first;
        }
        else
        {
            int n = (int)Math.Min(buffer.Length, MaxHeaderLength);
            buffer.Slice(0, n).CopyTo(scratch);
            bytes = scratch[..n];
        }

        byte b0 = bytes[0];
        byte b1 = bytes[1];
        bool fin = (b0 & 0x80) != 0;
        byte reserved = (byte)((b0 >> 4) & 0x7);
        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool masked = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7F;

        int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (bytes.Length < headerLength)
        {
            return FrameReadStatus.NeedMoreData;
        }

        long payloadLength = len7;
        int offset = 2;
        if (len7 == 126)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            offset = 4;
        }
        else if (len7 == 127)
        {
            ulong l = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if ((l & 0x8000_0000_0000_0000UL) != 0)
            {
                // §5.2: "the most significant bit MUST be 0".
                closeCode = WebSocketCloseCodes.ProtocolError;
                return FrameReadStatus.Invalid;
            }

            payloadLength = (long)l;
            offset = 10;
        }

        uint maskKey = masked ? MemoryMarshal.Read<uint>(bytes[offset..]) : 0u;
        header = new WebSocketFrameHeader(fin, reserved, opcode, masked, maskKey, payloadLength, headerLength);

        if (reserved != 0)
        {
            // §5.2: RSV bits MUST be 0 unless an extension defines them; none is negotiated.
            closeCode = WebSocketCloseCodes.ProtocolError;
            return FrameReadStatus.Invalid;
        }

        switch (opcode)
        {
            case WebSocketOpcode.Continuation:
            case WebSocketOpcode.Text:
            case WebSocketOpcode.Binary:
                break;
            case WebSocketOpcode.Close:
            case WebSocketOpcode.Ping:
            case WebSocketOpcode.Pong:
                // §5.5: control frames carry at most 125 bytes and MUST NOT be fragmented.
                if (!fin || payloadLength > 125 || (opcode == WebSocketOpcode.Close && payloadLength == 1))
                {
                    closeCode = WebSocketCloseCodes.ProtocolError;
                    return FrameReadStatus.Invalid;
                }

                break;
            default:
                // §5.2: reserved opcodes 0x3-0x7 and 0xB-0xF.
                closeCode = WebSocketCloseCodes.ProtocolError;
                return FrameReadStatus.Invalid;
        }

        return FrameReadStatus.Done;
    }

    /// <summary>
    /// XORs <paramref name="payload"/> with the masking key in place (§5.3). The pipe's memory is
    /// writable (it is pool memory exposed as read-only), so no copy is needed.
    /// </summary>
    /// <param name="payload">The masked payload.</param>
    /// <param name="maskKey">The key as read from the header.</param>
    /// <param name="keyOffset">Bytes of this message already unmasked with the same key (0 for a fresh frame).</param>
    public static void Unmask(in ReadOnlySequence<byte> payload, uint maskKey, int keyOffset = 0)
    {
        if (payload.IsSingleSegment)
        {
            UnmaskSpan(MemoryMarshal.AsMemory(payload.First).Span, maskKey, keyOffset);
            return;
        }

        foreach (ReadOnlyMemory<byte> segment in payload)
        {
            UnmaskSpan(MemoryMarshal.AsMemory(segment).Span, maskKey, keyOffset);
            keyOffset = (keyOffset + segment.Length) & 3;
        }
    }

    /// <summary>XORs a span with the key rotated by <paramref name="keyOffset"/> bytes.</summary>
    public static void UnmaskSpan(Span<byte> data, uint maskKey, int keyOffset)
    {
        if (data.IsEmpty)
        {
            return;
        }

        // NOTE: little-endian: the key's lowest byte is the first mask byte; rotating right by the
        // offset makes the lowest byte the mask byte for data[0].
        uint key = BitOperations.RotateRight(maskKey, (keyOffset & 3) * 8);

        int i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var keyVector = new Vector<uint>(key).As<uint, byte>();
            Span<Vector<byte>> vectors = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            for (int v = 0; v < vectors.Length; v++)
            {
                vectors[v] ^= keyVector;
            }

            i = vectors.Length * Vector<byte>.Count;
        }

        ulong key64 = key | ((ulong)key << 32);
        for (; i + 8 <= data.Length; i += 8)
        {
            ref byte at = ref data[i];
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) ^ key64);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(key >> ((i & 3) * 8));
        }
    }
}

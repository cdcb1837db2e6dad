using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>Writes RFC 6455 frames: unmasked server frames, and masked client frames for simulators and tests.</summary>
public static class WebSocketFrameWriter
{
    /// <summary>The largest header a server (unmasked) frame can need.</summary>
    public const int MaxServerHeaderLength = 10;

    /// <summary>The largest header a client (masked) frame can need.</summary>
    public const int MaxClientHeaderLength = 14;

    /// <summary>Length of a server frame header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int ServerHeaderLength(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes an unmasked frame header (§5.2) and returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, int payloadLength, bool fin = true, bool masked = false)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (payloadLength < 126)
        {
            destination[1] = (byte)(maskBit | payloadLength);
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = (byte)(maskBit | 127);
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>Writes a complete unmasked server frame into <paramref name="output"/> (no flush).</summary>
    public static void WriteServerFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        int headerLength = ServerHeaderLength(payload.Length);
        Span<byte> span = output.GetSpan(headerLength + payload.Length);
        WriteHeader(span, opcode, payload.Length);
        payload.CopyTo(span[headerLength..]);
        output.Advance(headerLength + payload.Length);
    }

    /// <summary>Writes a Close frame with a status code and a UTF-8 reason (truncated to fit 125 bytes).</summary>
    public static void WriteClose(IBufferWriter<byte> output, ushort code, ReadOnlySpan<byte> reason)
    {
        Span<byte> payload = stackalloc byte[125];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        int reasonLength = Math.Min(reason.Length, 123);
        reason[..reasonLength].CopyTo(payload[2..]);
        WriteServerFrame(output, WebSocketOpcode.Close, payload[..(2 + reasonLength)]);
    }

    /// <summary>
    /// Writes a complete masked client frame (§5.3) with the given key. Used by charger simulators,
    /// the load tool and protocol tests; a server never masks.
    /// </summary>
    public static void WriteClientFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, uint maskKey, bool fin = true)
    {
        int headerLength = ServerHeaderLength(payload.Length) + 4;
        Span<byte> span = output.GetSpan(headerLength + payload.Length);
        int written = WriteHeader(span, opcode, payload.Length, fin, masked: true);
        MemoryMarshal.Write(span[written..], in maskKey);
        Span<byte> body = span.Slice(headerLength, payload.Length);
        payload.CopyTo(body);
        WebSocketFrameReader.UnmaskSpan(body, maskKey, 0);
        output.Advance(headerLength + payload.Length);
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Load;

/// <summary>
/// The few OCPP 1.6J messages a simulated charger sends, written as masked client frames straight into a
/// per-thread buffer and sent in one call. Nothing is allocated per message.
/// </summary>
internal static class ChargerMessages
{
    /// <summary>Largest message the simulator writes (a StatusNotification is ~100 bytes).</summary>
    private const int MaxPayload = 512;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frame;

    // OCPP-J 1.6 §4.2.1 CALL: [2,"<messageId>","<Action>",{<payload>}]
    public static int WriteCall(Span<byte> destination, int messageId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> payload)
    {
        int n = Append(destination, 0, "[2,\""u8);
        n += Utf8Formatter.TryFormat(messageId, destination[n..], out int idLength) ? idLength : 0;
        n = Append(destination, n, "\",\""u8);
        n = Append(destination, n, action);
        n = Append(destination, n, "\","u8);
        n = Append(destination, n, payload);
        return Append(destination, n, "]"u8);
    }

    // OCPP-J 1.6 §4.2.2 CALLRESULT: [3,"<messageId>",{<payload>}]
    public static int WriteCallResult(Span<byte> destination, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> payload)
    {
        int n = Append(destination, 0, "[3,\""u8);
        n = Append(destination, n, messageId);
        n = Append(destination, n, "\","u8);
        n = Append(destination, n, payload);
        return Append(destination, n, "]"u8);
    }

    // OCPP-J 1.6 §4.2.3 CALLERROR: [4,"<messageId>","<errorCode>","<errorDescription>",{<errorDetails>}]
    public static int WriteCallError(Span<byte> destination, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> errorCode)
    {
        int n = Append(destination, 0, "[4,\""u8);
        n = Append(destination, n, messageId);
        n = Append(destination, n, "\",\""u8);
        n = Append(destination, n, errorCode);
        return Append(destination, n, "\",\"\",{}]"u8);
    }

    /// <summary>Frames <paramref name="payload"/> as one masked client frame (RFC 6455 §5.3) and sends it.</summary>
    public static void SendFrame(Socket socket, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        ArrayBufferWriter<byte> frame = t_frame ??= new ArrayBufferWriter<byte>(MaxPayload + WebSocketFrameWriter.MaxClientHeaderLength);
        frame.ResetWrittenCount();
        WebSocketFrameWriter.WriteClientFrame(frame, opcode, payload, (uint)Random.Shared.Next() ^ ((uint)Random.Shared.Next() << 1));
        ReadOnlySpan<byte> bytes = frame.WrittenSpan;
        while (!bytes.IsEmpty)
        {
            bytes = bytes[socket.Send(bytes, SocketFlags.None)..];
        }
    }

    /// <summary>Size of the stack buffer a caller formats a message into.</summary>
    public const int ScratchSize = MaxPayload;

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}

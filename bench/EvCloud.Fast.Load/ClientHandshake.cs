using System.Buffers;
using System.Text;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Load;

/// <summary>A failed opening handshake, with the kind of error the report counts.</summary>
internal sealed class HandshakeException(ErrorKind kind) : Exception(kind.ToString())
{
    public ErrorKind Kind { get; } = kind;
}

/// <summary>
/// The client side of the RFC 6455 opening handshake (§4.1 request, §4.2.2 the server's 101), shared by every simulated
/// charger whatever it reads from (a socket, or a TLS stream).
/// </summary>
internal static class ClientHandshake
{
    /// <summary>A 101 with its headers is a few hundred bytes; anything longer is not a WebSocket upgrade answer.</summary>
    public const int MaxResponseBytes = 4096;

    /// <summary>The upgrade request for <paramref name="path"/> with subprotocol <paramref name="protocol"/>, and its key.</summary>
    public static (byte[] Request, string Key) Request(string path, string host, string protocol)
    {
        byte[] nonce = new byte[16];
        Random.Shared.NextBytes(nonce);
        string key = Convert.ToBase64String(nonce);
        string request =
            $"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";
        return (Encoding.ASCII.GetBytes(request), key);
    }

    /// <summary>
    /// Reads the server's answer through <paramref name="read"/> and checks it is a 101 with the right accept key and
    /// subprotocol. Returns the bytes that followed the head (the first frames), in a pooled buffer, or null.
    /// </summary>
    /// <exception cref="HandshakeException">Refused (not 101), or an invalid or oversized answer.</exception>
    public static async Task<(byte[]? Initial, int Length)> ReadResponseAsync(Func<Memory<byte>, ValueTask<int>> read, string key, string protocol)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxResponseBytes);
        int length = 0;
        while (true)
        {
            int n = await read(buffer.AsMemory(length, MaxResponseBytes - length)).ConfigureAwait(false);
            length += n;
            int end = n == 0 ? -1 : buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (n == 0 || (end < 0 && length == MaxResponseBytes))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new HandshakeException(ErrorKind.HandshakeInvalid);
            }

            if (end < 0)
            {
                continue;
            }

            ErrorKind? problem = Check(Encoding.Latin1.GetString(buffer, 0, end), key, protocol);
            if (problem is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new HandshakeException(problem.Value);
            }

            int rest = length - end - 4;
            if (rest == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0);
            }

            buffer.AsSpan(end + 4, rest).CopyTo(buffer);
            return (buffer, rest);
        }
    }

    /// <summary>Null for a 101 whose Sec-WebSocket-Accept matches the key and whose subprotocol is the one asked for.</summary>
    internal static ErrorKind? Check(string head, string key, string protocol)
    {
        string[] lines = head.Split("\r\n");
        string[] status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return ErrorKind.HandshakeInvalid;
        }

        if (status[1] != "101")
        {
            return ErrorKind.HandshakeRefused;
        }

        string? accept = null, chosen = null;
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> name = line.AsSpan(0, colon).Trim();
            if (name.Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
            {
                accept = line[(colon + 1)..].Trim();
            }
            else if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            {
                chosen = line[(colon + 1)..].Trim();
            }
        }

        return accept == WebSocketHandshake.ComputeAccept(key) && chosen == protocol ? null : ErrorKind.HandshakeInvalid;
    }
}

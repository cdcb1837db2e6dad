using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>
/// A fake charger over a raw TCP socket that writes exactly the bytes a test asks for: the upgrade request,
/// masked frames (well-formed or not), fragments. It reads server frames with the gateway's own frame reader.
/// </summary>
public sealed class RawCharger : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _readBuffer = new byte[256 * 1024];
    private int _readStart;
    private int _readEnd;
    private int _messageId;

    private RawCharger(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>The HTTP status line and headers of the upgrade response.</summary>
    public string HandshakeResponse { get; private set; } = "";

    /// <summary>Opens a TCP connection without sending anything.</summary>
    public static async Task<RawCharger> OpenAsync(System.Net.IPEndPoint endPoint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        return new RawCharger(client);
    }

    /// <summary>Connects and upgrades with the given subprotocols; throws unless the answer is 101.</summary>
    public static async Task<RawCharger> ConnectAsync(System.Net.IPEndPoint endPoint, string id, string protocols = "ocpp1.6")
    {
        RawCharger charger = await OpenAsync(endPoint);
        int status = await charger.UpgradeAsync(id, protocols);
        if (status != 101)
        {
            throw new InvalidOperationException("Upgrade failed: " + charger.HandshakeResponse);
        }

        return charger;
    }

    /// <summary>Sends an upgrade request and returns the HTTP status code of the answer.</summary>
    public async Task<int> UpgradeAsync(string id, string? protocols, string? extraHeaders = null, string key = "dGhlIHNhbXBsZSBub25jZQ==")
    {
        string request = $"GET /ocpp/{id} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
            (protocols is null ? "" : $"Sec-WebSocket-Protocol: {protocols}\r\n") + extraHeaders + "\r\n";
        await SendRawAsync(Encoding.ASCII.GetBytes(request));
        return await ReadHandshakeResponseAsync();
    }

    /// <summary>Reads the HTTP response head (and body, for errors).</summary>
    public async Task<int> ReadHandshakeResponseAsync()
    {
        while (true)
        {
            int end = _readBuffer.AsSpan(_readStart, _readEnd - _readStart).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                HandshakeResponse = Encoding.ASCII.GetString(_readBuffer, _readStart, end);
                _readStart += end + 4;
                return int.Parse(HandshakeResponse.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!await FillAsync())
            {
                HandshakeResponse = Encoding.ASCII.GetString(_readBuffer, _readStart, _readEnd - _readStart);
                return 0;
            }
        }
    }

    /// <summary>Sends bytes as they are.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one masked frame.</summary>
    public Task SendFrameAsync(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (masked)
        {
            WebSocketFrameWriter.WriteClientFrame(buffer, opcode, payload, 0x1234_5678u ^ (uint)payload.Length, fin);
        }
        else
        {
            Span<byte> header = stackalloc byte[10];
            int n = WebSocketFrameWriter.WriteHeader(header, opcode, payload.Length, fin);
            buffer.Write(header[..n]);
            buffer.Write(payload);
        }

        return SendRawAsync(buffer.WrittenMemory);
    }

    /// <summary>Sends a text message in one masked frame.</summary>
    public Task SendTextAsync(string text) => SendFrameAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a CALL and returns the raw answer (CALLRESULT or CALLERROR) as a JSON array.</summary>
    public async Task<JsonElement> CallAsync(string action, object payload)
    {
        string id = "m" + Interlocked.Increment(ref _messageId);
        await SendTextAsync(JsonSerializer.Serialize(new object[] { 2, id, action, payload }));
        return await ReceiveMessageAsync();
    }

    /// <summary>Sends a CALL given as raw payload JSON.</summary>
    public async Task<JsonElement> CallRawAsync(string action, string payloadJson)
    {
        string id = "m" + Interlocked.Increment(ref _messageId);
        await SendTextAsync($"[2,\"{id}\",\"{action}\",{payloadJson}]");
        return await ReceiveMessageAsync();
    }

    /// <summary>Receives the next text message (answering nothing on its own; pings are returned as frames by <see cref="ReceiveFrameAsync"/>).</summary>
    public async Task<JsonElement> ReceiveMessageAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            (WebSocketOpcode opcode, byte[] payload) = await ReceiveFrameAsync(timeout);
            if (opcode == WebSocketOpcode.Text)
            {
                return JsonDocument.Parse(payload).RootElement.Clone();
            }

            if (opcode == WebSocketOpcode.Close)
            {
                throw new InvalidOperationException("Server closed with " + CloseCode(payload));
            }
        }
    }

    /// <summary>The close code carried by a Close frame's payload.</summary>
    public static int CloseCode(byte[] closePayload) => closePayload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(closePayload) : 1005;

    /// <summary>Receives the next frame of any kind; throws on timeout, returns Close with empty payload on EOF.</summary>
    public async Task<(WebSocketOpcode Opcode, byte[] Payload)> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_readBuffer, _readStart, _readEnd - _readStart);
            if (WebSocketFrameReader.TryReadHeader(sequence, out WebSocketFrameHeader header, out _) == FrameReadStatus.Done
                && sequence.Length >= header.HeaderLength + header.PayloadLength)
            {
                if (header.Masked)
                {
                    throw new InvalidOperationException("The server sent a masked frame (RFC 6455 §5.1 forbids it)");
                }

                byte[] payload = sequence.Slice(header.HeaderLength, header.PayloadLength).ToArray();
                _readStart += header.HeaderLength + (int)header.PayloadLength;
                return (header.Opcode, payload);
            }

            if (!await FillAsync(cts.Token))
            {
                return (WebSocketOpcode.Close, []);
            }
        }
    }

    /// <summary>True when the server closed the TCP connection (read returns 0) within the timeout.</summary>
    public async Task<bool> WaitForEofAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await FillAsync(cts.Token))
            {
                _readStart = _readEnd; // discard
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> FillAsync(CancellationToken token = default)
    {
        if (_readStart > 0)
        {
            Buffer.BlockCopy(_readBuffer, _readStart, _readBuffer, 0, _readEnd - _readStart);
            _readEnd -= _readStart;
            _readStart = 0;
        }

        int n = await _stream.ReadAsync(_readBuffer.AsMemory(_readEnd), token);
        _readEnd += n;
        return n > 0;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

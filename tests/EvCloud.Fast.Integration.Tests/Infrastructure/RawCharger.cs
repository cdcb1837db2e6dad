using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>
/// A fake charger over a raw TCP socket that writes exactly the bytes a test asks for: the upgrade request,
/// masked frames (well-formed or not), fragments. It reads server frames with the gateway's own frame reader.
/// Optionally over TLS (<see cref="OpenTlsAsync"/>), with a client certificate, for the security profiles.
/// </summary>
public sealed class RawCharger : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly byte[] _readBuffer = new byte[256 * 1024];
    private int _readStart;
    private int _readEnd;
    private int _messageId;

    private RawCharger(TcpClient client, Stream? stream = null)
    {
        _client = client;
        _stream = stream ?? client.GetStream();
    }

    /// <summary>The HTTP status line and headers of the upgrade response.</summary>
    public string HandshakeResponse { get; private set; } = "";

    /// <summary>Opens a TCP connection without sending anything, from <paramref name="localAddress"/> when given (e.g. 127.0.0.2).</summary>
    public static async Task<RawCharger> OpenAsync(System.Net.IPEndPoint endPoint, System.Net.IPAddress? localAddress = null)
    {
        var client = localAddress is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(localAddress, 0));
        await client.ConnectAsync(endPoint);
        return new RawCharger(client);
    }

    /// <summary>
    /// Opens a TCP connection and completes a TLS handshake: the server certificate must chain to
    /// <paramref name="trustedCa"/> and name <paramref name="targetHost"/>; <paramref name="clientCertificate"/>, if any,
    /// is offered (profile 3). Throws <see cref="AuthenticationException"/> or <see cref="IOException"/> when the
    /// handshake fails.
    /// </summary>
    public static async Task<RawCharger> OpenTlsAsync(
        System.Net.IPEndPoint endPoint,
        X509Certificate2 trustedCa,
        X509Certificate2? clientCertificate = null,
        string targetHost = "localhost")
    {
        var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trustedCa);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build((X509Certificate2)certificate);
                },
            });
        }
        catch
        {
            await tls.DisposeAsync();
            client.Dispose();
            throw;
        }

        return new RawCharger(client, tls);
    }

    /// <summary>An <c>Authorization: Basic</c> header line for <paramref name="id"/> and <paramref name="password"/> (RFC 7617).</summary>
    public static string BasicAuthorization(string id, string password) => BasicAuthorization(id, Encoding.UTF8.GetBytes(password));

    /// <summary>An <c>Authorization: Basic</c> header line with raw password bytes (a 1.6 binary AuthorizationKey).</summary>
    public static string BasicAuthorization(string id, byte[] password) =>
        "Authorization: Basic " + Convert.ToBase64String([.. Encoding.UTF8.GetBytes(id + ":"), .. password]) + "\r\n";

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
    public async ValueTask DisposeAsync()
    {
        if (_stream is SslStream tls)
        {
            await tls.DisposeAsync();
        }

        _client.Dispose();
    }
}

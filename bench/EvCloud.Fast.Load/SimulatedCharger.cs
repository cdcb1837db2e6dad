using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Load;

/// <summary>
/// One simulated OCPP 1.6J charger on a raw socket: connect, upgrade, BootNotification, StatusNotification for
/// connectors 0 and 1, then idle. Deadlines and heartbeats are driven by the fleet's shared timer
/// (<see cref="Tick"/>), so a charger owns no timer and no buffer while it waits: its receive loop parks on a
/// zero-byte read and rents a 4 KB buffer only while bytes are being processed.
/// </summary>
/// <remarks>
/// Idle cost in the client: this object (~100 bytes), the socket with its async context (~1 KB), and the
/// receive loop's state machine. 20k chargers fit in well under 100 MB.
/// </remarks>
internal sealed class SimulatedCharger
{
    private const int ReceiveChunk = 4096;

    /// <summary>Largest server frame accepted; the gateway's own default message limit is 64 KB.</summary>
    private const int MaxFrameBytes = 1 << 20;


    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private const int BootMessageId = 1;
    private const int FirstStatusMessageId = 2;
    private const int LastStatusMessageId = 3;

    /// <summary>Heartbeat interval when the server's BootNotification.conf gives none (OCPP 1.6 default-ish).</summary>
    private const int DefaultHeartbeatMs = 300_000;

    private readonly Fleet _fleet;
    private readonly int _number;
    private readonly Lock _sendLock = new();
    private Socket? _socket;
    private long _startTicks;
    private long _deadlineTicks;
    private long _nextHeartbeatTicks;
    private int _heartbeatMs = DefaultHeartbeatMs;
    private int _nextMessageId = BootMessageId;
    private volatile Phase _phase;
    private volatile bool _closing;
    private volatile bool _timedOut;
    private bool _failed;
    private byte _statusAnswers;

    private enum Phase : byte
    {
        NotStarted,
        Connecting,
        Booting,
        Booted,
        Ended,
    }

    public SimulatedCharger(Fleet fleet, int number)
    {
        _fleet = fleet;
        _number = number;
    }

    /// <summary>Milliseconds from the start of the TCP connect to the last StatusNotification.conf; -1 if never booted.</summary>
    public int BootMilliseconds { get; private set; } = -1;

    /// <summary>Runs the charger until it fails or the fleet closes it. Never throws.</summary>
    public async Task RunAsync(IPAddress? source)
    {
        LoadStats stats = _fleet.Stats;
        stats.Starting();
        _startTicks = Environment.TickCount64;
        Volatile.Write(ref _deadlineTicks, _startTicks + (long)_fleet.Options.ConnectTimeout.TotalMilliseconds);
        _phase = Phase.Connecting;
        bool opened = false;
        var socket = new Socket(_fleet.Options.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        try
        {
            if (source is not null)
            {
                if (OperatingSystem.IsLinux())
                {
                    // IP_BIND_ADDRESS_NO_PORT: pick the port at connect() by the whole 4-tuple. A plain bind to
                    // port 0 hunts for a port no socket uses yet, which crawls once ~14k ports are taken.
                    socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }

                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(_fleet.Options.Endpoint).ConfigureAwait(false);
            (byte[]? initial, int initialLength) = await HandshakeAsync(socket).ConfigureAwait(false);
            opened = true;
            stats.Opened();
            _phase = Phase.Booting;
            SendCall(BootMessageId, "BootNotification"u8, "{\"chargePointVendor\":\"EvCloud\",\"chargePointModel\":\"LoadSim\"}"u8);
            _nextMessageId = LastStatusMessageId + 1;
            await ReceiveLoopAsync(socket, initial, initialLength).ConfigureAwait(false);
        }
        catch (HandshakeException ex)
        {
            Fail(ex.Kind);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            if (!_closing)
            {
                Fail(_timedOut ? ErrorKind.Timeout : opened ? ErrorKind.ConnectionLost : ErrorKind.ConnectFailed);
            }
        }
        finally
        {
            _phase = Phase.Ended;
            socket.Dispose();
            if (opened)
            {
                stats.Closed();
            }
            else
            {
                stats.NotOpened();
            }
        }
    }

    /// <summary>Shared timer, about twice a second: deadlines before boot, heartbeats after.</summary>
    public void Tick(long now)
    {
        Phase phase = _phase;
        if (phase is Phase.Connecting or Phase.Booting && now > Volatile.Read(ref _deadlineTicks))
        {
            _timedOut = true;
            _socket?.Dispose(); // fails the pending connect or receive; RunAsync records the timeout
        }
        else if (phase == Phase.Booted && now >= Volatile.Read(ref _nextHeartbeatTicks))
        {
            Volatile.Write(ref _nextHeartbeatTicks, now + _heartbeatMs);
            int id = Interlocked.Increment(ref _nextMessageId);
            if (SendCall(id, "Heartbeat"u8, "{}"u8))
            {
                _fleet.Stats.Heartbeat();
            }
        }
    }

    /// <summary>Starts a normal close (RFC 6455 §5.5.1, 1000); the receive loop ends on the server's Close.</summary>
    public void BeginClose()
    {
        _closing = true;
        if (_phase is Phase.Booting or Phase.Booted)
        {
            Span<byte> payload = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(payload, WebSocketCloseCodes.NormalClosure);
            Send(WebSocketOpcode.Close, payload);
        }
        else
        {
            _socket?.Dispose();
        }
    }

    /// <summary>Drops the socket without a Close frame (end of the run, or the hard time cap).</summary>
    public void Abort()
    {
        _closing = true;
        _socket?.Dispose();
    }

    // RFC 6455 §4.1: the client's opening handshake; §4.2.2: the server's 101 answer.
    private async Task<(byte[]? Initial, int Length)> HandshakeAsync(Socket socket)
    {
        (byte[] request, string key) = ClientHandshake.Request(_fleet.Options.PathPrefix + _fleet.EscapedPrefix + _number, _fleet.HostHeader, "ocpp1.6");
        await socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
        return await ClientHandshake.ReadResponseAsync(m => socket.ReceiveAsync(m, SocketFlags.None), key, "ocpp1.6").ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(Socket socket, byte[]? buffer, int length)
    {
        try
        {
            while (true)
            {
                if (length == 0)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    // Idle: wait for readability without holding a buffer (the same trick as Kestrel's socket transport).
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                }
                else if (length == buffer!.Length)
                {
                    if (length >= MaxFrameBytes + WebSocketFrameWriter.MaxClientHeaderLength)
                    {
                        Fail(ErrorKind.ProtocolError);
                        return;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    if (!_closing)
                    {
                        Fail(ErrorKind.ConnectionLost);
                    }

                    return;
                }

                length += n;
                int consumed = ProcessFrames(buffer, length, out bool stop);
                if (stop)
                {
                    return;
                }

                length -= consumed;
                if (consumed > 0 && length > 0)
                {
                    buffer.AsSpan(consumed, length).CopyTo(buffer);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Handles every complete frame in the first <paramref name="length"/> bytes; returns the bytes consumed.</summary>
    private int ProcessFrames(byte[] buffer, int length, out bool stop)
    {
        stop = false;
        int offset = 0;
        while (offset < length)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, offset, length - offset);
            FrameReadStatus status = WebSocketFrameReader.TryReadHeader(sequence, out WebSocketFrameHeader header, out _);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            // RFC 6455 §5.1: a server MUST NOT mask its frames. The gateway never fragments a message, so the
            // simulator does not reassemble fragments either.
            if (status == FrameReadStatus.Invalid || header.Masked || !header.Fin || header.PayloadLength > MaxFrameBytes)
            {
                Fail(ErrorKind.ProtocolError);
                stop = true;
                return offset;
            }

            int frameLength = header.HeaderLength + (int)header.PayloadLength;
            if (length - offset < frameLength)
            {
                break; // never consume a partial frame
            }

            ReadOnlySpan<byte> payload = buffer.AsSpan(offset + header.HeaderLength, (int)header.PayloadLength);
            offset += frameLength;
            switch (header.Opcode)
            {
                case WebSocketOpcode.Text:
                    _fleet.Stats.MessageReceived();
                    if (!OnMessage(payload))
                    {
                        stop = true;
                        return offset;
                    }

                    break;
                case WebSocketOpcode.Ping:
                    // §5.5.3: a Pong carries the Ping's application data.
                    _fleet.Stats.Ping();
                    Send(WebSocketOpcode.Pong, payload);
                    break;
                case WebSocketOpcode.Pong:
                    break;
                case WebSocketOpcode.Close:
                    if (!_closing)
                    {
                        // §5.5.1: answer a Close with a Close, then the server drops the TCP connection.
                        Fail(ErrorKind.ClosedByServer);
                        Send(WebSocketOpcode.Close, payload.Length >= 2 ? payload[..2] : default);
                    }

                    stop = true;
                    return offset;
                default:
                    Fail(ErrorKind.ProtocolError);
                    stop = true;
                    return offset;
            }
        }

        return offset;
    }

    /// <summary>Handles one OCPP-J message; false when the charger must stop.</summary>
    private bool OnMessage(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            // [<MessageTypeId>,"<messageId>",...
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int type)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
            {
                Fail(ErrorKind.ProtocolError);
                return false;
            }

            Span<byte> id = stackalloc byte[64];
            id = id[..reader.CopyString(id)];
            switch (type)
            {
                case 2:
                    // CALL from the server: [2,"<messageId>","<Action>",{...}]
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
                    {
                        Fail(ErrorKind.ProtocolError);
                        return false;
                    }

                    Span<byte> action = stackalloc byte[64];
                    action = action[..reader.CopyString(action)];
                    _fleet.Stats.ServerCall();
                    AnswerServerCall(id, action);
                    return true;
                case 3:
                    // CALLRESULT: [3,"<messageId>",{...}]
                    if (!Utf8Parser.TryParse(id, out int ourId, out int used) || used != id.Length || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        Fail(ErrorKind.ProtocolError);
                        return false;
                    }

                    return OnCallResult(ourId, ref reader);
                case 4:
                    // CALLERROR: [4,"<messageId>","<errorCode>","<errorDescription>",{...}]
                    if (_phase == Phase.Booting)
                    {
                        Fail(ErrorKind.CallError);
                        return false;
                    }

                    _fleet.Stats.Error(ErrorKind.CallError);
                    return true;
                default:
                    Fail(ErrorKind.ProtocolError);
                    return false;
            }
        }
        catch (JsonException)
        {
            Fail(ErrorKind.ProtocolError);
            return false;
        }
    }

    private bool OnCallResult(int messageId, ref Utf8JsonReader reader)
    {
        if (messageId == BootMessageId)
        {
            // BootNotification.conf: {"status":"Accepted|Pending|Rejected","currentTime":"...","interval":<s>}
            bool accepted = false;
            int interval = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    accepted = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Accepted"u8);
                }
                else if (reader.ValueTextEquals("interval"u8))
                {
                    reader.Read();
                    _ = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out interval);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (!accepted)
            {
                Fail(ErrorKind.BootNotAccepted);
                return false;
            }

            _heartbeatMs = interval > 0 ? interval * 1000 : DefaultHeartbeatMs;
            SendCall(FirstStatusMessageId, "StatusNotification"u8, "{\"connectorId\":0,\"errorCode\":\"NoError\",\"status\":\"Available\"}"u8);
            SendCall(LastStatusMessageId, "StatusNotification"u8, "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}"u8);
        }
        else if (messageId is >= FirstStatusMessageId and <= LastStatusMessageId && ++_statusAnswers == 2)
        {
            long now = Environment.TickCount64;
            BootMilliseconds = (int)(now - _startTicks);
            Volatile.Write(ref _nextHeartbeatTicks, now + _heartbeatMs);
            _phase = Phase.Booted;
            _fleet.Stats.BootDone();
        }

        return true;
    }

    /// <summary>
    /// A minimal answer to a server CALL: the one-field confirmation for the commands that have one, and
    /// CALLERROR NotImplemented for the rest (OCPP-J 1.6 §4.2.3).
    /// </summary>
    private void AnswerServerCall(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> action)
    {
        ReadOnlySpan<byte> confirmation = action switch
        {
            _ when action.SequenceEqual("Reset"u8) || action.SequenceEqual("ChangeAvailability"u8) || action.SequenceEqual("ChangeConfiguration"u8)
                || action.SequenceEqual("ClearCache"u8) || action.SequenceEqual("RemoteStartTransaction"u8) || action.SequenceEqual("RemoteStopTransaction"u8)
                || action.SequenceEqual("TriggerMessage"u8) || action.SequenceEqual("DataTransfer"u8) => "{\"status\":\"Accepted\"}"u8,
            _ when action.SequenceEqual("UnlockConnector"u8) => "{\"status\":\"Unlocked\"}"u8,
            _ when action.SequenceEqual("GetConfiguration"u8) => "{\"configurationKey\":[],\"unknownKey\":[]}"u8,
            _ => default,
        };
        Span<byte> message = stackalloc byte[ChargerMessages.ScratchSize];
        int length = confirmation.IsEmpty
            ? ChargerMessages.WriteCallError(message, messageId, "NotImplemented"u8)
            : ChargerMessages.WriteCallResult(message, messageId, confirmation);
        Send(WebSocketOpcode.Text, message[..length]);
    }

    /// <summary>Records a fatal error: the charger counts as failed once, whatever else goes wrong after.</summary>
    private void Fail(ErrorKind kind)
    {
        _fleet.Stats.Error(kind);
        if (!_failed && !_closing)
        {
            _failed = true;
            _fleet.Stats.ChargerFailed(booted: _phase == Phase.Booted);
        }
    }

    private bool SendCall(int messageId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> payload)
    {
        Span<byte> message = stackalloc byte[ChargerMessages.ScratchSize];
        int length = ChargerMessages.WriteCall(message, messageId, action, payload);
        return Send(WebSocketOpcode.Text, message[..length]);
    }

    private bool Send(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        Socket? socket = _socket;
        if (socket is null)
        {
            return false;
        }

        try
        {
            lock (_sendLock)
            {
                ChargerMessages.SendFrame(socket, opcode, payload);
            }

            _fleet.Stats.MessageSent();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false; // the receive loop sees the broken socket and records it
        }
    }
}

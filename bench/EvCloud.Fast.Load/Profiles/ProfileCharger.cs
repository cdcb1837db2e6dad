using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// One simulated charger of a profile run: connect (ws or wss), upgrade to its version's subprotocol, boot,
/// report status, then send what its profile says, one CALL outstanding at a time as OCPP-J requires; answers
/// pings and server CALLs. Like <see cref="SimulatedCharger"/> it holds no buffer while idle (zero-byte reads)
/// and no timer of its own: the worker's shared tick drives deadlines and steady-profile timers.
/// </summary>
internal sealed class ProfileCharger
{
    private const int ReceiveChunk = 4096;
    private const int MaxFrameBytes = 1 << 20;
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private const int Scratch = 1024;

    private readonly WorkerFleet _fleet;
    private readonly int _number;
    private readonly ChargerVersion _version;
    private readonly bool _chargingInSteady;
    private readonly Lock _sendLock = new();
    private Socket? _socket;
    private Stream? _stream;
    private volatile int _phase; // Phase
    private volatile bool _closing;
    private volatile bool _timedOut;
    private bool _failed;
    private long _startTicks;
    private long _deadlineTicks;

    // The one outstanding CALL (OCPP-J: a charger waits for the answer before the next CALL).
    private int _pendingId;
    private ChargerAction _pendingAction;
    private long _pendingStart;
    private int _nextMessageId;
    private int _bootStep;

    // Script state.
    private int _cycle;
    private int _txState; // 0 idle, 1 authorized, 2 in a transaction
    private int _metersInTx;
    private int _transactionId;
    private int _txSequence;
    private int _seqNo;
    private long _meterWh;
    private long _nextHeartbeat;
    private long _nextMeter;

    private enum Phase
    {
        NotStarted,
        Connecting,
        Booting,
        Booted,
        Ended,
    }

    public ProfileCharger(WorkerFleet fleet, int number)
    {
        _fleet = fleet;
        _number = number;
        _version = ChargerActions.VersionOf(number);
        _chargingInSteady = ChargerActions.Spread(number) < fleet.Options.Charging;
    }

    public bool IsBooted => _phase == (int)Phase.Booted;

    public bool IsEnded => _phase == (int)Phase.Ended;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the charger last finished booting; 0 if it has not.</summary>
    public long BootedAt { get; private set; }

    /// <summary>Connects and runs until failure, close or abort. <paramref name="retryUntil"/>: keep retrying a refused connect until then (storm).</summary>
    public async Task RunAsync(IPAddress? source, long retryUntil = 0)
    {
        LoadStats stats = _fleet.Stats;
        _closing = false;
        _timedOut = false;
        _failed = false;
        _pendingId = 0;
        _bootStep = 0;
        _nextMessageId = 0;
        _txState = 0;
        BootedAt = 0;
        stats.Starting();
        _startTicks = Environment.TickCount64;
        Volatile.Write(ref _deadlineTicks, _startTicks + (long)_fleet.Options.ConnectTimeout.TotalMilliseconds);
        _phase = (int)Phase.Connecting;
        bool opened = false;
        Socket? socket = null;
        try
        {
            while (true)
            {
                socket = new Socket(_fleet.Options.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _socket = socket;
                if (source is not null)
                {
                    // IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect() by the whole 4-tuple, so each
                    // source address offers the full ephemeral range (see SimulatedCharger).
                    socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                    socket.Bind(new IPEndPoint(source, 0));
                }

                try
                {
                    await socket.ConnectAsync(_fleet.Options.Endpoint).ConfigureAwait(false);
                    break;
                }
                catch (SocketException) when (Stopwatch.GetTimestamp() < retryUntil && !_closing)
                {
                    // The server is restarting (storm): a real charger retries after a short back-off.
                    socket.Dispose();
                    _fleet.Stats.Error(ErrorKind.ConnectFailed);
                    await Task.Delay(100 + Random.Shared.Next(200)).ConfigureAwait(false);
                    Volatile.Write(ref _deadlineTicks, Environment.TickCount64 + (long)_fleet.Options.ConnectTimeout.TotalMilliseconds);
                }
            }

            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_fleet.Options.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                // Loopback benchmark against the operator's own server: the certificate is not what is measured.
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                }).ConfigureAwait(false);
                stream = ssl;
            }

            _stream = stream;
            (byte[]? initial, int initialLength) = await HandshakeAsync(stream).ConfigureAwait(false);
            opened = true;
            stats.Opened();
            _fleet.ConnectedOne();
            _phase = (int)Phase.Booting;
            SendNext();
            await ReceiveLoopAsync(stream, initial, initialLength).ConfigureAwait(false);
        }
        catch (HandshakeException ex)
        {
            Fail(ex.Kind);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            if (!_closing)
            {
                Fail(_timedOut ? ErrorKind.Timeout : opened ? ErrorKind.ConnectionLost : ErrorKind.ConnectFailed);
            }
        }
        finally
        {
            _phase = (int)Phase.Ended;
            _stream?.Dispose();
            socket?.Dispose();
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

    /// <summary>The worker's shared tick (every 100 ms): boot deadline, and the steady profile's timers.</summary>
    public void Tick(long now)
    {
        int phase = _phase;
        if (phase is (int)Phase.Connecting or (int)Phase.Booting && now > Volatile.Read(ref _deadlineTicks))
        {
            _timedOut = true;
            _socket?.Dispose();
        }
        else if (phase == (int)Phase.Booted && _fleet.TimerDriven && Volatile.Read(ref _pendingId) == 0)
        {
            if (_chargingInSteady && (_txState != 2 || now >= _nextMeter))
            {
                if (_txState == 2)
                {
                    _nextMeter = now + _fleet.MeterMs;
                }

                SendNext();
            }
            else if (now >= _nextHeartbeat)
            {
                _nextHeartbeat = now + _fleet.HeartbeatMs;
                Send(ChargerAction.Heartbeat);
            }
        }
    }

    /// <summary>Sends the profile's next CALL if none is outstanding; false if one is (the rate scheduler then picks another charger).</summary>
    public bool TrySendScheduled() => _phase == (int)Phase.Booted && Volatile.Read(ref _pendingId) == 0 && SendNext();

    public void BeginClose()
    {
        _closing = true;
        if (_phase is (int)Phase.Booting or (int)Phase.Booted)
        {
            Span<byte> payload = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(payload, WebSocketCloseCodes.NormalClosure);
            SendFrame(WebSocketOpcode.Close, payload);
        }
        else
        {
            _socket?.Dispose();
        }
    }

    /// <summary>Drops the connection without a Close frame, as a charger sees a server that went away.</summary>
    public void Abort()
    {
        _closing = true;
        _socket?.Dispose();
    }

    /// <summary>Chooses and sends the next CALL of the boot sequence or of the profile's script.</summary>
    private bool SendNext()
    {
        if (_phase == (int)Phase.Booting)
        {
            return _bootStep switch
            {
                0 => Send(ChargerAction.BootNotification),
                _ => Send(ChargerAction.StatusNotification),
            };
        }

        LoadProfile profile = _fleet.Options.Profile;
        if (profile == LoadProfile.Steady)
        {
            if (!_chargingInSteady)
            {
                return Send(ChargerAction.Heartbeat);
            }

            return _txState switch
            {
                0 => Send(ChargerAction.Authorize),
                1 => Send(_version == ChargerVersion.Ocpp16 ? ChargerAction.StartTransaction : ChargerAction.TransactionEvent),
                _ => Send(_version == ChargerVersion.Ocpp16 ? ChargerAction.MeterValues : ChargerAction.TransactionEvent),
            };
        }

        if (profile == LoadProfile.Transactions)
        {
            return _txState switch
            {
                0 => Send(ChargerAction.Authorize),
                1 => Send(_version == ChargerVersion.Ocpp16 ? ChargerAction.StartTransaction : ChargerAction.TransactionEvent),
                _ when _metersInTx < 2 => Send(_version == ChargerVersion.Ocpp16 ? ChargerAction.MeterValues : ChargerAction.TransactionEvent),
                _ => Send(_version == ChargerVersion.Ocpp16 ? ChargerAction.StopTransaction : ChargerAction.TransactionEvent),
            };
        }

        // Stress: the non-durable messages a connected charger sends most, in a fixed cycle.
        return (_cycle++ & 3) switch
        {
            0 or 3 => Send(ChargerAction.Heartbeat),
            1 => Send(ChargerAction.StatusNotification),
            _ => Send(ChargerAction.Authorize),
        };
    }

    private bool Send(ChargerAction action)
    {
        // Claim the one CALL slot first: the shared tick and the receive loop (answer → next CALL) may both try.
        if (Interlocked.CompareExchange(ref _pendingId, -1, 0) != 0)
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[Scratch];
        int length = action switch
        {
            ChargerAction.BootNotification => ChargerPayloads.Boot(payload, _version),
            ChargerAction.StatusNotification => ChargerPayloads.Status(payload, _version, _phase == (int)Phase.Booting && _version == ChargerVersion.Ocpp16 ? _bootStep - 1 : 1, _txState == 2),
            ChargerAction.Heartbeat => ChargerPayloads.Heartbeat(payload),
            ChargerAction.Authorize => ChargerPayloads.Authorize(payload, _version, _number),
            ChargerAction.StartTransaction => ChargerPayloads.StartTransaction(payload, _number, _meterWh),
            ChargerAction.MeterValues => ChargerPayloads.MeterValues(payload, _transactionId, _meterWh += 500),
            ChargerAction.StopTransaction => ChargerPayloads.StopTransaction(payload, _transactionId, _meterWh += 500),
            _ => ChargerPayloads.TransactionEvent(payload, _txState == 1 ? 0 : _metersInTx < 2 || _fleet.Options.Profile == LoadProfile.Steady ? 1 : 2, _number, _txSequence, _seqNo++, _meterWh += 500),
        };

        int id = ++_nextMessageId;
        _pendingAction = action;
        _pendingStart = Stopwatch.GetTimestamp();
        Volatile.Write(ref _pendingId, id);

        // OCPP-J CALL: [2,"<messageId>","<Action>",{...}]
        Span<byte> message = stackalloc byte[Scratch + 64];
        int n = Put(message, 0, "[2,\""u8);
        n += Utf8Formatter.TryFormat(id, message[n..], out int w) ? w : 0;
        n = Put(message, n, "\",\""u8);
        n = Put(message, n, ActionName(action));
        n = Put(message, n, "\","u8);
        n = Put(message, n, payload[..length]);
        n = Put(message, n, "]"u8);
        if (SendFrame(WebSocketOpcode.Text, message[..n]))
        {
            return true;
        }

        Volatile.Write(ref _pendingId, 0);
        return false;
    }

    private static ReadOnlySpan<byte> ActionName(ChargerAction action) => action switch
    {
        ChargerAction.BootNotification => "BootNotification"u8,
        ChargerAction.StatusNotification => "StatusNotification"u8,
        ChargerAction.Heartbeat => "Heartbeat"u8,
        ChargerAction.Authorize => "Authorize"u8,
        ChargerAction.StartTransaction => "StartTransaction"u8,
        ChargerAction.MeterValues => "MeterValues"u8,
        ChargerAction.StopTransaction => "StopTransaction"u8,
        _ => "TransactionEvent"u8,
    };

    // RFC 6455 §4.1 opening handshake; §4.2.2 the server's 101.
    private async Task<(byte[]? Initial, int Length)> HandshakeAsync(Stream stream)
    {
        string protocol = ChargerActions.Subprotocol(_version);
        (byte[] request, string key) = ClientHandshake.Request(_fleet.Options.PathPrefix + _fleet.EscapedPrefix + _number, _fleet.HostHeader, protocol);
        await stream.WriteAsync(request).ConfigureAwait(false);
        return await ClientHandshake.ReadResponseAsync(m => stream.ReadAsync(m), key, protocol).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(Stream stream, byte[]? buffer, int length)
    {
        try
        {
            if (length > 0 && !Process(buffer!, ref length))
            {
                return;
            }

            while (true)
            {
                if (length == 0)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    await stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                }
                else if (length == buffer!.Length)
                {
                    if (length >= MaxFrameBytes + 14)
                    {
                        Fail(ErrorKind.ProtocolError);
                        return;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int n = await stream.ReadAsync(buffer.AsMemory(length)).ConfigureAwait(false);
                if (n == 0)
                {
                    if (!_closing)
                    {
                        Fail(ErrorKind.ConnectionLost);
                    }

                    return;
                }

                length += n;
                if (!Process(buffer, ref length))
                {
                    return;
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

    /// <summary>Handles the complete frames in <paramref name="buffer"/>, keeps the partial rest at its start; false to stop.</summary>
    private bool Process(byte[] buffer, ref int length)
    {
        int offset = 0;
        bool keepGoing = true;
        while (offset < length)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, offset, length - offset);
            FrameReadStatus status = WebSocketFrameReader.TryReadHeader(sequence, out WebSocketFrameHeader header, out _);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            // RFC 6455 §5.1: server frames are never masked; the gateway never fragments.
            if (status == FrameReadStatus.Invalid || header.Masked || !header.Fin || header.PayloadLength > MaxFrameBytes)
            {
                Fail(ErrorKind.ProtocolError);
                return false;
            }

            int frameLength = header.HeaderLength + (int)header.PayloadLength;
            if (length - offset < frameLength)
            {
                break;
            }

            ReadOnlySpan<byte> payload = buffer.AsSpan(offset + header.HeaderLength, (int)header.PayloadLength);
            offset += frameLength;
            switch (header.Opcode)
            {
                case WebSocketOpcode.Text:
                    _fleet.Stats.MessageReceived();
                    keepGoing = OnMessage(payload);
                    break;
                case WebSocketOpcode.Ping:
                    _fleet.Stats.Ping();
                    SendFrame(WebSocketOpcode.Pong, payload);
                    break;
                case WebSocketOpcode.Pong:
                    break;
                case WebSocketOpcode.Close:
                    if (!_closing)
                    {
                        Fail(ErrorKind.ClosedByServer);
                        SendFrame(WebSocketOpcode.Close, payload.Length >= 2 ? payload[..2] : default);
                    }

                    keepGoing = false;
                    break;
                default:
                    Fail(ErrorKind.ProtocolError);
                    keepGoing = false;
                    break;
            }

            if (!keepGoing)
            {
                return false;
            }
        }

        length -= offset;
        if (offset > 0 && length > 0)
        {
            buffer.AsSpan(offset, length).CopyTo(buffer);
        }

        return true;
    }

    private bool OnMessage(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || !reader.TryGetInt32(out int type)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
            {
                Fail(ErrorKind.ProtocolError);
                return false;
            }

            Span<byte> id = stackalloc byte[64];
            id = id[..reader.CopyString(id)];
            if (type == 2)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
                {
                    Fail(ErrorKind.ProtocolError);
                    return false;
                }

                _fleet.Stats.ServerCall();
                AnswerServerCall(id, reader.ValueSpan);
                return true;
            }

            if (type is not (3 or 4) || !Utf8Parser.TryParse(id, out int ourId, out int used) || used != id.Length || ourId != Volatile.Read(ref _pendingId))
            {
                Fail(ErrorKind.ProtocolError);
                return false;
            }

            long elapsed = Stopwatch.GetTimestamp() - _pendingStart;
            ChargerAction action = _pendingAction;
            _fleet.Latency.Record(action, elapsed);
            if (type == 4)
            {
                // CALLERROR: [4,"<id>","<code>","<description>",{}]
                Volatile.Write(ref _pendingId, 0);
                if (_phase == (int)Phase.Booting)
                {
                    Fail(ErrorKind.CallError);
                    return false;
                }

                _fleet.Stats.Error(ErrorKind.CallError);
                _txState = 0;
                return AfterAnswer();
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Fail(ErrorKind.ProtocolError);
                return false;
            }

            if (!OnResult(action, ref reader))
            {
                return false;
            }

            Volatile.Write(ref _pendingId, 0);
            return AfterAnswer();
        }
        catch (JsonException)
        {
            Fail(ErrorKind.ProtocolError);
            return false;
        }
    }

    /// <summary>Advances the script on a CALLRESULT; false when the charger must stop (boot not accepted).</summary>
    private bool OnResult(ChargerAction action, ref Utf8JsonReader reader)
    {
        switch (action)
        {
            case ChargerAction.BootNotification:
                bool accepted = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("status"u8))
                    {
                        reader.Read();
                        accepted = reader.ValueTextEquals("Accepted"u8);
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

                _bootStep = 1;
                break;
            case ChargerAction.StatusNotification when _phase == (int)Phase.Booting:
                _bootStep++;
                if (_version != ChargerVersion.Ocpp16 || _bootStep == 3)
                {
                    long now = Environment.TickCount64;
                    // Steady timers start spread over their interval, so a fleet booted in a few seconds does not
                    // beat in step.
                    _nextHeartbeat = now + (long)(ChargerActions.Spread(_number + 7) * _fleet.HeartbeatMs);
                    _nextMeter = now + (long)(ChargerActions.Spread(_number + 13) * _fleet.MeterMs);
                    BootedAt = Stopwatch.GetTimestamp();
                    _phase = (int)Phase.Booted;
                    _fleet.Stats.BootDone();
                }

                break;
            case ChargerAction.Authorize:
                _txState = _fleet.Options.Profile is LoadProfile.Steady or LoadProfile.Transactions ? 1 : 0;
                break;
            case ChargerAction.StartTransaction:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("transactionId"u8))
                    {
                        reader.Read();
                        _ = reader.TryGetInt32(out _transactionId);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                _txState = 2;
                _metersInTx = 0;
                break;
            case ChargerAction.MeterValues:
                _metersInTx++;
                break;
            case ChargerAction.StopTransaction:
                _txState = 0;
                break;
            case ChargerAction.TransactionEvent:
                if (_txState == 1)
                {
                    _txState = 2;
                    _metersInTx = 0;
                }
                else if (_metersInTx < 2 || _fleet.Options.Profile == LoadProfile.Steady)
                {
                    _metersInTx++;
                }
                else
                {
                    _txState = 0;
                    _txSequence++;
                    _seqNo = 0;
                }

                break;
        }

        return true;
    }

    /// <summary>After an answer: the boot sequence goes on at once; closed-loop profiles send their next CALL; populate closes.</summary>
    private bool AfterAnswer()
    {
        if (_phase == (int)Phase.Booting)
        {
            return SendNext() || true;
        }

        if (BootedAt != 0 && _fleet.Options.Profile == LoadProfile.Populate)
        {
            BeginClose();
            return true;
        }

        if (_fleet.ClosedLoop && !_closing && _fleet.Sending)
        {
            SendNext();
        }
        else if (_fleet.Options.Profile == LoadProfile.Steady && _fleet.TimerDriven && _txState == 1)
        {
            SendNext(); // Authorize answered: start charging at once
        }

        return true;
    }

    private void AnswerServerCall(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> action)
    {
        bool known = action.SequenceEqual("Reset"u8) || action.SequenceEqual("ChangeAvailability"u8) || action.SequenceEqual("ChangeConfiguration"u8)
            || action.SequenceEqual("ClearCache"u8) || action.SequenceEqual("RemoteStartTransaction"u8) || action.SequenceEqual("RemoteStopTransaction"u8)
            || action.SequenceEqual("RequestStartTransaction"u8) || action.SequenceEqual("RequestStopTransaction"u8)
            || action.SequenceEqual("TriggerMessage"u8) || action.SequenceEqual("DataTransfer"u8) || action.SequenceEqual("SetVariables"u8);
        Span<byte> message = stackalloc byte[256];
        int n;
        if (known)
        {
            // CALLRESULT [3,"<id>",{"status":"Accepted"}]
            n = Put(message, 0, "[3,\""u8);
            n = Put(message, n, messageId);
            n = Put(message, n, "\",{\"status\":\"Accepted\"}]"u8);
        }
        else
        {
            // CALLERROR [4,"<id>","NotImplemented","",{}]
            n = Put(message, 0, "[4,\""u8);
            n = Put(message, n, messageId);
            n = Put(message, n, "\",\"NotImplemented\",\"\",{}]"u8);
        }

        SendFrame(WebSocketOpcode.Text, message[..n]);
    }

    private void Fail(ErrorKind kind)
    {
        _fleet.Stats.Error(kind);
        if (!_failed && !_closing)
        {
            _failed = true;
            _fleet.Stats.ChargerFailed(booted: _phase == (int)Phase.Booted);
        }
    }

    private bool SendFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        Stream? stream = _stream;
        if (stream is null)
        {
            return false;
        }

        try
        {
            lock (_sendLock)
            {
                ClientFrames.Write(stream, opcode, payload);
            }

            _fleet.Stats.MessageSent();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    private static int Put(Span<byte> d, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(d[at..]);
        return at + bytes.Length;
    }
}

/// <summary>Masked client frames (RFC 6455 §5.3) into a per-thread buffer, written to the stream in one call.</summary>
internal static class ClientFrames
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frame;

    public static void Write(Stream stream, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        ArrayBufferWriter<byte> frame = t_frame ??= new ArrayBufferWriter<byte>(2048);
        frame.ResetWrittenCount();
        WebSocketFrameWriter.WriteClientFrame(frame, opcode, payload, (uint)Random.Shared.Next() ^ ((uint)Random.Shared.Next() << 1));
        stream.Write(frame.WrittenSpan);
    }
}

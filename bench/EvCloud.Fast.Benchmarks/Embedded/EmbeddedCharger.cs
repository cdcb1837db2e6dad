using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using System.Text;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.AspNetCore.Connections;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// A fake charger wired to <see cref="OcppConnectionHandler.OnConnectedAsync"/> through two in-memory pipes:
/// what it writes is the server's input and it reads what the server writes. Request and reply, one at a
/// time, as a charger does; the pipes' readers resume on the thread pool, as Kestrel's application side does.
/// </summary>
/// <remarks>
/// <see cref="SendAndReceiveAsync(ReadOnlyMemory{byte})"/> allocates nothing in steady state, however many
/// chargers send at once: frames are pre-encoded, the reply is copied into a buffer kept for the charger's
/// life, the pipes recycle their segments, and the work is done by one long-lived loop per charger that a
/// reusable signal wakes, so no state machine is allocated (or rented from a pool that 16 concurrent
/// callers would overflow) per message.
/// </remarks>
public sealed class EmbeddedCharger : IValueTaskSource, IAsyncDisposable
{
    private static readonly PipeOptions ServerInput = new(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    private static readonly PipeOptions ServerOutput = new(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly PipeWriter _toServer;
    private readonly PipeReader _fromServer;
    private readonly byte[] _reply = new byte[64 * 1024];
    private readonly RequestSignal _request = new();
    private ManualResetValueTaskSourceCore<bool> _replied;
    private ReadOnlyMemory<byte> _frame;
    private int _replyLength;
    private WebSocketOpcode _replyOpcode;
    private Task _connection = Task.CompletedTask;
    private Task _loop = Task.CompletedTask;

    private EmbeddedCharger(string chargePointId, Pipe input, Pipe output)
    {
        ChargePointId = chargePointId;
        _toServer = input.Writer;
        _fromServer = output.Reader;
    }

    /// <summary>The charge point id in the connection URL.</summary>
    public string ChargePointId { get; }

    /// <summary>The payload of the last server frame received (the OCPP-J reply).</summary>
    public ReadOnlySpan<byte> LastReply => _reply.AsSpan(0, _replyLength);

    /// <summary>Whether the last reply is a text frame holding a CALLRESULT (<c>[3,…</c>).</summary>
    public bool LastReplyIsCallResult => _replyOpcode == WebSocketOpcode.Text && LastReply.StartsWith("[3,"u8);

    /// <summary>The last reply as text, for failure messages.</summary>
    public string LastReplyText => Encoding.UTF8.GetString(LastReply);

    internal static async Task<EmbeddedCharger> ConnectAsync(OcppConnectionHandler handler, string chargePointId, string protocol = "ocpp1.6")
    {
        var input = new Pipe(ServerInput);
        var output = new Pipe(ServerOutput);
        var context = new DefaultConnectionContext("embedded-" + chargePointId, new DuplexPipe(input.Reader, output.Writer), new DuplexPipe(output.Reader, input.Writer));
        var charger = new EmbeddedCharger(chargePointId, input, output);
        charger._connection = Task.Run(() => handler.OnConnectedAsync(context));

        string request = $"GET /ocpp/{chargePointId} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + protocol + "\r\n\r\n";
        await charger._toServer.WriteAsync(Encoding.ASCII.GetBytes(request)).ConfigureAwait(false);
        string head = await charger.ReadHandshakeResponseAsync().ConfigureAwait(false);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Upgrade refused: " + head);
        }

        charger._loop = Task.Run(charger.RunAsync);
        await charger.SendAndReceiveAsync(ClientFrame.Text("BootNotification", protocol == "ocpp1.6" ? Ocpp16Samples.BootNotification : Ocpp2Samples.BootNotification)).ConfigureAwait(false);
        charger.EnsureCallResult("BootNotification");
        return charger;
    }

    /// <summary>
    /// Writes <paramref name="frame"/> into the server's input, flushes, and reads the server's output until one
    /// complete frame has arrived; its payload is then in <see cref="LastReply"/>.
    /// </summary>
    public ValueTask SendAndReceiveAsync(ClientFrame frame) => SendAndReceiveAsync(frame.Bytes);

    /// <inheritdoc cref="SendAndReceiveAsync(ClientFrame)"/>
    /// <remarks>One call at a time: await it before the next.</remarks>
    public ValueTask SendAndReceiveAsync(ReadOnlyMemory<byte> frame)
    {
        _replied.Reset();
        short version = _replied.Version;
        _frame = frame;
        _request.Set(); // runs the loop on this thread until it waits for the server's reply
        return new ValueTask(this, version);
    }

    // The charger's side of the connection: one request, then the server's output until one frame is complete.
    private async Task RunAsync()
    {
        while (await _request.WaitAsync().ConfigureAwait(false))
        {
            try
            {
                _toServer.Write(_frame.Span);
                FlushResult flushed = await _toServer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    ThrowClosed();
                }

                while (true)
                {
                    ReadResult result = await _fromServer.ReadAsync().ConfigureAwait(false);
                    ReadOnlySequence<byte> buffer = result.Buffer;
                    if (TryTakeFrame(ref buffer))
                    {
                        _fromServer.AdvanceTo(buffer.Start);
                        break;
                    }

                    _fromServer.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        ThrowClosed();
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                _replied.SetException(ex);
                continue;
            }

            _replied.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _replied.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _replied.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _replied.OnCompleted(continuation, state, token, flags);

    /// <summary>Throws unless the last reply is a CALLRESULT (a CALLERROR would measure the error path).</summary>
    public void EnsureCallResult(string action)
    {
        if (!LastReplyIsCallResult)
        {
            throw new InvalidOperationException($"{action}: expected a CALLRESULT, got {_replyOpcode} {LastReplyText}");
        }
    }

    /// <summary>The <c>transactionId</c> of a StartTransaction CALLRESULT in <see cref="LastReply"/>.</summary>
    public int LastReplyTransactionId()
    {
        ReadOnlySpan<byte> reply = LastReply;
        int at = reply.IndexOf("\"transactionId\":"u8);
        if (at < 0 || !Utf8Parser.TryParse(reply[(at + 16)..], out int id, out _))
        {
            throw new InvalidOperationException("No transactionId in " + LastReplyText);
        }

        return id;
    }

    /// <summary>Ends the connection as a charger closing its socket would, and waits for the handler to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _request.Stop();
        await _loop.ConfigureAwait(false);
        await _toServer.CompleteAsync().ConfigureAwait(false);
        await _connection.ConfigureAwait(false);
        await _fromServer.CompleteAsync().ConfigureAwait(false);
    }

    // RFC 6455 §5.2: server frames are unmasked; the gateway writes each reply as one final text frame.
    private bool TryTakeFrame(ref ReadOnlySequence<byte> buffer)
    {
        if (WebSocketFrameReader.TryReadHeader(buffer, out WebSocketFrameHeader header, out _) != FrameReadStatus.Done
            || buffer.Length < header.HeaderLength + header.PayloadLength)
        {
            return false;
        }

        ReadOnlySequence<byte> payload = buffer.Slice(header.HeaderLength, header.PayloadLength);
        _replyLength = (int)Math.Min(payload.Length, _reply.Length);
        payload.Slice(0, _replyLength).CopyTo(_reply);
        _replyOpcode = header.Opcode;
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private async Task<string> ReadHandshakeResponseAsync()
    {
        while (true)
        {
            ReadResult result = await _fromServer.ReadAsync().ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            byte[] bytes = buffer.ToArray();
            int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                _fromServer.AdvanceTo(buffer.GetPosition(end + 4));
                return Encoding.ASCII.GetString(bytes, 0, end);
            }

            _fromServer.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return Encoding.ASCII.GetString(bytes);
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowClosed() => throw new InvalidOperationException("The server closed the connection");

    /// <summary>
    /// Wakes the charger's loop: the caller sets it, the loop waits for it. Reusable, so waking allocates
    /// nothing; the loop's continuation runs on the caller's thread (RunContinuationsAsynchronously is off).
    /// </summary>
    private sealed class RequestSignal : IValueTaskSource<bool>
    {
        private const int Idle = 0;
        private const int Signaled = 1;
        private const int Waiting = 2;

        private ManualResetValueTaskSourceCore<bool> _core;
        private int _state;
        private volatile bool _stopped;

        public void Set()
        {
            if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Waiting)
            {
                Volatile.Write(ref _state, Idle);
                _core.SetResult(!_stopped);
            }
        }

        public void Stop()
        {
            _stopped = true;
            Set();
        }

        /// <summary>True once set; false once stopped.</summary>
        public ValueTask<bool> WaitAsync()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
            {
                return new ValueTask<bool>(!_stopped);
            }

            _core.Reset();
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
            {
                // NOTE: only Set can have moved Idle to Signaled in between; consume it.
                Volatile.Write(ref _state, Idle);
                return new ValueTask<bool>(!_stopped);
            }

            return new ValueTask<bool>(this, _core.Version);
        }

        bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

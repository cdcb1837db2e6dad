using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.AspNetCore.Connections;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// One charger's WebSocket connection after the handshake. A single receive loop owns the socket's writer:
/// replies, pings, closes and server CALLs are all written by it, so no lock guards the pipe; other threads
/// ask for work by setting a flag and waking the loop with <see cref="PipeReader.CancelPendingRead"/>.
/// </summary>
/// <remarks>
/// Idle cost: this object (~200 bytes), its <see cref="ConnectionSecurity"/> (~40 bytes), the dispatcher's per-charger
/// state, and Kestrel's connection. No buffer is held while waiting: Kestrel's socket transport waits for data with
/// a zero-byte read before it rents a buffer, and the fragment buffer is rented only while a fragmented message is
/// in flight.
/// </remarks>
public sealed partial class OcppConnection
{
    private const int WakeEvict = 1;
    private const int WakePing = 2;
    private const int WakeCall = 4;
    private const int WakeTimeout = 8;
    private const int WakeShutdown = 16;
    private const int WakeRelinquish = 32;

    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly OcppTransportOptions _options;
    private readonly IOcppDispatcher _dispatcher;
    private readonly OcppConnectionRegistry _registry;

    private long _lastReceiveTicks;
    private long _lastPingTicks;
    private long _closeDeadlineTicks;
    private int _wakeFlags;
    private int _unregistered;
    private bool _closeSent;
    private bool _outputPending;
    private ushort _closeCode;
    private int _disconnectReason = -1;

    // Server-initiated CALLs: at most one outstanding (OCPP-J 1.6 §4.1.1, 2.0.1 Part 4 §4.1.1), the rest queued.
    private ConcurrentQueue<PendingCall>? _callQueue;
    private PendingCall? _outstanding;
    private int _nextCallId;

    // Reassembly of a fragmented message (§5.4); null unless one is in flight.
    private byte[]? _fragment;
    private int _fragmentLength;

    internal OcppConnection(
        ConnectionContext context,
        HandshakeResult handshake,
        long epoch,
        OcppTransportOptions options,
        IOcppDispatcher dispatcher,
        OcppConnectionRegistry registry,
        ConnectionSecurity? security = null)
    {
        _context = context;
        _input = context.Transport.Input;
        _output = context.Transport.Output;
        _options = options;
        _dispatcher = dispatcher;
        _registry = registry;
        ChargePointId = handshake.ChargePointId!;
        ChargePointIdUtf8 = Encoding.UTF8.GetBytes(ChargePointId);
        Version = handshake.Version;
        Epoch = epoch;
        Security = security ?? ConnectionSecurity.Unauthenticated;
        ConnectedAt = DateTimeOffset.UtcNow;
        _lastReceiveTicks = _lastPingTicks = Environment.TickCount64;
    }

    /// <summary>The charge point id from the connection URL.</summary>
    public string ChargePointId { get; }

    /// <summary>The charge point id as UTF-8, for zero-allocation keys and events.</summary>
    public byte[] ChargePointIdUtf8 { get; }

    /// <summary>The negotiated OCPP version.</summary>
    public OcppVersion Version { get; }

    /// <summary>Registration order: a newer connection for the same id has a higher epoch and evicts this one.</summary>
    public long Epoch { get; }

    /// <summary>How the charger authenticated (profile, TLS, client certificate) and where its CSRs go.</summary>
    public ConnectionSecurity Security { get; }

    /// <summary>The peer address, for logs and events.</summary>
    public string? RemoteEndPoint => _context.RemoteEndPoint?.ToString(); // formatted on use: it is rarely read

    /// <summary>When the handshake completed.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The dispatcher's per-charger state (booted flag, durability waiter, …).</summary>
    public object? HandlerState { get; set; }

    /// <summary>Environment.TickCount64 of the last frame received.</summary>
    public long LastReceiveTicks => Volatile.Read(ref _lastReceiveTicks);

    /// <summary>Whether a newer connection for the same charge point id took over from this one.</summary>
    public bool Replaced { get; private set; }

    /// <summary>Why the connection ended (the first cause seen); <see cref="DisconnectReason.ConnectionLost"/> until one is.</summary>
    public DisconnectReason DisconnectReason
    {
        get
        {
            int reason = Volatile.Read(ref _disconnectReason);
            return reason < 0 ? DisconnectReason.ConnectionLost : (DisconnectReason)reason;
        }
    }

    /// <summary>The close code the charger sent (RFC 6455 §7.4), or 0 when it sent no Close frame.</summary>
    public ushort PeerCloseCode { get; private set; }

    /// <summary>Records why the connection ends, unless an earlier cause was recorded (timer, other threads, the loop).</summary>
    private void EndingBecause(DisconnectReason reason) => Interlocked.CompareExchange(ref _disconnectReason, (int)reason, -1);

    /// <summary>Closes this connection because a newer one took over its charge point id.</summary>
    internal void Evict()
    {
        EndingBecause(DisconnectReason.Replaced);
        Replaced = true;
        Wake(WakeEvict);
    }

    /// <summary>Whether the receive loop has ended and left the registry.</summary>
    internal bool IsUnregistered => Volatile.Read(ref _unregistered) != 0;

    internal void MarkUnregistered() => Interlocked.Exchange(ref _unregistered, 1);

    /// <summary>Closes this connection with 1001 because the server is stopping.</summary>
    internal void Shutdown()
    {
        EndingBecause(DisconnectReason.ServerShutdown);
        Wake(WakeShutdown);
    }

    /// <summary>
    /// Drops the socket of a connection that did not finish the close handshake while the server stops: the shared
    /// timer that enforces <see cref="OcppTransportOptions.CloseTimeout"/> has stopped by then, and Kestrel would
    /// otherwise wait its whole shutdown timeout for this connection.
    /// </summary>
    internal void AbortForShutdown() => _context.Abort(new ConnectionAbortedException("Server stopping: the close handshake did not complete"));

    /// <summary>
    /// Closes this connection with 1001 (going away) because another gateway of the cluster now owns its charge point
    /// id; safe from any thread, before or while the receive loop runs.
    /// </summary>
    public void Relinquish() => Wake(WakeRelinquish);

    /// <summary>Called by the shared timer about once a second; cheap unless something is due.</summary>
    internal void Tick(long now)
    {
        long idle = now - Volatile.Read(ref _lastReceiveTicks);
        if (idle > (long)_options.IdleTimeout.TotalMilliseconds)
        {
            // RFC 6455 gives no close code for a dead peer; it cannot read one anyway.
            EndingBecause(DisconnectReason.IdleTimeout);
            _context.Abort(new ConnectionAbortedException("Idle timeout: no frame received"));
            return;
        }

        long closeDeadline = Volatile.Read(ref _closeDeadlineTicks);
        if (closeDeadline != 0 && now > closeDeadline)
        {
            _context.Abort(new ConnectionAbortedException("No Close frame from the peer"));
            return;
        }

        if (_options.PingInterval > TimeSpan.Zero
            && idle > (long)_options.PingInterval.TotalMilliseconds
            && now - Volatile.Read(ref _lastPingTicks) > (long)_options.PingInterval.TotalMilliseconds)
        {
            Volatile.Write(ref _lastPingTicks, now);
            Wake(WakePing);
        }

        PendingCall? outstanding = Volatile.Read(ref _outstanding);
        if (outstanding is not null && now > outstanding.DeadlineTicks)
        {
            Wake(WakeTimeout);
        }
    }

    private void Wake(int flag)
    {
        Interlocked.Or(ref _wakeFlags, flag);
        _input.CancelPendingRead();
    }

    private void WriteFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        WebSocketFrameWriter.WriteServerFrame(_output, opcode, payload);
        _outputPending = true;
    }

    /// <summary>Sends Close once and starts the close timeout; later frames from the peer are ignored.</summary>
    private void SendClose(ushort code, ReadOnlySpan<byte> reason)
    {
        if (_closeSent)
        {
            return;
        }

        _closeSent = true;
        _closeCode = code;
        WebSocketFrameWriter.WriteClose(_output, code, reason);
        _outputPending = true;
        Volatile.Write(ref _closeDeadlineTicks, Environment.TickCount64 + (long)_options.CloseTimeout.TotalMilliseconds);
    }

    private void ReturnFragment()
    {
        if (_fragment is { } fragment)
        {
            _fragment = null;
            _fragmentLength = 0;
            ArrayPool<byte>.Shared.Return(fragment);
        }
    }
}

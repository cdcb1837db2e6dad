using System.Text;

namespace EvCloud.Fast.Load;

/// <summary>Why a simulated charger failed or saw something unexpected.</summary>
internal enum ErrorKind
{
    /// <summary>TCP connect refused or failed (port exhaustion, listener backlog, file limit).</summary>
    ConnectFailed,
    /// <summary>Connect, upgrade or boot not done within --connect-timeout.</summary>
    Timeout,
    /// <summary>The server answered the upgrade with something other than 101.</summary>
    HandshakeRefused,
    /// <summary>A 101 without the right Sec-WebSocket-Accept or protocol, or a response that is not HTTP.</summary>
    HandshakeInvalid,
    /// <summary>BootNotification answered with Pending or Rejected.</summary>
    BootNotAccepted,
    /// <summary>A CALLERROR in answer to one of our CALLs.</summary>
    CallError,
    /// <summary>A frame or message the simulator could not read.</summary>
    ProtocolError,
    /// <summary>The server sent a Close frame.</summary>
    ClosedByServer,
    /// <summary>The socket was reset or closed without a Close frame.</summary>
    ConnectionLost,
}

/// <summary>Fleet-wide counters, updated with interlocked operations by every charger.</summary>
internal sealed class LoadStats
{
    public static readonly string[] ErrorNames = Enum.GetNames<ErrorKind>();

    private readonly long[] _errors = new long[ErrorNames.Length];
    private long _connecting;
    private long _open;
    private long _booted;
    private long _failed;
    private long _settled;
    private long _sent;
    private long _received;
    private long _pings;
    private long _serverCalls;
    private long _heartbeats;

    /// <summary>Chargers started and not yet past the upgrade (or failed).</summary>
    public long Connecting => Volatile.Read(ref _connecting);

    /// <summary>WebSockets open now.</summary>
    public long Open => Volatile.Read(ref _open);

    /// <summary>Chargers that completed boot and both status notifications.</summary>
    public long Booted => Volatile.Read(ref _booted);

    /// <summary>Chargers that gave up (one per charger, whatever the number of errors it saw).</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Chargers whose start-up is over: booted, or failed before booting.</summary>
    public long Settled => Volatile.Read(ref _settled);

    public long Sent => Volatile.Read(ref _sent);

    public long Received => Volatile.Read(ref _received);

    public long Pings => Volatile.Read(ref _pings);

    public long ServerCalls => Volatile.Read(ref _serverCalls);

    public long Heartbeats => Volatile.Read(ref _heartbeats);

    public void Starting() => Interlocked.Increment(ref _connecting);

    public void Opened()
    {
        Interlocked.Decrement(ref _connecting);
        Interlocked.Increment(ref _open);
    }

    public void NotOpened() => Interlocked.Decrement(ref _connecting);

    public void Closed() => Interlocked.Decrement(ref _open);

    public void BootDone()
    {
        Interlocked.Increment(ref _booted);
        Interlocked.Increment(ref _settled);
    }

    public void ChargerFailed(bool booted)
    {
        Interlocked.Increment(ref _failed);
        if (!booted)
        {
            Interlocked.Increment(ref _settled);
        }
    }

    public void MessageSent() => Interlocked.Increment(ref _sent);

    public void MessageReceived() => Interlocked.Increment(ref _received);

    public void Ping() => Interlocked.Increment(ref _pings);

    public void ServerCall() => Interlocked.Increment(ref _serverCalls);

    public void Heartbeat() => Interlocked.Increment(ref _heartbeats);

    public void Error(ErrorKind kind) => Interlocked.Increment(ref _errors[(int)kind]);

    public long ErrorCount(ErrorKind kind) => Volatile.Read(ref _errors[(int)kind]);

    public long TotalErrors
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _errors.Length; i++)
            {
                sum += Volatile.Read(ref _errors[i]);
            }

            return sum;
        }
    }

    public Dictionary<string, long> ErrorsByKind()
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _errors.Length; i++)
        {
            long n = Volatile.Read(ref _errors[i]);
            if (n > 0)
            {
                map[ErrorNames[i]] = n;
            }
        }

        return map;
    }

    /// <summary>One progress line: <c>[  12s] connecting 200 open 9800 booted 9750 failed 0 | out 2000/s in 2000/s | errors: none</c>.</summary>
    public string ProgressLine(TimeSpan elapsed, double sentPerSecond, double receivedPerSecond)
    {
        var sb = new StringBuilder(160);
        sb.Append($"[{elapsed.TotalSeconds,5:F0}s] connecting {Connecting} open {Open} booted {Booted} failed {Failed}");
        sb.Append($" | out {sentPerSecond:F0}/s in {receivedPerSecond:F0}/s | errors:");
        bool any = false;
        for (int i = 0; i < _errors.Length; i++)
        {
            long n = Volatile.Read(ref _errors[i]);
            if (n > 0)
            {
                sb.Append(' ').Append(ErrorNames[i]).Append('=').Append(n);
                any = true;
            }
        }

        if (!any)
        {
            sb.Append(" none");
        }

        return sb.ToString();
    }
}

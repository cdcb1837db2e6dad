using System.Globalization;
using System.Net;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>The load profiles (see the tool's README for what each charger does in each).</summary>
internal enum LoadProfile
{
    /// <summary>Realistic: heartbeat every 60 s, 25% of chargers charging with meter values every 30 s.</summary>
    Steady,
    /// <summary>Every charger sends its next CALL as soon as the previous one is answered (or at --rate).</summary>
    Stress,
    /// <summary>The fleet connects, drops at once (as at a server restart), then reconnects all at once.</summary>
    Storm,
    /// <summary>Authorize, start, two meter values, stop, again: the durable (group-committed) messages.</summary>
    Transactions,
    /// <summary>Boot every id once and disconnect, at most --window open at a time: builds server state for restart runs.</summary>
    Populate,
}

/// <summary>Options of the profile runs (<c>steady</c>, <c>stress</c>, <c>storm</c>, <c>transactions</c>, <c>populate</c>) and of their workers.</summary>
internal sealed class RunOptions
{
    public const string Usage = """
        EvCloud.Fast.Load <profile> [options]    profiles: steady, stress, storm, transactions, populate

        A fleet of simulated OCPP chargers (1.6 / 2.0.1 / 2.1 mix: half 1.6, a quarter each 2.x) over raw sockets
        and the gateway's own WebSocket framing, spread over worker processes (one per --per-worker chargers, each
        bound to its own 127.0.0.x source addresses). Loopback targets only; every run is bounded in time.

          --url <ws://127.0.0.1:8180/ocpp>   Target (ws:// or wss:// on 127.0.0.0/8, localhost or [::1]).
          --tls                    Same as a wss:// URL; the server certificate is not checked (loopback runs).
          --chargers <n>           Fleet size (default 1000).     --first <n>   First charger number (default 1).
          --prefix <text>          Charge point id prefix (default LOAD-).
          --ramp <n>               New connections per second, whole fleet (default 2000).
          --duration <d>           Measured time after the fleet is up (default 60s; storm: hold after the storm).
          --warmup <d>             Time after the ramp before measuring starts (default 5s).
          --rate <n>               Fleet-wide CALLs per second (open loop). Default: steady = its own timers,
                                   stress and transactions = closed loop (next CALL when the last is answered).
          --heartbeat <d>          Steady: heartbeat interval (default 60s).  --meter <d>  meter values (default 30s).
          --charging <fraction>    Steady: share of chargers charging (default 0.25).
          --storm-pause <d>        Storm: time between the drop and the reconnect (default 2s).
          --restart-cmd <cmd>      Storm: shell command run between the drop and the reconnect (e.g. restarts the server).
          --window <n>             Populate: chargers open at once (default 2000).
          --per-worker <n>         Chargers per worker process (default 15000; one process may open 20,000 files).
          --source-base <ip>       First source address; worker k binds 4 addresses from base + 4k (default 127.0.0.10).
          --metrics-url <url>      Server's Prometheus endpoint (e.g. http://127.0.0.1:8080/metrics), read at the
                                   start and end of the measured window: RSS, CPU, allocated bytes per message.
          --server-pid <pid>       Server process, for RSS and CPU from /proc every second.
          --connect-timeout <d>    Connect + upgrade + boot deadline per charger (default 30s).
          --max-duration <d>       Hard cap on the whole run (default 15m).
          --out <prefix>           Writes <prefix>.json, <prefix>.md and <prefix>-throughput.svg, <prefix>-latency.svg.
          --quiet                  No progress line.
        """;

    public LoadProfile Profile { get; private set; }
    public Uri Url { get; private set; } = new("ws://127.0.0.1:8180/ocpp");
    public bool Tls { get; private set; }
    public int Chargers { get; private set; } = 1000;
    public int First { get; private set; } = 1;
    public string Prefix { get; private set; } = "LOAD-";
    public int Ramp { get; private set; } = 2000;
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);
    public double Rate { get; private set; }
    public TimeSpan Heartbeat { get; private set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Meter { get; private set; } = TimeSpan.FromSeconds(30);
    public double Charging { get; private set; } = 0.25;
    public TimeSpan StormPause { get; private set; } = TimeSpan.FromSeconds(2);
    public string? RestartCommand { get; private set; }
    public int Window { get; private set; } = 2000;
    public int PerWorker { get; private set; } = 15000;
    public IPAddress SourceBase { get; private set; } = IPAddress.Parse("127.0.0.10");
    public IPAddress[] SourceIps { get; private set; } = [];
    public Uri? MetricsUrl { get; private set; }
    public int? ServerPid { get; private set; }
    public TimeSpan ConnectTimeout { get; private set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDuration { get; private set; } = TimeSpan.FromMinutes(15);
    public string? Out { get; private set; }
    public bool Quiet { get; private set; }
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 8180);
    public string PathPrefix { get; private set; } = "/ocpp/";

    public static bool IsProfile(string name) => Enum.TryParse<LoadProfile>(name, ignoreCase: true, out _) && !int.TryParse(name, out _);

    /// <summary>Parses <paramref name="args"/> (the profile name first); throws <see cref="ArgumentException"/> for the user.</summary>
    public static RunOptions Parse(string[] args)
    {
        var o = new RunOptions { Profile = Enum.Parse<LoadProfile>(args[0], ignoreCase: true) };
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--url": o.Url = new Uri(Value(), UriKind.Absolute); break;
                case "--tls": o.Tls = true; break;
                case "--chargers": o.Chargers = PositiveInt(arg, Value()); break;
                case "--first": o.First = PositiveInt(arg, Value()); break;
                case "--prefix": o.Prefix = Value(); break;
                case "--ramp": o.Ramp = PositiveInt(arg, Value()); break;
                case "--duration": o.Duration = LoadOptions.Duration(arg, Value()); break;
                case "--warmup": o.Warmup = Value() is "0" or "0s" ? TimeSpan.Zero : LoadOptions.Duration(arg, args[i]); break;
                case "--rate": o.Rate = PositiveInt(arg, Value()); break;
                case "--heartbeat": o.Heartbeat = LoadOptions.Duration(arg, Value()); break;
                case "--meter": o.Meter = LoadOptions.Duration(arg, Value()); break;
                case "--charging":
                    o.Charging = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double c) && c is >= 0 and <= 1
                        ? c : throw new ArgumentException("--charging needs a fraction between 0 and 1");
                    break;
                case "--storm-pause": o.StormPause = LoadOptions.Duration(arg, Value()); break;
                case "--restart-cmd": o.RestartCommand = Value(); break;
                case "--window": o.Window = PositiveInt(arg, Value()); break;
                case "--per-worker": o.PerWorker = Math.Min(19_000, PositiveInt(arg, Value())); break;
                case "--source-base": o.SourceBase = IPAddress.TryParse(Value(), out IPAddress? b) ? b : throw new ArgumentException("--source-base needs an IPv4 address"); break;
                case "--source-ips":
                    o.SourceIps = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToArray();
                    break;
                case "--metrics-url": o.MetricsUrl = new Uri(Value(), UriKind.Absolute); break;
                case "--server-pid": o.ServerPid = PositiveInt(arg, Value()); break;
                case "--connect-timeout": o.ConnectTimeout = LoadOptions.Duration(arg, Value()); break;
                case "--max-duration": o.MaxDuration = LoadOptions.Duration(arg, Value()); break;
                case "--out": o.Out = Value(); break;
                case "--quiet": o.Quiet = true; break;
                default: throw new ArgumentException($"Unknown argument '{arg}'");
            }
        }

        o.Validate();
        return o;
    }

    /// <summary>Worker processes needed: one per <see cref="PerWorker"/> chargers.</summary>
    public int Workers => (Chargers + PerWorker - 1) / PerWorker;

    /// <summary>The four source addresses of worker <paramref name="worker"/>: base + 4k … base + 4k + 3.</summary>
    public IPAddress[] SourcesOf(int worker)
    {
        byte[] b = SourceBase.GetAddressBytes();
        uint start = ((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]) + (uint)(4 * worker);
        return Enumerable.Range(0, 4).Select(k => new IPAddress(BitConverter.IsLittleEndian
            ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(start + (uint)k) : start + (uint)k)).ToArray();
    }

    private void Validate()
    {
        if (Url.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"--url must be ws:// or wss:// (got {Url.Scheme}://)");
        }

        Tls |= Url.Scheme == "wss";
        IPAddress host = Url.IsLoopback && Url.HostNameType == UriHostNameType.Dns
            ? IPAddress.Loopback
            : IPAddress.TryParse(Url.IdnHost, out IPAddress? parsed) ? parsed : throw new ArgumentException($"--url host '{Url.Host}' is not an IP address or localhost");
        if (!IPAddress.IsLoopback(host))
        {
            throw new ArgumentException($"--url host {host} is not a loopback address: load runs target 127.0.0.0/8 or [::1] only");
        }

        if (!IPAddress.IsLoopback(SourceBase) || SourceIps.Any(ip => !IPAddress.IsLoopback(ip)))
        {
            throw new ArgumentException("source addresses must be loopback addresses");
        }

        if (MetricsUrl is { } m && !(m.IsLoopback || (IPAddress.TryParse(m.IdnHost, out IPAddress? mh) && IPAddress.IsLoopback(mh))))
        {
            throw new ArgumentException("--metrics-url must be on a loopback address");
        }

        if (ServerPid is { } pid && !File.Exists($"/proc/{pid}/status"))
        {
            throw new ArgumentException($"--server-pid {pid}: no such process");
        }

        Endpoint = new IPEndPoint(host, Url.Port);
        string path = Url.AbsolutePath;
        PathPrefix = path.EndsWith('/') ? path : path + "/";
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive integer (got '{value}')");
}

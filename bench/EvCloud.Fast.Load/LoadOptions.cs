using System.Globalization;
using System.Net;

namespace EvCloud.Fast.Load;

/// <summary>The command line of the <c>idle</c> scenario, parsed by hand (no System.CommandLine in the registry).</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        EvCloud.Fast.Load: a fleet of simulated OCPP 1.6J chargers over raw sockets, for loopback load runs.

        Usage:
          EvCloud.Fast.Load idle [options]

        Scenario 'idle': every charger connects (TCP, HTTP upgrade to ocpp1.6), sends BootNotification and
        StatusNotification for connectors 0 and 1, then idles: it answers pings with pongs, sends Heartbeat at
        the interval the server returned, and answers server CALLs (a minimal CALLRESULT, or CALLERROR
        NotImplemented). With --server-pid it reads the server's memory before connecting and after the fleet
        has idled for --settle, and reports (RSS after - RSS before) / chargers.

        Options:
          --url <ws://127.0.0.1:8180/ocpp>  Gateway URL; the charge point id is appended after '/'. Loopback only
                                            (127.0.0.0/8, localhost, [::1]); any other host is refused.
          --chargers <n>        Chargers to simulate (default 1000).
          --first <n>           Number of the first charger, for splitting a fleet over processes (default 1).
          --prefix <text>       Charge point id prefix; ids are <prefix><n> (default SIM-).
          --ramp <n>            New connections per second (default 1000).
          --hold <duration>     How long the fleet idles once every charger is booted or has failed (default 60s).
          --settle <duration>   Idle time before the 'after' memory reading; at most --hold (default 15s).
          --source-ips <a,b>    Loopback addresses to bind, round robin, to spread ephemeral ports (default: none).
          --server-pid <pid>    Server process whose RSS (/proc/<pid>/status, smaps_rollup) is measured.
          --health-url <url>    Loopback URL of the server's GET /health, read at the 'after' point (optional).
          --warmup <n>          Before the baseline, connect and boot n chargers (<prefix>warmup-<n>), close them
                                and wait 5 s, so JIT and first-use allocations are not counted per charger.
          --warmup-same-ids     Warm up with the fleet's own ids (<prefix><n>): the server already knows every
                                charger, so the reading is the cost of a connection, not of a new charger's state.
          --induce-gc           Also take each server reading after a full GC induced through the server's
                                diagnostics port (labels baseline-gc, after-settle-gc). The headline readings
                                stay unforced.
          --connect-timeout <d> TCP connect + upgrade + boot deadline per charger (default 30s).
          --max-duration <d>    Hard cap on the whole run; the fleet is dropped when it passes (default 10m).
          --out <file>          JSON report (default: none, the summary is printed either way).
          --quiet               No per-second progress line on stderr.
          -h, --help            This text.

        Durations: 500ms, 15s, 2m, or hh:mm:ss.
        """;

    public string Scenario { get; private set; } = "";
    public Uri Url { get; private set; } = new("ws://127.0.0.1:8180/ocpp");
    public int Chargers { get; private set; } = 1000;
    public int First { get; private set; } = 1;
    public string Prefix { get; private set; } = "SIM-";
    public int Ramp { get; private set; } = 1000;
    public TimeSpan Hold { get; private set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(15);
    public IPAddress[] SourceIps { get; private set; } = [];
    public int? ServerPid { get; private set; }
    public Uri? HealthUrl { get; private set; }
    public TimeSpan ConnectTimeout { get; private set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDuration { get; private set; } = TimeSpan.FromMinutes(10);
    public string? Out { get; private set; }
    public bool Quiet { get; private set; }
    public int Warmup { get; private set; }

    /// <summary>Whether the warm-up fleet uses the measured fleet's ids (known chargers) instead of other ids.</summary>
    public bool WarmupSameIds { get; private set; }
    public bool InduceGc { get; private set; }
    public bool Help { get; private set; }

    /// <summary>The resolved gateway endpoint (always a loopback address).</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 8180);

    /// <summary>Path the charge point id is appended to, ending in '/'.</summary>
    public string PathPrefix { get; private set; } = "/ocpp/";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "-h" or "--help": o.Help = true; break;
                case "--url": o.Url = new Uri(Value(), UriKind.Absolute); break;
                case "--chargers": o.Chargers = PositiveInt(arg, Value()); break;
                case "--first": o.First = PositiveInt(arg, Value()); break;
                case "--prefix": o.Prefix = Value(); break;
                case "--ramp": o.Ramp = PositiveInt(arg, Value()); break;
                case "--hold": o.Hold = Duration(arg, Value()); break;
                case "--settle": o.Settle = Duration(arg, Value()); break;
                case "--source-ips":
                    o.SourceIps = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => IPAddress.TryParse(s, out IPAddress? ip) ? ip : throw new ArgumentException($"--source-ips: '{s}' is not an IP address"))
                        .ToArray();
                    break;
                case "--server-pid": o.ServerPid = PositiveInt(arg, Value()); break;
                case "--health-url": o.HealthUrl = new Uri(Value(), UriKind.Absolute); break;
                case "--connect-timeout": o.ConnectTimeout = Duration(arg, Value()); break;
                case "--max-duration": o.MaxDuration = Duration(arg, Value()); break;
                case "--out": o.Out = Value(); break;
                case "--quiet": o.Quiet = true; break;
                case "--warmup": o.Warmup = PositiveInt(arg, Value()); break;
                case "--induce-gc": o.InduceGc = true; break;
                case "--warmup-same-ids": o.WarmupSameIds = true; break;
                default:
                    if (arg.StartsWith('-') || o.Scenario.Length > 0)
                    {
                        throw new ArgumentException($"Unknown argument '{arg}'");
                    }

                    o.Scenario = arg;
                    break;
            }
        }

        if (o.Help)
        {
            return o;
        }

        if (o.Scenario != "idle")
        {
            throw new ArgumentException(o.Scenario.Length == 0 ? "Name a scenario: idle" : $"Unknown scenario '{o.Scenario}' (known: idle)");
        }

        o.Validate();
        return o;
    }

    private void Validate()
    {
        if (Url.Scheme != "ws")
        {
            throw new ArgumentException($"--url must be ws:// (got {Url.Scheme}://); the load tool does not speak TLS");
        }

        IPAddress host = Url.IsLoopback && Url.HostNameType == UriHostNameType.Dns
            ? IPAddress.Loopback
            : IPAddress.TryParse(Url.IdnHost, out IPAddress? parsed) ? parsed : throw new ArgumentException($"--url host '{Url.Host}' is not an IP address or localhost");
        if (!IPAddress.IsLoopback(host))
        {
            throw new ArgumentException($"--url host {host} is not a loopback address: load runs target 127.0.0.0/8 or [::1] only");
        }

        foreach (IPAddress source in SourceIps)
        {
            if (!IPAddress.IsLoopback(source) || source.AddressFamily != host.AddressFamily)
            {
                throw new ArgumentException($"--source-ips: {source} is not a loopback address of the same family as {host}");
            }
        }

        if (HealthUrl is { } health && (health.Scheme != "http" || !(health.IsLoopback || (IPAddress.TryParse(health.IdnHost, out IPAddress? h) && IPAddress.IsLoopback(h)))))
        {
            throw new ArgumentException("--health-url must be http:// on a loopback address");
        }

        if (Settle > Hold)
        {
            throw new ArgumentException("--settle cannot be longer than --hold");
        }

        if (ServerPid is { } pid && !File.Exists($"/proc/{pid}/status"))
        {
            throw new ArgumentException($"--server-pid {pid}: no such process (or /proc is not mounted)");
        }

        Endpoint = new IPEndPoint(host, Url.Port);
        string path = Url.AbsolutePath;
        PathPrefix = path.EndsWith('/') ? path : path + "/";
    }

    /// <summary>The options of the warm-up fleet: the same server, other ids, no readings.</summary>
    public LoadOptions ForWarmup()
    {
        var warm = (LoadOptions)MemberwiseClone();
        warm.Chargers = Warmup;
        warm.First = WarmupSameIds ? First : 1;
        warm.Prefix = WarmupSameIds ? Prefix : Prefix + "warmup-";
        warm.Quiet = true;
        return warm;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive integer (got '{value}')");

    /// <summary>Parses 500ms, 15s, 2m, 1h or a TimeSpan (hh:mm:ss).</summary>
    internal static TimeSpan Duration(string name, string value)
    {
        (string number, double scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => (value[..^2], 0.001),
            _ when value.EndsWith('s') => (value[..^1], 1.0),
            _ when value.EndsWith('m') => (value[..^1], 60.0),
            _ when value.EndsWith('h') => (value[..^1], 3600.0),
            _ => ("", 0),
        };
        if (number.Length > 0 && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d > 0)
        {
            return TimeSpan.FromSeconds(d * scale);
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new ArgumentException($"{name} needs a duration such as 500ms, 15s, 2m or 00:01:00 (got '{value}')");
    }
}

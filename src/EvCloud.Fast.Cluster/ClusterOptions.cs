using System.Text;

namespace EvCloud.Fast.Cluster;

/// <summary>What one process of the cluster does.</summary>
public enum ClusterRole
{
    /// <summary>Today's single process: gateway, state, API, CDRs and OCPI together; nothing NATS-related starts.</summary>
    All,

    /// <summary>Terminates charger sockets and forwards its event log to JetStream; owns chargers through the directory.</summary>
    Gateway,

    /// <summary>Consumes the event stream (API, CDR pipeline, OCPI); not available in this version.</summary>
    Core,
}

/// <summary>
/// The <c>Cluster</c> section: the role of this process, its node id and how it reaches NATS. With the default
/// <see cref="ClusterRole.All"/> nothing here is read beyond the role.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Bytes of a node id at most: it is part of every JetStream subject and message id this node writes.</summary>
    public const int MaxNodeIdLength = 32;

    /// <summary><c>Cluster:Role</c>: <c>all</c> (default), <c>gateway</c> or <c>core</c>.</summary>
    public ClusterRole Role { get; set; } = ClusterRole.All;

    /// <summary>
    /// <c>Cluster:NodeId</c>: this node's stable name (1–32 of <c>A-Z a-z 0-9 - _</c>), unique in the cluster and the
    /// same across restarts: message ids and the forwarding position are keyed on it.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>NATS connection (<c>Cluster:Nats</c>).</summary>
    public ClusterNatsOptions Nats { get; set; } = new();

    /// <summary>
    /// <c>Cluster:ClaimTimeout</c>: how long a connecting charger waits for its ownership claim before it is served
    /// anyway (the claim goes on in the background, so a gateway keeps serving while NATS is unreachable).
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Cluster:DirectoryBucket</c>: the JetStream KV bucket of charger ownership.</summary>
    public string DirectoryBucket { get; set; } = "evcloud-chargers";

    /// <summary><c>Cluster:EventStream</c>: the JetStream stream the gateways forward their event logs to.</summary>
    public string EventStream { get; set; } = "EVCLOUD-EVENTS";

    /// <summary>Subject prefix of the event stream; a gateway publishes on <c>{prefix}.{NodeId}</c>.</summary>
    public string EventSubjectPrefix { get; set; } = "evcloud.events";

    /// <summary>
    /// <c>Cluster:DuplicateWindow</c>: how long JetStream remembers a message id. A gateway that crashed after
    /// JetStream acknowledged a batch but before it saved its position publishes that batch again on restart; the
    /// window must cover that restart, or the batch is stored twice.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Cluster:ForwardMaxInFlight</c>: publishes awaiting JetStream's acknowledgement at once.</summary>
    public int ForwardMaxInFlight { get; set; } = 256;

    /// <summary>
    /// Checks the options and throws <see cref="InvalidOperationException"/> naming every problem, so a misconfigured
    /// node refuses to start instead of running half-connected.
    /// </summary>
    public void Validate()
    {
        if (Role == ClusterRole.All)
        {
            return;
        }

        var errors = new List<string>();
        if (Role == ClusterRole.Core)
        {
            errors.Add("Cluster:Role=core is not available in this version: run the core functions with Cluster:Role=all");
        }

        if (string.IsNullOrEmpty(NodeId))
        {
            errors.Add("Cluster:NodeId is required when Cluster:Role is " + Role.ToString().ToLowerInvariant());
        }
        else if (!IsValidNodeId(NodeId))
        {
            errors.Add($"Cluster:NodeId '{NodeId}' must be 1-{MaxNodeIdLength} characters of A-Z a-z 0-9 - _");
        }

        Nats.Validate(errors);
        if (ClaimTimeout <= TimeSpan.Zero)
        {
            errors.Add("Cluster:ClaimTimeout must be positive");
        }

        if (DuplicateWindow < TimeSpan.FromSeconds(1))
        {
            errors.Add("Cluster:DuplicateWindow must be at least 1 second");
        }

        if (ForwardMaxInFlight is < 1 or > 65536)
        {
            errors.Add("Cluster:ForwardMaxInFlight must be 1-65536");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid cluster configuration: " + string.Join("; ", errors));
        }
    }

    /// <summary>Whether <paramref name="nodeId"/> is usable as a subject token and message id prefix.</summary>
    public static bool IsValidNodeId(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        if (nodeId.Length is 0 or > MaxNodeIdLength)
        {
            return false;
        }

        foreach (char c in nodeId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// <c>Cluster:Nats</c>: server URLs, one way to authenticate (user/password, token, a creds file or an NKey seed file)
/// and TLS (a CA to trust, a client certificate for mutual TLS).
/// </summary>
public sealed class ClusterNatsOptions
{
    /// <summary><c>Cluster:Nats:Url</c>: one URL or several separated by commas (<c>nats://</c> or <c>tls://</c>).</summary>
    public string? Url { get; set; }

    /// <summary><c>Cluster:Nats:User</c> with <c>Password</c>.</summary>
    public string? User { get; set; }

    /// <summary><c>Cluster:Nats:Password</c>.</summary>
    public string? Password { get; set; }

    /// <summary><c>Cluster:Nats:Token</c>.</summary>
    public string? Token { get; set; }

    /// <summary><c>Cluster:Nats:CredsFile</c>: a decentralized-auth creds file (JWT and seed).</summary>
    public string? CredsFile { get; set; }

    /// <summary><c>Cluster:Nats:NKeySeedFile</c>: a file holding an NKey user seed (<c>SU…</c>).</summary>
    public string? NKeySeedFile { get; set; }

    /// <summary><c>Cluster:Nats:TlsCaFile</c>: PEM CA bundle to verify the server with (default: the system's).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary><c>Cluster:Nats:TlsCertFile</c> with <c>TlsKeyFile</c>: client certificate for mutual TLS.</summary>
    public string? TlsCertFile { get; set; }

    /// <summary><c>Cluster:Nats:TlsKeyFile</c>: PEM private key of <see cref="TlsCertFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary><c>Cluster:Nats:RequireTls</c>: refuse a plain connection even with a <c>nats://</c> URL.</summary>
    public bool RequireTls { get; set; }

    /// <summary><c>Cluster:Nats:ConnectTimeout</c>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Cluster:Nats:RequestTimeout</c>: how long a JetStream or KV call waits for its answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether any TLS option is set.</summary>
    public bool UsesTls => RequireTls || TlsCaFile is not null || TlsCertFile is not null
        || (Url?.Contains("tls://", StringComparison.OrdinalIgnoreCase) ?? false);

    internal void Validate(List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            errors.Add("Cluster:Nats:Url is required (e.g. nats://127.0.0.1:4222)");
        }
        else
        {
            foreach (string url in Url.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("nats" or "tls" or "ws" or "wss"))
                {
                    errors.Add($"Cluster:Nats:Url '{url}' is not a nats://, tls://, ws:// or wss:// URL");
                }
            }
        }

        int methods = (User is not null || Password is not null ? 1 : 0) + (Token is not null ? 1 : 0)
            + (CredsFile is not null ? 1 : 0) + (NKeySeedFile is not null ? 1 : 0);
        if (methods > 1)
        {
            errors.Add("Cluster:Nats: set one of User/Password, Token, CredsFile or NKeySeedFile");
        }

        if ((User is null) != (Password is null))
        {
            errors.Add("Cluster:Nats:User and Cluster:Nats:Password go together");
        }

        if ((TlsCertFile is null) != (TlsKeyFile is null))
        {
            errors.Add("Cluster:Nats:TlsCertFile and Cluster:Nats:TlsKeyFile go together");
        }

        RequireFile(errors, "CredsFile", CredsFile);
        RequireFile(errors, "NKeySeedFile", NKeySeedFile);
        RequireFile(errors, "TlsCaFile", TlsCaFile);
        RequireFile(errors, "TlsCertFile", TlsCertFile);
        RequireFile(errors, "TlsKeyFile", TlsKeyFile);
        if (NKeySeedFile is not null && File.Exists(NKeySeedFile) && !ReadSeed(NKeySeedFile).StartsWith("SU", StringComparison.Ordinal))
        {
            errors.Add($"Cluster:Nats:NKeySeedFile '{NKeySeedFile}' holds no NKey user seed (SU…)");
        }

        if (ConnectTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("Cluster:Nats:ConnectTimeout and RequestTimeout must be positive");
        }
    }

    /// <summary>The first non-empty line of a seed file (files written by <c>nk -gen user</c> end with a newline).</summary>
    internal static string ReadSeed(string path) =>
        File.ReadAllLines(path, Encoding.ASCII).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

    private static void RequireFile(List<string> errors, string name, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"Cluster:Nats:{name} '{path}' does not exist");
        }
    }
}

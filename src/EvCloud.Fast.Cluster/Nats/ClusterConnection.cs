using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace EvCloud.Fast.Cluster.Nats;

/// <summary>
/// This node's one connection to NATS, shared by the directory and the forwarder. The client reconnects by itself
/// (for ever, with backoff); callers see failures as exceptions and retry, so nothing here blocks the gateway.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>Creates the connection (it connects on first use or <see cref="ConnectAsync"/>).</summary>
    public ClusterConnection(ClusterOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Connection = new NatsConnection(CreateOpts(options, loggers));
        JetStream = new NatsJSContext(Connection);
        KeyValue = new NatsKVContext(JetStream);
    }

    /// <summary>The cluster options.</summary>
    public ClusterOptions Options { get; }

    /// <summary>This node's id.</summary>
    public string NodeId => Options.NodeId!;

    /// <summary>The NATS connection.</summary>
    public NatsConnection Connection { get; }

    /// <summary>JetStream over <see cref="Connection"/>.</summary>
    public NatsJSContext JetStream { get; }

    /// <summary>Key/value buckets over <see cref="JetStream"/>.</summary>
    public NatsKVContext KeyValue { get; }

    /// <summary>Whether the connection is open now.</summary>
    public bool IsConnected => Connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>Connects (or waits for the reconnect in progress); throws when the server cannot be reached.</summary>
    public async ValueTask ConnectAsync() => await Connection.ConnectAsync().ConfigureAwait(false);

    /// <summary>
    /// The client options from <paramref name="options"/>: URLs, credentials, TLS, timeouts, and reconnection without
    /// limit (a gateway outlives any NATS outage).
    /// </summary>
    public static NatsOpts CreateOpts(ClusterOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ClusterNatsOptions nats = options.Nats;
        NatsAuthOpts auth = NatsAuthOpts.Default;
        if (nats.User is not null)
        {
            auth = auth with { Username = nats.User, Password = nats.Password };
        }
        else if (nats.Token is not null)
        {
            auth = auth with { Token = nats.Token };
        }
        else if (nats.CredsFile is not null)
        {
            auth = auth with { CredsFile = nats.CredsFile };
        }
        else if (nats.NKeySeedFile is not null)
        {
            auth = auth with { Seed = ClusterNatsOptions.ReadSeed(nats.NKeySeedFile) };
        }

        NatsTlsOpts tls = NatsTlsOpts.Default;
        if (nats.UsesTls)
        {
            tls = tls with
            {
                Mode = nats.RequireTls ? TlsMode.Require : TlsMode.Auto,
                CaFile = nats.TlsCaFile,
                CertFile = nats.TlsCertFile,
                KeyFile = nats.TlsKeyFile,
            };
        }

        return NatsOpts.Default with
        {
            Url = nats.Url!,
            Name = "evcloud-" + options.NodeId,
            AuthOpts = auth,
            TlsOpts = tls,
            LoggerFactory = loggers,
            ConnectTimeout = nats.ConnectTimeout,
            RequestTimeout = nats.RequestTimeout,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            RetryOnInitialConnect = true,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

using System.Buffers;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// The gateway composed as the host composes it (<c>AddOcppGateway</c> + a <see cref="StorageEngine"/> in a
/// temporary data directory), without Kestrel and without sockets: chargers are <see cref="EmbeddedCharger"/>s
/// talking to <see cref="OcppConnectionHandler"/> over in-memory pipes. The gateway's one-second timer
/// (pings, idle drops) is not started; nothing else on the message path is left out.
/// </summary>
public sealed class EmbeddedGateway : IAsyncDisposable
{
    /// <summary>
    /// Event log sizes: 1 MB pages in 4 MB of memory (the defaults are 4 MB and 64 MB). FasterLog allocates each
    /// in-memory page the first time its tail reaches it and reuses it after the buffer wraps, so steady state
    /// starts after <see cref="WarmLog"/> has written twice the memory size: 8 MB here, about 50k events.
    /// </summary>
    private static readonly EventLogOptions LogSizes = new() { PageSize = 1 << 20, MemorySize = 1 << 22 };

    private readonly ServiceProvider _services;
    private readonly string _directory;
    private readonly List<EmbeddedCharger> _chargers = [];

    private EmbeddedGateway(ServiceProvider services, StorageEngine storage, string directory)
    {
        _services = services;
        _directory = directory;
        Storage = storage;
        Handler = services.GetRequiredService<OcppConnectionHandler>();
    }

    /// <summary>The storage engine behind the gateway.</summary>
    public StorageEngine Storage { get; }

    /// <summary>The connection handler Kestrel would call.</summary>
    public OcppConnectionHandler Handler { get; }

    /// <summary>
    /// Opens storage in a new temporary directory and composes the gateway. Tokens
    /// <see cref="Ocpp16Samples.SessionTag"/> and <see cref="Ocpp16Samples.MeterTag"/> are Accepted, for any number of
    /// transactions at once.
    /// </summary>
    /// <param name="commitInterval">The event log's group-commit interval (<see cref="StorageOptions.CommitInterval"/>).</param>
    public static EmbeddedGateway Start(TimeSpan commitInterval)
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-embedded-" + Guid.NewGuid().ToString("N"));
        StorageEngine storage = StorageEngine.Open(new StorageOptions
        {
            DataDirectory = directory,
            CommitInterval = commitInterval,
            // No background checkpoint while measuring: it is periodic work (60 s by default), not per message.
            CheckpointInterval = TimeSpan.FromHours(1),
            Log = new EventLogOptions { PageSize = LogSizes.PageSize, MemorySize = LogSizes.MemorySize },
        });

        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ocpp:Authorization:Tokens:0:IdTag"] = Ocpp16Samples.SessionTag,
                ["Ocpp:Authorization:Tokens:1:IdTag"] = Ocpp16Samples.MeterTag,
                // A fleet of embedded chargers shares these two tokens; each gets Accepted, not ConcurrentTx.
                ["Ocpp:Authorization:AllowConcurrentTransactions"] = "true",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(storage);
        services.AddOcppGateway(configuration);
        return new EmbeddedGateway(services.BuildServiceProvider(), storage, directory);
    }

    /// <summary>Connects a charger: runs the handler on new pipes, upgrades, and answers its BootNotification.</summary>
    public async Task<EmbeddedCharger> ConnectAsync(string chargePointId, string protocol = "ocpp1.6")
    {
        EmbeddedCharger charger = await EmbeddedCharger.ConnectAsync(Handler, chargePointId, protocol).ConfigureAwait(false);
        _chargers.Add(charger);
        return charger;
    }

    /// <summary>
    /// Appends events straight to the log until it has wrapped its in-memory buffer twice, so the pages the
    /// measured messages use are already allocated (see <see cref="LogSizes"/>).
    /// </summary>
    public void WarmLog()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        long until = Storage.Log.TailAddress + (2 * LogSizes.MemorySize);
        while (Storage.Log.TailAddress < until)
        {
            buffer.ResetWrittenCount();
            EventWriter.WriteStatusChanged(buffer, 1_700_000_000_000, "WARM-UP"u8, 1, 3, 0, default, default, default, 1_700_000_000_000);
            Storage.AppendAndApply(buffer.WrittenSpan);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (EmbeddedCharger charger in _chargers)
        {
            await charger.DisposeAsync().ConfigureAwait(false);
        }

        await _services.DisposeAsync().ConfigureAwait(false);
        await Storage.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a late flush; the temp directory is cleaned by the OS eventually.
        }
    }
}

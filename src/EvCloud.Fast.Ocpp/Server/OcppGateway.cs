using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// The OCPP gateway's shared parts: options, live connections, the dispatcher and the one timer that serves
/// every connection (pings, idle drops, call timeouts) instead of a timer object per charger.
/// </summary>
public sealed class OcppGateway : BackgroundService
{
    private static readonly Action<OcppConnection, long> TickConnection = static (c, now) => c.Tick(now);

    /// <summary>Creates the gateway; <paramref name="ownership"/> is the cluster's, absent in a single process.</summary>
    public OcppGateway(OcppTransportOptions options, IOcppDispatcher dispatcher, OcppMetrics metrics, IChargerOwnership? ownership = null)
    {
        Options = options;
        Dispatcher = dispatcher;
        Metrics = metrics;
        Ownership = ownership;
        metrics.ObserveConnections(Registry);
    }

    /// <summary>Cluster ownership of charge point ids; null in a single process.</summary>
    public IChargerOwnership? Ownership { get; }

    /// <summary>Transport options.</summary>
    public OcppTransportOptions Options { get; }

    /// <summary>Message handling.</summary>
    public IOcppDispatcher Dispatcher { get; }

    /// <summary>Live connections.</summary>
    public OcppConnectionRegistry Registry { get; } = new();

    /// <summary>Gateway metrics.</summary>
    public OcppMetrics Metrics { get; }

    /// <summary>Sends a CALL to a connected charger; <see cref="OcppCallStatus.Offline"/> when it is not connected.</summary>
    public Task<OcppCallResult> CallAsync(string chargePointId, string action, byte[] payloadJson) =>
        Registry.TryGet(chargePointId, out OcppConnection connection)
            ? connection.CallAsync(action, payloadJson)
            : Task.FromResult(new OcppCallResult(OcppCallStatus.Offline, ErrorDescription: "Charger " + chargePointId + " is not connected"));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Registry.ForEach(TickConnection, Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (OcppConnection connection in Registry.Connections)
        {
            connection.Shutdown();
        }

        // Give chargers a moment to complete the close handshake before Kestrel drops the sockets.
        for (int i = 0; i < 20 && Registry.Count > 0 && !cancellationToken.IsCancellationRequested; i++)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

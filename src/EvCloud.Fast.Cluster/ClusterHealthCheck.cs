using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Forwarding;
using EvCloud.Fast.Cluster.Nats;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Cluster;

/// <summary>
/// <c>cluster.nats</c>: Healthy while this gateway is connected to NATS, its directory watch runs and its forwarder
/// keeps up; Degraded otherwise. Never Unhealthy: a gateway cut off from NATS still serves its chargers and
/// acknowledges their messages from its local log (see <see cref="EventForwarder"/>), so a load balancer must keep
/// sending chargers to it.
/// </summary>
public sealed class ClusterHealthCheck(ClusterConnection nats, ChargerDirectory directory, EventForwarder forwarder) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["nodeId"] = nats.NodeId,
            ["connection"] = nats.Connection.ConnectionState.ToString(),
            ["directoryReady"] = directory.Ready.IsCompletedSuccessfully,
            ["chargersHeld"] = directory.HeldCount,
            ["forwardedAddress"] = forwarder.ForwardedAddress,
            ["forwardingLagBytes"] = forwarder.LagBytes,
            ["published"] = forwarder.Published,
            ["forwardingFailures"] = forwarder.Failures,
        };
        HealthCheckResult result = !nats.IsConnected
            ? HealthCheckResult.Degraded($"Not connected to NATS ({nats.Options.Nats.Url}): chargers are served, events wait in the local log", data: data)
            : !directory.Ready.IsCompletedSuccessfully
                ? HealthCheckResult.Degraded("The charger directory is not open yet", data: data)
                : forwarder.LastError is { } error
                    ? HealthCheckResult.Degraded("Event forwarding is retrying: " + error, data: data)
                    : HealthCheckResult.Healthy("Connected to NATS; directory and forwarding running", data);
        return Task.FromResult(result);
    }
}

using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Forwarding;
using EvCloud.Fast.Cluster.Nats;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Cluster;

/// <summary>Registration of the cluster services for the node's <see cref="ClusterOptions.Role"/>.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Reads and validates <c>Cluster</c> (throws <see cref="InvalidOperationException"/> naming every problem). For
    /// <see cref="ClusterRole.All"/> it registers the options and nothing else; for a gateway, the NATS connection, the
    /// directory with its ownership hook for the OCPP gateway, the event forwarder, and the <c>cluster.nats</c> health
    /// check tagged <paramref name="healthTag"/>.
    /// </summary>
    public static IServiceCollection AddEvCloudCluster(this IServiceCollection services, IConfiguration configuration, string healthTag)
    {
        ClusterOptions options = configuration.GetSection("Cluster").Get<ClusterOptions>() ?? new ClusterOptions();
        options.Validate();
        services.AddSingleton(options);
        if (options.Role == ClusterRole.All)
        {
            return services;
        }

        services.AddSingleton<ClusterConnection>();
        services.AddSingleton<ChargerDirectory>();
        services.AddSingleton<IChargerOwnership, DirectoryOwnership>();
        services.AddSingleton<EventForwarder>();

        // The directory starts before the forwarder, which stamps events with the epochs it learns.
        services.AddSingleton<IHostedService, DirectoryService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EventForwarder>());
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster.nats", tags: [healthTag]);
        return services;
    }

    private sealed class DirectoryService(ChargerDirectory directory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            directory.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

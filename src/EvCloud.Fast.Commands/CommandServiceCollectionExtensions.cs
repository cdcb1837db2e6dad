using EvCloud.Fast.Commands.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Commands;

/// <summary>Registration of the command layer.</summary>
public static class CommandServiceCollectionExtensions
{
    /// <summary>
    /// Adds the command layer every caller of chargers shares (REST API, OCPI bridge, console): <see cref="CommandOptions"/>,
    /// <see cref="CommandService"/> and the durable <see cref="CommandOutbox"/>, which runs as a hosted service. Needs the
    /// OCPP gateway and storage. Call it once, from the composition root: a second outbox would deliver each queued
    /// command twice.
    /// </summary>
    public static IServiceCollection AddChargerCommands(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(configuration.GetSection(CommandOptions.Section).Get<CommandOptions>() ?? new CommandOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CommandService>();
        services.AddSingleton<CommandOutbox>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<CommandOutbox>());
        return services;
    }
}

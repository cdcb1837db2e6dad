using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.DeviceModel;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpp;

/// <summary>Registration of the OCPP gateway's services.</summary>
public static class OcppServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway: transport options (<c>Ocpp</c>), charger policy (<c>Ocpp:Chargers</c>), local authorization
    /// (<c>Ocpp:Authorization</c>), security profiles, credentials and certificates (<c>Ocpp:Security</c>), the schema
    /// set, the dispatcher and the connection handler. The storage engine must be registered too.
    /// </summary>
    public static IServiceCollection AddOcppGateway(this IServiceCollection services, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("Ocpp");
        services.AddSingleton(section.Get<OcppTransportOptions>() ?? new OcppTransportOptions());
        services.AddSingleton(section.GetSection("Chargers").Get<ChargerOptions>() ?? new ChargerOptions());
        services.AddSingleton(section.GetSection("Authorization").Get<TokenOptions>() ?? new TokenOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configuration.GetSection("LogRateLimit").Get<Diagnostics.LogRateLimitOptions>() ?? new Diagnostics.LogRateLimitOptions());
        services.AddSingleton(_ => OcppSchemaSet.LoadEmbedded());
        services.AddSingleton(sp => new TokenStore(sp.GetRequiredService<TokenOptions>(), sp.GetRequiredService<StorageEngine>()));
        services.AddSingleton<ChargerRegistrations>();
        services.AddSingleton(sp => new DeviceModelStore(sp.GetRequiredService<StorageEngine>().DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OcppMetrics>();
        services.AddSingleton<OcppDispatcher>();
        services.AddSingleton<IOcppDispatcher>(sp => sp.GetRequiredService<OcppDispatcher>());
        services.AddSingleton<OcppGateway>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OcppGateway>());
        services.AddSingleton<OcppConnectionHandler>();
        services.AddOcppSecurity(section.GetSection("Security"), configuration["Storage:DataDirectory"] ?? "./data");
        return services;
    }

    private static void AddOcppSecurity(this IServiceCollection services, IConfigurationSection section, string dataDirectory)
    {
        ChargerSecurityOptions options = section.Get<ChargerSecurityOptions>() ?? new ChargerSecurityOptions();
        // Run-time credential changes live next to the event log, so deleting the data directory resets them too.
        options.CredentialStorePath ??= Path.Combine(dataDirectory, "credentials.json");
        services.AddSingleton(options);
        services.AddSingleton<ChargerCredentialStore>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<ClientCertificateValidator>();
        services.AddSingleton<CertificateAuthority>();
        services.AddSingleton<CertificateInventory>();
        services.AddSingleton<CertificateSigningService>();
        services.AddSingleton<ChargerAuthenticator>();
        services.AddSingleton<IHostedService, CertificateExpiryMonitor>();
    }
}

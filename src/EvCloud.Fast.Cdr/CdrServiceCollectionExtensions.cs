using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Cdr;

/// <summary>Registration of the session/CDR pipeline.</summary>
public static class CdrServiceCollectionExtensions
{
    /// <summary>
    /// Adds options (<c>Cdr</c>), the CDR store (opened and indexed when first resolved), the tariff store and the
    /// pipeline as a hosted service. Needs the storage engine.
    /// </summary>
    public static IServiceCollection AddCdrPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        CdrOptions options = configuration.GetSection("Cdr").Get<CdrOptions>() ?? new CdrOptions();
        services.AddSingleton(sp =>
        {
            // The installation id is part of every CDR id: read (or created) once the data directory is open.
            StorageEngine storage = sp.GetRequiredService<StorageEngine>();
            options.InstallationId = CdrInstallation.LoadOrCreate(storage.DataDirectory, hasLegacyCdrs: sp.GetRequiredService<CdrStore>().Count > 0);
            return options;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            StorageEngine storage = sp.GetRequiredService<StorageEngine>();
            return CdrStore.OpenAsync(storage.DataDirectory, TimeSpan.FromMilliseconds(2)).GetAwaiter().GetResult();
        });
        services.AddSingleton<TariffStore>();
        services.AddSingleton<CdrPipeline>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<CdrPipeline>());
        return services;
    }
}

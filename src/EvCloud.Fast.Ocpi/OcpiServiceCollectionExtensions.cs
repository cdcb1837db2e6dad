using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpi.Admin;
using EvCloud.Fast.Ocpi.Cdrs;
using EvCloud.Fast.Ocpi.ChargingProfiles;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Credentials;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.Tariffs;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpi.Versions;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace EvCloud.Fast.Ocpi;

/// <summary>Registration and mapping of the OCPI bridge.</summary>
public static class OcpiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bridge's services from the <c>Ocpi</c> section: partner registry, OCPI client (named HttpClient),
    /// credentials, the push outbox, the CPO modules (locations from configuration and live state, roaming tokens,
    /// commands to chargers, sessions, CDRs and tariffs fed from the event log) and the eMSP modules (received
    /// locations, sessions, CDRs and tariffs, our tokens, commands to CPOs). Needs the OCPP gateway and the command layer.
    /// </summary>
    public static IServiceCollection AddOcpi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        OcpiOptions options = configuration.GetSection("Ocpi").Get<OcpiOptions>() ?? new OcpiOptions();

        // `--Ocpi:Roles=CPO,EMSP` is easier to type than indexed keys; the binder leaves such a value unbound.
        if (configuration["Ocpi:Roles"] is { Length: > 0 } roles)
        {
            options.Roles = [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        options.Roles = options.Roles.Count == 0 ? ["CPO"] : [.. options.Roles.Select(r => r.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];
        if (options.Roles.Exists(r => r is not ("CPO" or "EMSP")))
        {
            throw new InvalidOperationException("Ocpi:Roles lists CPO, EMSP or both.");
        }

        if (!CredentialsValidation.IsParty(options.CountryCode, options.PartyId))
        {
            throw new InvalidOperationException("Ocpi:CountryCode is two letters and Ocpi:PartyId three letters or digits (OCPI CiString(2)/(3)).");
        }

        options.CountryCode = options.CountryCode.ToUpperInvariant();
        options.PartyId = options.PartyId.ToUpperInvariant();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOcpiHttpClient(options);
        services.AddSingleton<OcpiUrls>();
        services.AddSingleton<PartnerRegistry>();
        services.AddSingleton<OcpiClient>();
        services.AddSingleton<CredentialsService>();
        services.AddSingleton<LocationCatalog>();
        services.AddSingleton(sp => new RoamingTokenStore(sp.GetRequiredService<StorageEngine>(), sp.GetRequiredService<TokenStore>()));
        services.AddSingleton<RealTimeAuthorizer>();
        services.AddSingleton<CommandReceiver>();
        services.AddSingleton<ChargingProfileReceiver>();
        services.AddSingleton<LocationReceiverStore>();
        services.AddSingleton<EmspTokenStore>();
        services.AddSingleton<PushOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<PushOutbox>());
        services.AddSingleton<TokenPush>();
        services.AddSingleton<RoamingContext>();
        services.AddSingleton<ICdrRoamingResolver>(sp => sp.GetRequiredService<RoamingContext>());
        services.AddSingleton<ReceivedObjects>();
        if (options.Enabled && options.HasRole("CPO"))
        {
            services.AddSingleton<SessionSender>();
            services.AddSingleton<CdrSender>();
            services.AddSingleton<TariffSender>();
            services.AddSingleton<LocationPush>();
            services.AddSingleton<IRoamingHandoff, RoamingHandoff>();
            services.AddSingleton<RoamingFeed>();
            services.AddHostedService(sp => sp.GetRequiredService<RoamingFeed>());
        }

        services.AddSingleton<CommandSender>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(OcpiAdminJsonContext.Default));
        return services;
    }

    /// <summary>
    /// The named client of <see cref="OcpiClient"/>, bounded per partner: answer bodies capped at
    /// <see cref="OcpiOptions.MaxResponseBytes"/>, each request timed out after <see cref="OcpiOptions.ClientTimeout"/>,
    /// a circuit breaker per partner host, no redirects, and connections only to addresses
    /// <see cref="PartnerAddressGuard"/> permits (checked on the resolved addresses, at connect time).
    /// </summary>
    public static IServiceCollection AddOcpiHttpClient(this IServiceCollection services, OcpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddHttpClient(OcpiClient.HttpClientName, http =>
            {
                // Bounded partners: the answer body is capped, the per-request timeout lives in the pipeline below.
                http.MaxResponseContentBufferSize = options.MaxResponseBytes;
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = PartnerAddressGuard.ConnectCallback(options.AllowPrivateAddresses),
                AllowAutoRedirect = false, // a redirect would be a URL the partner did not register
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // DNS changes reach us, and are checked again
            })
            .AddResilienceHandler("ocpi-partner", pipeline => pipeline
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = options.CircuitBreakDuration,
                })
                .AddTimeout(options.ClientTimeout))
            .SelectPipelineByAuthority();
        return services;
    }

    /// <summary>
    /// Maps <c>/ocpi/...</c> (versions, credentials, and the modules of the configured roles) and the admin endpoints
    /// under <c>/api/v1/ocpi</c> (the API's route prefix, policies and problem+json, from <c>EvCloud.Fast.Http</c>); loads the stored roaming tokens into local authorization before chargers connect.
    /// </summary>
    public static WebApplication MapOcpi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        OcpiOptions options = app.Services.GetRequiredService<OcpiOptions>();
        if (!options.Enabled)
        {
            return app;
        }

        app.Services.GetRequiredService<RoamingTokenStore>().LoadIntoAuthorization();
        if (options.HasRole("CPO"))
        {
            app.Services.GetRequiredService<TokenStore>().RealTime = app.Services.GetRequiredService<RealTimeAuthorizer>();
        }

        if (options.HasRole("CPO") && app.Services.GetService<CdrOptions>() is { } cdr)
        {
            // One platform, one CPO party: the CDRs we send are ours (OCPI 2.2.1 §10.3.1 country_code/party_id of the
            // CPO), so they are written under the OCPI party rather than a second, separately configured one.
            cdr.CountryCode = options.CountryCode;
            cdr.PartyId = options.PartyId;
        }

        app.Services.GetRequiredService<LocationCatalog>();

        app.UseWhen(c => c.Request.Path.StartsWithSegments(OcpiUrls.Prefix, StringComparison.OrdinalIgnoreCase), branch => branch.Use(OcpiRequest.EnvelopeUnmatchedAsync));
        RouteGroupBuilder ocpi = app.MapGroup(OcpiUrls.Prefix).AllowAnonymous().ExcludeFromDescription();
        VersionEndpoints.Map(ocpi);
        CredentialsEndpoints.Map(ocpi);
        if (options.HasRole("CPO"))
        {
            RouteGroupBuilder cpo = ocpi.MapGroup("/cpo");
            LocationSenderEndpoints.Map(cpo);
            TokenReceiverEndpoints.Map(cpo);
            CommandReceiverEndpoints.Map(cpo);
            SessionSenderEndpoints.Map(cpo);
            CdrSenderEndpoints.Map(cpo);
            TariffSenderEndpoints.Map(cpo);
            ChargingProfileReceiverEndpoints.Map(cpo);
        }

        if (options.HasRole("EMSP"))
        {
            RouteGroupBuilder emsp = ocpi.MapGroup("/emsp");
            LocationReceiverEndpoints.Map(emsp);
            TokenSenderEndpoints.Map(emsp);
            CommandResultEndpoints.Map(emsp);
            ReceiverEndpoints.Map(emsp, app.Services.GetRequiredService<ReceivedObjects>());
            Receiver211Endpoints.Map(emsp, app.Services.GetRequiredService<ReceivedObjects>());
        }

        OcpiAdminEndpoints.Map(app.MapGroup(ApiRoutes.Prefix));
        return app;
    }
}

using EvCloud.Fast.Api;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Cdr;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Host.Health;
using EvCloud.Fast.Ocpi;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EvCloud.Fast.Host;

/// <summary>
/// The composition root: listeners, configuration sections and services. Program.cs and the integration
/// tests both build the server here, so what is tested is what runs.
/// </summary>
public static partial class EvCloudServer
{
    /// <summary>
    /// Builds the server from the usual ASP.NET Core sources (appsettings.json, environment, command line);
    /// <paramref name="configureStorage"/> adjusts the storage options after configuration (tests put a controlled
    /// log device there).
    /// </summary>
    public static WebApplication Build(string[] args, Action<StorageOptions>? configureStorage = null)
    {
        WebApplicationBuilder builder = CreateBuilder(args);
        var endpoints = new ListenerEndpoints();
        builder.Services.AddSingleton(endpoints);

        // The wss listener (security profiles 2 and 3) exists only when a server certificate is configured, on
        // Kestrel:Endpoints:OcppTls:Url (default :8443), so the plain default run needs no certificate.
        bool ocppTls = OcppTlsOptions.IsConfigured(builder.Configuration.GetSection("Ocpp:Security").Get<ChargerSecurityOptions>() ?? new());
        if (ocppTls && string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:OcppTls:Url"]))
        {
            builder.Configuration.AddInMemoryCollection([new("Kestrel:Endpoints:OcppTls:Url", "https://0.0.0.0:8443")]);
        }

        // Kestrel:Endpoints:Http serves the HTTP APIs; Kestrel:Endpoints:Ocpp (ws) and :OcppTls (wss) are handed to
        // the OCPP connection handler, which does its own WebSocket upgrade and security profile checks.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.Configure(context.Configuration.GetSection("Kestrel"))
                .Endpoint("Ocpp", endpoint =>
                {
                    endpoint.ListenOptions.Protocols = HttpProtocols.Http1;
                    endpoint.ListenOptions.UseConnectionHandler<OcppConnectionHandler>();
                    endpoints.Ocpp = endpoint.ListenOptions;
                })
                .Endpoint("OcppTls", endpoint =>
                {
                    IServiceProvider services = endpoint.ListenOptions.ApplicationServices;
                    ChargerSecurityOptions security = services.GetRequiredService<ChargerSecurityOptions>();
                    if (!OcppTlsOptions.IsConfigured(security))
                    {
                        throw new InvalidOperationException("Kestrel:Endpoints:OcppTls needs Ocpp:Security:ServerCertificatePath");
                    }

                    endpoint.ListenOptions.Protocols = HttpProtocols.Http1;
                    endpoint.ListenOptions.UseHttps(OcppTlsOptions.Create(
                        security, services.GetRequiredService<ClientCertificateValidator>(), services.GetRequiredService<OcppMetrics>()));
                    endpoint.ListenOptions.UseConnectionHandler<OcppConnectionHandler>();
                    endpoints.OcppTls = endpoint.ListenOptions;
                })
                .Endpoint("Http", endpoint => endpoints.Http = endpoint.ListenOptions);
        });

        StorageOptions storageOptions = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        configureStorage?.Invoke(storageOptions);
        builder.Services.AddSingleton(sp => StorageEngine.Open(storageOptions, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddOcppGateway(builder.Configuration);
        builder.Services.AddCdrPipeline(builder.Configuration);
        builder.Services.AddChargerCommands(builder.Configuration);
        builder.Services.AddEvCloudApi(builder.Configuration);
        builder.Services.AddEvCloudMetrics();
        builder.Services.AddOcpi(builder.Configuration);
        builder.Services.AddEvCloudHealthChecks(builder.Configuration);

        WebApplication app = builder.Build();

        // Open storage (recovery and replay) before the listeners accept anything.
        StorageEngine storage = app.Services.GetRequiredService<StorageEngine>();
        LogStorageReady(app.Logger, storageOptions.DataDirectory, storage.RecoveryStats);

        // A fresh install gets one admin API key, logged once, so the API can be tried without editing configuration.
        app.Services.GetRequiredService<ApiKeyStore>()
            .EnsureBootstrapKeyAsync(app.Services.GetRequiredService<ApiOptions>(), app.Logger).AsTask().GetAwaiter().GetResult();

        app.MapEvCloudApi();
        app.MapOcpi();
        // HEAD too: uptime probes and load balancers often ask with HEAD; Kestrel sends the headers without the body.
        app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], (OcppGateway gateway) => Results.Ok(new HealthReport("ok", gateway.Registry.Count))).AllowAnonymous();
        app.MapEvCloudHealth();
        app.MapEvCloudMetrics();
        return app;
    }

    /// <summary>
    /// The configuration the server reads (appsettings.json next to the binary, environment variables, then
    /// <paramref name="args"/>), for the command-line tools, so a tool sees exactly what the server would.
    /// </summary>
    public static IConfiguration ReadConfiguration(string[] args) => CreateBuilder(args).Configuration;

    private static WebApplicationBuilder CreateBuilder(string[] args) =>
        // The embedded defaults (appsettings.json next to the binary) apply whatever the working directory is;
        // relative paths in the configuration, such as ./data, still resolve against the working directory.
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready in {DataDirectory}: {Recovery}")]
    private static partial void LogStorageReady(ILogger logger, string dataDirectory, RecoveryStats recovery);
}

/// <summary>The listeners' bound endpoints, known once the server has started (port 0 resolves then).</summary>
public sealed class ListenerEndpoints
{
    /// <summary>The OCPP WebSocket listener.</summary>
    public ListenOptions? Ocpp { get; internal set; }

    /// <summary>The OCPP wss listener, when a server certificate is configured.</summary>
    public ListenOptions? OcppTls { get; internal set; }

    /// <summary>The HTTP API listener.</summary>
    public ListenOptions? Http { get; internal set; }
}

/// <summary>The body of <c>GET /health</c>.</summary>
/// <param name="Status">"ok" while serving.</param>
/// <param name="ConnectedChargers">Chargers connected to this process.</param>
public sealed record HealthReport(string Status, int ConnectedChargers);

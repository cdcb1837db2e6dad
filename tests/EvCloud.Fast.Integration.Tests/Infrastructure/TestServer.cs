using System.Net;
using EvCloud.Fast.Host;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>
/// A real server (the same composition as Program.cs) on loopback ports chosen by the OS, with its own data
/// directory. <see cref="RestartAsync"/> stops it and starts a new one on the same data, as an operator would.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private string[] _extraArgs;
    private Action<StorageOptions>? _configureStorage;
    private Action<IServiceCollection>? _configureServices;
    private WebApplication? _app;

    private TestServer(string dataDirectory, string[] extraArgs)
    {
        DataDirectory = dataDirectory;
        _extraArgs = extraArgs;
    }

    /// <summary>The server's data directory (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>The OCPP listener.</summary>
    public IPEndPoint OcppEndPoint { get; private set; } = null!;

    /// <summary>The HTTP listener.</summary>
    public IPEndPoint HttpEndPoint { get; private set; } = null!;

    /// <summary>The wss listener, when the server was started with a server certificate and <c>Kestrel:Endpoints:OcppTls:Url</c>.</summary>
    public IPEndPoint? OcppTlsEndPoint { get; private set; }

    /// <summary>The running app's services.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>The gateway.</summary>
    public OcppGateway Gateway => Services.GetRequiredService<OcppGateway>();

    /// <summary>The storage engine.</summary>
    public StorageEngine Storage => Services.GetRequiredService<StorageEngine>();

    /// <summary>The id of a transaction's CDR on this server (it carries the data directory's installation id).</summary>
    public string CdrIdOf(int transactionId) => Services.GetRequiredService<EvCloud.Fast.Cdr.CdrOptions>().CdrIdOf(transactionId);

    /// <summary>The URL a charger with <paramref name="id"/> connects to.</summary>
    public Uri ChargerUri(string id) => new($"ws://127.0.0.1:{OcppEndPoint.Port}/ocpp/{Uri.EscapeDataString(id)}");

    /// <summary>Starts a server; extra arguments are configuration overrides (<c>--Section:Key=value</c>).</summary>
    public static async Task<TestServer> StartAsync(params string[] extraArgs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "evcloud-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var server = new TestServer(dir, extraArgs);
        await server.StartCoreAsync(0, 0);
        return server;
    }

    /// <summary>Starts a server whose storage options <paramref name="configureStorage"/> adjusts (e.g. a controlled log device).</summary>
    public static async Task<TestServer> StartAsync(Action<StorageOptions> configureStorage, params string[] extraArgs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "evcloud-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var server = new TestServer(dir, extraArgs) { _configureStorage = configureStorage };
        await server.StartCoreAsync(0, 0);
        return server;
    }

    /// <summary>Starts a server with extra services (a capturing log provider, …) registered after its own.</summary>
    public static async Task<TestServer> StartWithServicesAsync(Action<IServiceCollection> configureServices, params string[] extraArgs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "evcloud-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var server = new TestServer(dir, extraArgs) { _configureServices = configureServices };
        await server.StartCoreAsync(0, 0);
        return server;
    }

    /// <summary>Stops gracefully and starts again on the same data and ports.</summary>
    public async Task RestartAsync()
    {
        int ocpp = OcppEndPoint.Port, http = HttpEndPoint.Port;
        await StopAsync();
        await StartCoreAsync(ocpp, http);
    }

    /// <summary>Stops the server, as a kill would: no graceful close of connections, no final checkpoint.</summary>
    /// <param name="extraArgs">Configuration for the process that starts after the crash (default: as before).</param>
    public async Task CrashAsync(string[]? extraArgs = null)
    {
        _extraArgs = extraArgs ?? _extraArgs;
        int ocpp = OcppEndPoint.Port, http = HttpEndPoint.Port;
        await Storage.CrashAsync();
        await StopAsync();
        await StartCoreAsync(ocpp, http);
    }

    private async Task StartCoreAsync(int ocppPort, int httpPort)
    {
        string[] args =
        [
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:{ocppPort}",
            $"--Storage:DataDirectory={DataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            .. _extraArgs,
        ];
        _app = EvCloudServer.Build(args, _configureStorage, _configureServices);
        await _app.StartAsync();
        ListenerEndpoints endpoints = _app.Services.GetRequiredService<ListenerEndpoints>();
        OcppEndPoint = (IPEndPoint)endpoints.Ocpp!.EndPoint;
        HttpEndPoint = (IPEndPoint)endpoints.Http!.EndPoint;
        OcppTlsEndPoint = endpoints.OcppTls?.EndPoint as IPEndPoint;
    }

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

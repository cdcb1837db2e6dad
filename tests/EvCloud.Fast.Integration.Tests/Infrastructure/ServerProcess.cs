using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>
/// The server as its own process (the built host, <c>dotnet EvCloud.Fast.Host.dll</c>) on free loopback ports: what a
/// test needs when in-process servers would share something process-wide (a kill, the process's metrics).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ServerProcess(Process process, string dataDirectory, int ocppPort, int httpPort)
    {
        Process = process;
        DataDirectory = dataDirectory;
        OcppEndPoint = new IPEndPoint(IPAddress.Loopback, ocppPort);
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, httpPort);
    }

    /// <summary>The server process.</summary>
    public Process Process { get; }

    /// <summary>Its data directory (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>Where chargers connect.</summary>
    public IPEndPoint OcppEndPoint { get; }

    /// <summary>The HTTP API, OCPI and /metrics.</summary>
    public IPEndPoint HttpEndPoint { get; }

    /// <summary>Starts the server with a fresh data directory and waits until it accepts chargers.</summary>
    public static async Task<ServerProcess> StartAsync(params string[] extraArgs)
    {
        string data = Path.Combine(Path.GetTempPath(), "evcloud-tests", "process-" + Guid.NewGuid().ToString("N"));
        int ocppPort = FreePort(), httpPort = FreePort();
        string hostDll = Path.Combine(AppContext.BaseDirectory, "EvCloud.Fast.Host.dll");
        var psi = new ProcessStartInfo("dotnet",
        [
            hostDll,
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:{ocppPort}",
            $"--Storage:DataDirectory={data}",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, data, ocppPort, httpPort);
        try
        {
            await server.WaitUntilListeningAsync(server.OcppEndPoint);
            await server.WaitUntilListeningAsync(server.HttpEndPoint);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown, no checkpoint.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            await KillAsync();
        }

        Process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task WaitUntilListeningAsync(IPEndPoint endPoint)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Assert.False(Process.HasExited, "the server process exited with " + (Process.HasExited ? Process.ExitCode : 0));
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(endPoint, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

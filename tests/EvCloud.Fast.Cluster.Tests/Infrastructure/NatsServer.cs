using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;

namespace EvCloud.Fast.Cluster.Tests.Infrastructure;

/// <summary>
/// A real nats-server (Debian's package) with JetStream on 127.0.0.1, a free port and a scratch store directory,
/// ready once a client connects. <see cref="StopAsync"/> kills it; <see cref="StartAsync"/> starts it again on the same
/// port and store, as after an operator's restart.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private Process? _process;

    private NatsServer(int port, string storeDirectory)
    {
        Port = port;
        StoreDirectory = storeDirectory;
    }

    /// <summary>The client port.</summary>
    public int Port { get; }

    /// <summary>The JetStream store directory (deleted on dispose).</summary>
    public string StoreDirectory { get; }

    /// <summary>The client URL.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Starts a server and waits until it accepts clients.</summary>
    public static async Task<NatsServer> StartNewAsync()
    {
        string store = Path.Combine(Path.GetTempPath(), "evcloud-nats", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(store);
        var server = new NatsServer(FreePort(), store);
        await server.StartAsync();
        return server;
    }

    /// <summary>The nats-server binary: on the PATH, or where Debian installs it.</summary>
    public static string Executable =>
        new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nats-server is not installed (test.sh installs Debian's nats-server package)");

    /// <summary>Starts the process (again) on the same port and store and waits until a client can connect.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", StoreDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready means a client completes the NATS handshake; the process may still be binding its port at first.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with {_process.ExitCode} on port {Port}");
            }

            await using var probe = new NatsConnection(NatsOpts.Default with { Url = Url, ConnectTimeout = TimeSpan.FromSeconds(1) });
            try
            {
                await probe.ConnectAsync();
                return;
            }
            catch (NatsException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
    }

    /// <summary>Kills the process (no graceful shutdown) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(StoreDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Host;

/// <summary>
/// What an operator installs: the published Host, started from another directory than its own, and where its data goes.
/// </summary>
public sealed class DeploymentTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task ThePublishedBinary_UnderTheShippedUnit_StartsFromAnotherDirectory_KeepsItsDataThere_AndBecomesReady()
    {
        string root = Path.Combine(Path.GetTempPath(), "evcloud-tests", "publish-" + Guid.NewGuid().ToString("N"));
        string app = Path.Combine(root, "app"), cwd = Path.Combine(root, "run");
        Directory.CreateDirectory(cwd);
        try
        {
            // The build of this test run is what gets published (no second build racing the other test assemblies).
            (int published, string log) = await RunAsync("dotnet", ["publish", HostProject, "-c", Configuration, "--no-build", "-o", app], RepositoryRoot);
            Assert.True(published == 0, log);
            Assert.True(File.Exists(Path.Combine(app, "EvCloud.Fast.Host")), "no apphost in the publish output");
            Assert.False(Directory.Exists(Path.Combine(app, "data")), "the publish output carries a data directory");

            // The shipped unit, pointed at this binary, passes systemd's own checks (syntax, directives, ExecStart).
            string unit = Path.Combine(root, "evcloud.service");
            string[] lines = await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot, "deploy", "evcloud.service"));
            Assert.Contains("ExecStart=/opt/evcloud/EvCloud.Fast.Host", lines);
            await File.WriteAllLinesAsync(unit, lines.Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=" + Path.Combine(app, "EvCloud.Fast.Host") : l));
            (int verified, string verifyLog) = await RunAsync("systemd-analyze", ["verify", unit], root);
            Assert.True(verified == 0 && verifyLog.Length == 0, "systemd-analyze verify: " + verifyLog);

            int httpPort = FreePort(), ocppPort = FreePort();
            var psi = new ProcessStartInfo(Path.Combine(app, "EvCloud.Fast.Host"),
                [$"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}", $"--Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:{ocppPort}"])
            {
                WorkingDirectory = cwd,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process server = Process.Start(psi)!;
            server.OutputDataReceived += (_, _) => { };
            server.ErrorDataReceived += (_, _) => { };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                HttpStatusCode ready = await ProbeReadyAsync(http, server, deadline.Token);
                Assert.Equal(HttpStatusCode.OK, ready);

                // The default ./data is the working directory's, never the install folder's.
                Assert.True(Directory.Exists(Path.Combine(cwd, "data", "log")), "no event log under the working directory");
                Assert.False(Directory.Exists(Path.Combine(app, "data")), "the server wrote its data into the install folder");

                // systemd stops with SIGTERM: a graceful shutdown (final checkpoint) that exits 0, so
                // Restart=on-failure does not restart a server that was asked to stop.
                (int signalled, string killLog) = await RunAsync("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], cwd);
                Assert.True(signalled == 0, killLog);
                await server.WaitForExitAsync(deadline.Token);
                Assert.Equal(0, server.ExitCode);
            }
            finally
            {
                if (!server.HasExited)
                {
                    server.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task DotnetRun_RunsTheServerInTheCurrentDirectory_AndADataDirectoryInTheProjectIsNeverContent()
    {
        // The Web SDK's default would run it in src/EvCloud.Fast.Host, and ./data would land there; the Web SDK also
        // takes every JSON file under the project folder as content, so a data directory left there (device models,
        // credentials.json) would be copied into the build and publish output.
        (int exit, string output) = await RunAsync("dotnet", ["msbuild", HostProject, "-getProperty:RunWorkingDirectory", "-getProperty:DefaultItemExcludes"], RepositoryRoot);

        Assert.True(exit == 0, output);
        using var properties = System.Text.Json.JsonDocument.Parse(output);
        System.Text.Json.JsonElement values = properties.RootElement.GetProperty("Properties");
        Assert.Equal("", values.GetProperty("RunWorkingDirectory").GetString());
        string[] excluded = values.GetProperty("DefaultItemExcludes").GetString()!.Split(';');
        Assert.Contains("data/**", excluded);
        Assert.Contains("data-*/**", excluded);
    }

    [Fact]
    public async Task HeadHealth_AnswersLikeGet_WithoutABody()
    {
        await using TestServer server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}") };

        using HttpResponseMessage get = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using HttpResponseMessage head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private static string HostProject => Path.Combine(RepositoryRoot, "src", "EvCloud.Fast.Host", "EvCloud.Fast.Host.csproj");

    private static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EvCloud.Fast.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("EvCloud.Fast.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static async Task<HttpStatusCode> ProbeReadyAsync(HttpClient http, Process server, CancellationToken cancellationToken)
    {
        while (true)
        {
            Assert.False(server.HasExited, "the published server exited");
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the server opens its storage before the listeners.
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

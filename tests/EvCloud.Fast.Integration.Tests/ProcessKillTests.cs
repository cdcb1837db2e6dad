using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>The real thing: the server as its own process, killed with SIGKILL mid-transaction.</summary>
public sealed class ProcessKillTests
{
    [Fact]
    public async Task KillingTheServerMidTransaction_LosesNoAcknowledgedEnergy()
    {
        string data = Path.Combine(Path.GetTempPath(), "evcloud-tests", "kill-" + Guid.NewGuid().ToString("N"));
        int ocppPort = FreePort(), httpPort = FreePort();
        using Process server = StartServer(data, ocppPort, httpPort);
        try
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, ocppPort);
            await WaitUntilListeningAsync(server, endPoint);

            int transactionId;
            await using (RawCharger charger = await RawCharger.ConnectAsync(endPoint, "CP-KILL"))
            {
                OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "K" }), "BootNotification");
                transactionId = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 500, timestamp = "2026-11-23T09:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
                for (int i = 1; i <= 20; i++)
                {
                    OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
                    {
                        connectorId = 1,
                        transactionId,
                        meterValue = new[] { new { timestamp = $"2026-11-23T09:{i:00}:00Z", sampledValue = new[] { new { value = (500 + (i * 100)).ToString(System.Globalization.CultureInfo.InvariantCulture) } } } },
                    }), "MeterValues");
                }

                server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no checkpoint
                await server.WaitForExitAsync();
            }

            // Open the data directory as the next start would: last checkpoint (none) + replay of the log.
            await using StorageEngine storage = StorageEngine.Open(new StorageOptions { DataDirectory = data });
            Assert.True(storage.State.TryGetTransaction(transactionId, out TransactionState tx), "the transaction is gone");
            Assert.Equal(TransactionStatus.Open, tx.Status);
            Assert.Equal(500_000, tx.MeterStartMilliWh);
            Assert.Equal(2_500_000, tx.LastEnergyMilliWh); // the 20th, last acknowledged reading
            Assert.True(storage.RecoveryStats.ReplayedEvents > 20);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Process StartServer(string data, int ocppPort, int httpPort)
    {
        string hostDll = Path.Combine(AppContext.BaseDirectory, "EvCloud.Fast.Host.dll");
        var psi = new ProcessStartInfo("dotnet",
        [
            hostDll,
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:{ocppPort}",
            $"--Storage:DataDirectory={data}",
            "--Logging:LogLevel:Default=Warning",
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
        return process;
    }

    private static async Task WaitUntilListeningAsync(Process server, IPEndPoint endPoint)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Assert.False(server.HasExited, "the server process exited with " + (server.HasExited ? server.ExitCode : 0));
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

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
        await using ServerProcess server = await ServerProcess.StartAsync();
        int transactionId;
        await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-KILL"))
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

            await server.KillAsync(); // SIGKILL: no shutdown, no checkpoint
        }

        // Open the data directory as the next start would: last checkpoint (none) + replay of the log.
        await using StorageEngine storage = StorageEngine.Open(new StorageOptions { DataDirectory = server.DataDirectory });
        Assert.True(storage.State.TryGetTransaction(transactionId, out TransactionState tx), "the transaction is gone");
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(500_000, tx.MeterStartMilliWh);
        Assert.Equal(2_500_000, tx.LastEnergyMilliWh); // the 20th, last acknowledged reading
        Assert.True(storage.RecoveryStats.ReplayedEvents > 20);
    }
}

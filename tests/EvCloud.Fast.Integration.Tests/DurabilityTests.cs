using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Integration.Tests;

public sealed class DurabilityTests
{
    [Theory]
    [InlineData(false)] // graceful restart: final checkpoint
    [InlineData(true)] // crash: no checkpoint since start; the event log alone brings the transaction back
    public async Task AnOpenTransaction_AndItsEnergy_SurviveARestart(bool crash)
    {
        await using TestServer server = await TestServer.StartAsync();
        int transactionId;
        await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RESTART"))
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "X" }), "BootNotification");
            transactionId = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 12_000, timestamp = "2026-11-23T09:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
            OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
            {
                connectorId = 1,
                transactionId,
                meterValue = new[] { new { timestamp = "2026-11-23T09:30:00Z", sampledValue = new[] { new { value = "19500" } } } },
            }), "MeterValues");
        }

        if (crash)
        {
            await server.CrashAsync();
        }
        else
        {
            await server.RestartAsync();
        }

        Assert.True(server.Storage.State.TryGetTransaction(transactionId, out TransactionState tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(12_000_000, tx.MeterStartMilliWh);
        Assert.Equal(19_500_000, tx.LastEnergyMilliWh);

        // The charger comes back and finishes the transaction; the next one gets a fresh id.
        await using RawCharger again = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RESTART");
        OcppAssert.CallResult(await again.CallAsync("StopTransaction", new { transactionId, meterStop = 21_000, timestamp = "2026-11-23T10:00:00Z" }), "StopTransaction");
        JsonElement next = await again.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 21_000, timestamp = "2026-11-23T10:05:00Z" });
        Assert.True(next[2].GetProperty("transactionId").GetInt32() > transactionId);
        Assert.True(server.Storage.State.TryGetTransaction(transactionId, out TransactionState ended));
        Assert.Equal(21_000_000, ended.MeterStopMilliWh);
    }

    [Fact]
    public async Task AStopTransaction_IsAnsweredOnlyAfterItsEventIsDurable()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-DURABLE");
        int tx = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 0, timestamp = "2026-11-23T09:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
        Assert.True(server.Storage.Log.CommittedUntil >= server.Storage.State.HighestAppliedAddress, "StartTransaction was answered before its event was committed");
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = tx, meterStop = 10, timestamp = "2026-11-23T09:10:00Z" }), "StopTransaction");
        Assert.True(server.Storage.Log.CommittedUntil >= server.Storage.State.HighestAppliedAddress, "StopTransaction was answered before its event was committed");
    }
}

using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests;

public sealed class BootPolicyTests
{
    [Fact]
    public async Task KnownOnly_AcceptsKnownChargers_AndRejectsOthers_WhichThenMayOnlyBoot()
    {
        await using TestServer server = await TestServer.StartAsync(
            "--Ocpp:Chargers:BootPolicy=KnownOnly",
            "--Ocpp:Chargers:Known:0=CP-KNOWN",
            "--Ocpp:Chargers:RetryInterval=00:00:42");

        await using RawCharger known = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-KNOWN");
        JsonElement accepted = OcppAssert.CallResult(await known.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());

        await using RawCharger stranger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-STRANGER");
        OcppAssert.CallError(await stranger.CallAsync("Heartbeat", new { }), "SecurityError"); // never booted
        JsonElement rejected = OcppAssert.CallResult(await stranger.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());
        Assert.Equal(42, rejected.GetProperty("interval").GetInt32());
        OcppAssert.CallError(await stranger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" }), "SecurityError");
        Assert.Null(server.Storage.State.GetCharger("CP-STRANGER")?.Connectors.FirstOrDefault(c => c.ConnectorId == 1));
    }

    [Fact]
    public async Task PendingUnknown_AnswersPending_AndAnAcceptedChargerStaysAcceptedAcrossReconnects()
    {
        await using TestServer server = await TestServer.StartAsync(
            "--Ocpp:Chargers:BootPolicy=PendingUnknown",
            "--Ocpp:Chargers:Known:0=CP-OLD");

        await using (RawCharger pending = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-NEW"))
        {
            JsonElement boot = OcppAssert.CallResult(await pending.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
            Assert.Equal("Pending", boot.GetProperty("status").GetString());
        }

        await using (RawCharger old = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-OLD"))
        {
            OcppAssert.CallResult(await old.CallAsync("BootNotification", new { chargePointVendor = "A", chargePointModel = "B" }), "BootNotification");
        }

        // After a server restart the charger reconnects without booting again: still Accepted.
        await server.RestartAsync();
        await using RawCharger back = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-OLD");
        OcppAssert.CallResult(await back.CallAsync("Heartbeat", new { }), "Heartbeat");
    }
}

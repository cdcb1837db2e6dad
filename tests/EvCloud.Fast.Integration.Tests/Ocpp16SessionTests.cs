using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Integration.Tests;

public sealed class Ocpp16SessionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(
        "--Ocpp:Authorization:Tokens:0:IdTag=TAG-OK",
        "--Ocpp:Authorization:Tokens:1:IdTag=TAG-BLOCKED",
        "--Ocpp:Authorization:Tokens:1:Status=Blocked",
        "--Ocpp:Authorization:Tokens:2:IdTag=TAG-OLD",
        "--Ocpp:Authorization:Tokens:2:ExpiryDate=2020-01-01T00:00:00Z",
        "--Ocpp:Authorization:Tokens:3:IdTag=TAG-CHILD",
        "--Ocpp:Authorization:Tokens:3:ParentIdTag=FLEET-1",
        "--Ocpp:Chargers:HeartbeatInterval=00:02:00");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AFullChargingSession_GetsSchemaValidAnswers_AndEndsWithItsEnergyInState()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-FLOW");

        JsonElement boot = OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "Fast-22", firmwareVersion = "1.2.3" }), "BootNotification");
        Assert.Equal("Accepted", boot.GetProperty("status").GetString());
        Assert.Equal(120, boot.GetProperty("interval").GetInt32());

        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 0, errorCode = "NoError", status = "Available" }), "StatusNotification");
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing", timestamp = "2026-11-23T10:00:00Z" }), "StatusNotification");

        JsonElement auth = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "TAG-OK" }), "Authorize");
        Assert.Equal("Accepted", auth.GetProperty("idTagInfo").GetProperty("status").GetString());

        JsonElement start = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-OK", meterStart = 1000, timestamp = "2026-11-23T10:00:05Z" }), "StartTransaction");
        int transactionId = start.GetProperty("transactionId").GetInt32();
        Assert.True(transactionId > 0);

        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[]
            {
                new
                {
                    timestamp = "2026-11-23T10:15:00Z",
                    sampledValue = new object[]
                    {
                        new { value = "3.5", measurand = "Energy.Active.Import.Register", unit = "kWh" },
                        new { value = "11000", measurand = "Power.Active.Import", unit = "W" },
                        new { value = "16.1", measurand = "Current.Import", phase = "L1", unit = "A" },
                        new { value = "1.2", measurand = "Energy.Active.Import.Register", phase = "L1", unit = "kWh" },
                    },
                },
            },
        }), "MeterValues");

        TransactionSnapshot during = Assert.Single(_server.Storage.State.ListTransactions("CP-FLOW"));
        Assert.Equal(TransactionStatus.Open, during.Status);
        Assert.Equal(3_500_000, during.LastEnergyMilliWh); // 3.5 kWh as mWh: the total register, not the L1 one

        JsonElement stop = OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 4200, timestamp = "2026-11-23T10:30:00Z", idTag = "TAG-OK", reason = "EVDisconnected" }), "StopTransaction");
        Assert.Equal("Accepted", stop.GetProperty("idTagInfo").GetProperty("status").GetString());

        TransactionSnapshot ended = Assert.Single(_server.Storage.State.ListTransactions("CP-FLOW"));
        Assert.Equal(TransactionStatus.Ended, ended.Status);
        Assert.Equal(1_000_000, ended.MeterStartMilliWh);
        Assert.Equal(4_200_000, ended.MeterStopMilliWh);
        Assert.Equal("EVDisconnected", ended.StopReason);

        ChargerSnapshot? state = _server.Storage.State.GetCharger("CP-FLOW");
        Assert.NotNull(state);
        Assert.Equal("Acme", state.Identity.Vendor);
        Assert.Contains(state.Connectors, c => c.ConnectorId == 0);
        Assert.Contains(state.Connectors, c => c.ConnectorId == 1);
    }

    [Fact]
    public async Task ARetransmittedStopTransaction_IsAbsorbed_AndNeverCountedTwice()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-RESTOP");
        int tx = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-OK", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
        var stop = new { transactionId = tx, meterStop = 5000, timestamp = "2026-11-23T11:00:00Z" };
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", stop), "StopTransaction");
        long eventsAfterFirst = _server.Storage.Log.TailAddress;
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", stop with { meterStop = 5000 }), "StopTransaction");

        Assert.Equal(eventsAfterFirst, _server.Storage.Log.TailAddress); // nothing appended for the retransmission
        TransactionSnapshot ended = Assert.Single(_server.Storage.State.ListTransactions("CP-RESTOP"));
        Assert.Equal(5_000_000, ended.MeterStopMilliWh);
    }

    [Fact]
    public async Task ARetransmittedStartTransaction_GetsTheSameTransactionId()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-RESTART");
        var start = new { connectorId = 2, idTag = "TAG-OK", meterStart = 700, timestamp = "2026-11-23T10:00:00Z" };
        int first = (await charger.CallAsync("StartTransaction", start))[2].GetProperty("transactionId").GetInt32();
        int second = (await charger.CallAsync("StartTransaction", start))[2].GetProperty("transactionId").GetInt32();
        Assert.Equal(first, second);
        Assert.Single(_server.Storage.State.ListTransactions("CP-RESTART"));
    }

    [Theory]
    [InlineData("TAG-OK", "Accepted")]
    [InlineData("TAG-BLOCKED", "Blocked")]
    [InlineData("TAG-OLD", "Expired")]
    [InlineData("NOBODY", "Invalid")]
    public async Task Authorize_AnswersFromTheLocalTokenStore(string idTag, string expected)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-AUTH-" + idTag);
        JsonElement answer = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag }), "Authorize");
        Assert.Equal(expected, answer.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Authorize_ReturnsTheParentIdTag()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-PARENT");
        JsonElement answer = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "TAG-CHILD" }), "Authorize");
        Assert.Equal("FLEET-1", answer.GetProperty("idTagInfo").GetProperty("parentIdTag").GetString());
    }

    [Fact]
    public async Task StartTransaction_WithATokenAlreadyCharging_AnswersConcurrentTx()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CONC");
        JsonElement first = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-CHILD", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" }), "StartTransaction");
        Assert.Equal("Accepted", first.GetProperty("idTagInfo").GetProperty("status").GetString());
        JsonElement second = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 2, idTag = "TAG-CHILD", meterStart = 0, timestamp = "2026-11-23T10:01:00Z" }), "StartTransaction");
        Assert.Equal("ConcurrentTx", second.GetProperty("idTagInfo").GetProperty("status").GetString());
        Assert.NotEqual(first.GetProperty("transactionId").GetInt32(), second.GetProperty("transactionId").GetInt32());
    }

    [Fact]
    public async Task ATokensOpenTransaction_StillHoldsIt_AfterARestart()
    {
        await using (RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CONC-RESTART"))
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "C" }), "BootNotification");
            JsonElement first = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-CHILD", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" }), "StartTransaction");
            Assert.Equal("Accepted", first.GetProperty("idTagInfo").GetProperty("status").GetString());
        }

        await _server.RestartAsync();

        await using RawCharger again = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CONC-RESTART");
        OcppAssert.CallResult(await again.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "C" }), "BootNotification");
        JsonElement second = OcppAssert.CallResult(await again.CallAsync("StartTransaction", new { connectorId = 2, idTag = "TAG-CHILD", meterStart = 0, timestamp = "2026-11-23T10:05:00Z" }), "StartTransaction");
        Assert.Equal("ConcurrentTx", second.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task DataTransfer_ForAnUnknownVendor_AnswersUnknownVendorId()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-DT");
        JsonElement answer = OcppAssert.CallResult(await charger.CallAsync("DataTransfer", new { vendorId = "com.example.unknown", messageId = "x", data = "{}" }), "DataTransfer");
        Assert.Equal("UnknownVendorId", answer.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("DiagnosticsStatusNotification", "{\"status\":\"Uploaded\"}")]
    [InlineData("FirmwareStatusNotification", "{\"status\":\"Installed\"}")]
    [InlineData("SecurityEventNotification", "{\"type\":\"FirmwareUpdated\",\"timestamp\":\"2026-11-23T10:00:00Z\"}")]
    [InlineData("LogStatusNotification", "{\"status\":\"Uploaded\",\"requestId\":4}")]
    [InlineData("SignedFirmwareStatusNotification", "{\"status\":\"SignatureVerified\",\"requestId\":5}")]
    [InlineData("SignCertificate", "{\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\"}")]
    public async Task Notifications_AreAcknowledgedWithSchemaValidAnswers(string action, string payload)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-N-" + action[..8]);
        OcppAssert.CallResult(await charger.CallRawAsync(action, payload), action);
    }
}

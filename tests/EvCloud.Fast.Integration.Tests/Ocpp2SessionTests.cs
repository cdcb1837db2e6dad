using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Integration.Tests;

public sealed class Ocpp2SessionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Ocpp:Authorization:Tokens:0:IdTag=TOKEN-2X");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static object Event(string type, int seqNo, string transactionId, double? wh = null, string? stoppedReason = null, string timestamp = "2026-11-23T10:00:00Z") => new
    {
        eventType = type,
        timestamp,
        triggerReason = type == "Started" ? "Authorized" : type == "Ended" ? "StopAuthorized" : "MeterValuePeriodic",
        seqNo,
        transactionInfo = stoppedReason is null ? (object)new { transactionId } : new { transactionId, stoppedReason },
        evse = new { id = 1, connectorId = 1 },
        meterValue = wh is null ? null : new[] { new { timestamp, sampledValue = new[] { new { value = wh.Value, unitOfMeasure = new { unit = "Wh", multiplier = 0 } } } } },
    };

    private async Task<JsonElement> SendAsync(RawCharger charger, string action, object payload, OcppVersion version = OcppVersion.Ocpp201)
    {
        string json = JsonSerializer.Serialize(payload, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        return OcppAssert.CallResult(await charger.CallRawAsync(action, json), action, version);
    }

    [Fact]
    public async Task ReplayedAndOutOfOrderTransactionEvents_DoNotChangeTheEnergyTotal()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-REPLAY", "ocpp2.0.1");
        await SendAsync(charger, "TransactionEvent", Event("Started", 0, "T-1", 1000));
        await SendAsync(charger, "TransactionEvent", Event("Updated", 1, "T-1", 2000));
        await SendAsync(charger, "TransactionEvent", Event("Updated", 3, "T-1", 3500));
        long tail = _server.Storage.Log.TailAddress;
        await SendAsync(charger, "TransactionEvent", Event("Updated", 3, "T-1", 3500)); // retransmission
        Assert.Equal(tail, _server.Storage.Log.TailAddress);
        await SendAsync(charger, "TransactionEvent", Event("Updated", 2, "T-1", 2800)); // late, older reading

        TransactionSnapshot open = Assert.Single(_server.Storage.State.ListTransactions("CS-REPLAY"));
        Assert.Equal(3_500_000, open.LastEnergyMilliWh);

        await SendAsync(charger, "TransactionEvent", Event("Ended", 4, "T-1", 4200, "Local"));
        await SendAsync(charger, "TransactionEvent", Event("Ended", 4, "T-1", 4200, "Local")); // retransmission
        TransactionSnapshot ended = Assert.Single(_server.Storage.State.ListTransactions("CS-REPLAY"));
        Assert.Equal(TransactionStatus.Ended, ended.Status);
        Assert.Equal(1_000_000, ended.MeterStartMilliWh);
        Assert.Equal(4_200_000, ended.MeterStopMilliWh);
    }

    [Fact]
    public async Task AnUpdatedWithoutItsStarted_CreatesTheTransaction()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-LATE", "ocpp2.0.1");
        await SendAsync(charger, "TransactionEvent", Event("Updated", 5, "T-LOST-START", 7000));
        TransactionSnapshot tx = Assert.Single(_server.Storage.State.ListTransactions("CS-LATE"));
        Assert.Equal("T-LOST-START", tx.ExternalId);
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(7_000_000, tx.LastEnergyMilliWh);
    }

    [Fact]
    public async Task TransactionEvent_WithAnIdToken_AnswersItsIdTokenInfo()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-TOKEN", "ocpp2.0.1");
        JsonElement answer = await SendAsync(charger, "TransactionEvent", new
        {
            eventType = "Started",
            timestamp = "2026-11-23T10:00:00Z",
            triggerReason = "Authorized",
            seqNo = 0,
            transactionInfo = new { transactionId = "T-TOK" },
            idToken = new { idToken = "TOKEN-2X", type = "ISO14443" },
        });
        Assert.Equal("Accepted", answer.GetProperty("idTokenInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AChargerSwitchingFrom16To201_KeepsItsIdentityAndHistory()
    {
        int legacyId;
        await using (RawCharger v16 = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-SWITCH", "ocpp1.6"))
        {
            OcppAssert.CallResult(await v16.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "Dual" }), "BootNotification");
            legacyId = (await v16.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TOKEN-2X", meterStart = 100, timestamp = "2026-11-23T08:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
            OcppAssert.CallResult(await v16.CallAsync("StopTransaction", new { transactionId = legacyId, meterStop = 900, timestamp = "2026-11-23T09:00:00Z" }), "StopTransaction");
        }

        await using RawCharger v201 = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-SWITCH", "ocpp2.0.1");
        JsonElement boot = await SendAsync(v201, "BootNotification", new { reason = "FirmwareUpdate", chargingStation = new { model = "Dual", vendorName = "Acme", firmwareVersion = "2.0.1-fw" } });
        Assert.Equal("Accepted", boot.GetProperty("status").GetString());
        await SendAsync(v201, "StatusNotification", new { timestamp = "2026-11-23T10:00:00Z", connectorStatus = "Occupied", evseId = 1, connectorId = 1 });
        await SendAsync(v201, "TransactionEvent", Event("Started", 0, "NEW-TX", 900));

        IReadOnlyList<TransactionSnapshot> history = _server.Storage.State.ListTransactions("CS-SWITCH");
        Assert.Equal(2, history.Count);
        Assert.Contains(history, t => t.TransactionId == legacyId && t.ExternalId is null && t.Status == TransactionStatus.Ended);
        Assert.Contains(history, t => t.ExternalId == "NEW-TX" && t.Status == TransactionStatus.Open && t.TransactionId != legacyId);
        ChargerSnapshot charger = _server.Storage.State.GetCharger("CS-SWITCH")!;
        Assert.Equal((byte)OcppVersion.Ocpp201, charger.Protocol);
        Assert.Equal("2.0.1-fw", charger.Identity.FirmwareVersion);
        Assert.Equal(2, charger.BootCount);
    }

    [Fact]
    public async Task A21Send_IsRecordedAndNeverAnswered()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-SEND", "ocpp2.1");
        long tail = _server.Storage.Log.TailAddress;
        await charger.SendTextAsync("[6,\"s1\",\"NotifyPeriodicEventStream\",{\"id\":1,\"pending\":0,\"basetime\":\"2026-11-23T10:00:00Z\",\"data\":[{\"t\":0,\"v\":\"230\"}]}]");
        JsonElement heartbeat = await charger.CallAsync("Heartbeat", new { });
        Assert.Equal("m1", heartbeat[1].GetString()); // the first answer is the Heartbeat's: the SEND got none
        OcppAssert.CallResult(heartbeat, "Heartbeat", OcppVersion.Ocpp21);
        Assert.True(_server.Storage.Log.TailAddress > tail);
    }

    [Theory]
    [InlineData("ocpp2.0.1", "[2,\"x\",\"TransactionEvent\",{\"eventType\":\"Started\"}]", "OccurrenceConstraintViolation")] // required fields missing
    [InlineData("ocpp2.0.1", "[2,\"x\",\"Heartbeat\",{\"extra\":1}]", "ProtocolError")] // property not in the PDU (2.x: ProtocolError)
    [InlineData("ocpp2.0.1", "[2,\"x\",\"RequestStartTransaction\",{\"idToken\":{\"idToken\":\"a\",\"type\":\"Central\"},\"remoteStartId\":1}]", "NotSupported")] // CSMS-initiated action
    [InlineData("ocpp2.0.1", "[6,\"x\",\"Heartbeat\",{}]", "MessageTypeNotSupported")] // SEND does not exist in 2.0.1
    [InlineData("ocpp2.1", "[6,\"x\",\"Heartbeat\",{}]", null)] // SEND of an action that has a response: never answered, nothing happens
    [InlineData("ocpp2.0.1", "not json", "RpcFrameworkError")] // 2.x: unreadable RPC frame
    public async Task Bad2xMessages_GetThe2xErrorCodes(string protocol, string message, string? code)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-BAD-" + Math.Abs(message.GetHashCode(StringComparison.Ordinal)), protocol);
        await charger.SendTextAsync(message);
        if (code is null)
        {
            JsonElement next = await charger.CallAsync("Heartbeat", new { });
            Assert.Equal("m1", next[1].GetString());
            return;
        }

        OcppAssert.CallError(await charger.ReceiveMessageAsync(), code);
        Assert.Equal(3, (await charger.CallAsync("Heartbeat", new { }))[0].GetInt32());
    }

    [Fact]
    public async Task AMultiPartNotifyReport_IsAssembledIntoTheDeviceModel_AndSurvivesARestart()
    {
        await using (RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-MODEL", "ocpp2.0.1"))
        {
            object Part(int seqNo, bool tbc, string component, string variable, string value, int? evse = null) => new
            {
                requestId = 7,
                generatedAt = "2026-11-23T10:00:00Z",
                seqNo,
                tbc,
                reportData = new[]
                {
                    new
                    {
                        component = evse is null ? (object)new { name = component } : new { name = component, evse = new { id = evse.Value } },
                        variable = new { name = variable },
                        variableAttribute = new[] { new { type = "Actual", value, mutability = "ReadOnly" } },
                        variableCharacteristics = new { dataType = "string", supportsMonitoring = false },
                    },
                },
            };

            // Parts out of order: the last (tbc = false) arrives before the middle one.
            await SendAsync(charger, "NotifyReport", Part(0, true, "ChargingStation", "Model", "Dual"));
            await SendAsync(charger, "NotifyReport", Part(2, false, "EVSE", "Power", "22000", evse: 1));
            Assert.Null(_server.Services.GetService(typeof(EvCloud.Fast.Ocpp.DeviceModel.DeviceModelStore)) is EvCloud.Fast.Ocpp.DeviceModel.DeviceModelStore incomplete ? incomplete.Get("CS-MODEL") : null);
            await SendAsync(charger, "NotifyReport", Part(1, true, "EVSE", "AvailabilityState", "Available", evse: 1));
        }

        await _server.RestartAsync();
        var store = (EvCloud.Fast.Ocpp.DeviceModel.DeviceModelStore)_server.Services.GetService(typeof(EvCloud.Fast.Ocpp.DeviceModel.DeviceModelStore))!;
        EvCloud.Fast.Ocpp.DeviceModel.StationDeviceModel? model = store.Get("CS-MODEL");
        Assert.NotNull(model);
        Assert.Equal(3, model.Entries.Count);
        Assert.Contains(model.Entries.Values, e => e.Component == "EVSE" && e.EvseId == 1 && e.Variable == "Power" && e.Attributes[0]!["value"]!.GetValue<string>() == "22000");
    }
}

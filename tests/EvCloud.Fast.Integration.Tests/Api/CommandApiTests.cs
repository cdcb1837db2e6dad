using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class CommandApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs("--Ocpp:CallTimeout=00:00:02"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("ocpp1.6", "RemoteStartTransaction", "RemoteStopTransaction")]
    [InlineData("ocpp2.0.1", "RequestStartTransaction", "RequestStopTransaction")]
    [InlineData("ocpp2.1", "RequestStartTransaction", "RequestStopTransaction")]
    public async Task StartAndStop_AreTheSameCall_ForEveryVersion(string protocol, string startAction, string stopAction)
    {
        string id = "CP-START-" + protocol;
        await using RawCharger charger = await ConnectAndBootAsync(_server, id, protocol);
        using var api = new ApiClient(_server, ApiClient.OperatorKey);

        Task<HttpResponseMessage> start = api.PostAsync($"api/v1/chargers/{id}/start", "{\"idTag\":\"TAG-42\",\"connectorId\":1}");
        (string startCall, JsonElement startPayload) = await ExpectCallAsync(charger, startAction);
        Assert.Equal("TAG-42", protocol == "ocpp1.6" ? startPayload.GetProperty("idTag").GetString() : startPayload.GetProperty("idToken").GetProperty("idToken").GetString());
        await AnswerAsync(charger, startCall, "{\"status\":\"Accepted\"}");
        JsonElement started = await ApiClient.JsonAsync(await start, HttpStatusCode.OK);
        Assert.True(started.GetProperty("accepted").GetBoolean());
        Assert.Equal("Accepted", started.GetProperty("status").GetString());
        Assert.Equal(startAction, started.GetProperty("action").GetString());

        string chargerTransactionId = await StartTransactionAsync(charger, protocol);

        Task<HttpResponseMessage> stop = api.PostAsync($"api/v1/chargers/{id}/stop", "{}");
        (string stopCall, JsonElement stopPayload) = await ExpectCallAsync(charger, stopAction);
        Assert.Equal(chargerTransactionId, protocol == "ocpp1.6" ? stopPayload.GetProperty("transactionId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : stopPayload.GetProperty("transactionId").GetString());
        await AnswerAsync(charger, stopCall, "{\"status\":\"Accepted\"}");
        JsonElement stopped = await ApiClient.JsonAsync(await stop, HttpStatusCode.OK);
        Assert.True(stopped.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task RejectedAnswer_IsReturnedAsTheChargersStatus_NotAsAnError()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-NO", "ocpp2.0.1");
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> reset = api.PostAsync("api/v1/chargers/CP-NO/reset", "{\"type\":\"Hard\"}");
        (string call, JsonElement payload) = await ExpectCallAsync(charger, "Reset");
        Assert.Equal("Immediate", payload.GetProperty("type").GetString());
        await AnswerAsync(charger, call, "{\"status\":\"Rejected\",\"statusInfo\":{\"reasonCode\":\"TxInProgress\"}}");

        JsonElement answer = await ApiClient.JsonAsync(await reset, HttpStatusCode.OK);
        Assert.False(answer.GetProperty("accepted").GetBoolean());
        Assert.Equal("TxInProgress", answer.GetProperty("answer").GetProperty("statusInfo").GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task ChargerThatNeverAnswers_Gives504()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-MUTE", "ocpp1.6");
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> unlock = api.PostAsync("api/v1/chargers/CP-MUTE/unlock", "{\"connectorId\":1}");
        await ExpectCallAsync(charger, "UnlockConnector");

        await ApiClient.ProblemAsync(await unlock, HttpStatusCode.GatewayTimeout, "charger_timeout");
    }

    [Fact]
    public async Task CallError_Gives502_WithTheChargersErrorCode()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-ERR", "ocpp1.6");
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> trigger = api.PostAsync("api/v1/chargers/CP-ERR/trigger", "{\"message\":\"Heartbeat\"}");
        (string call, _) = await ExpectCallAsync(charger, "TriggerMessage");
        await charger.SendTextAsync($"[4,\"{call}\",\"NotImplemented\",\"no triggers here\",{{}}]");

        JsonElement problem = await ApiClient.ProblemAsync(await trigger, HttpStatusCode.BadGateway, "charger_error");
        Assert.Equal("NotImplemented", problem.GetProperty("ocppErrorCode").GetString());
    }

    [Fact]
    public async Task OfflineCharger_Gives409_UnlessTheCallerQueues()
    {
        await (await ConnectAndBootAsync(_server, "CP-GONE", "ocpp1.6")).DisposeAsync();
        await WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected("CP-GONE"));
        using var api = new ApiClient(_server);

        await ApiClient.ProblemAsync(await api.PostAsync("api/v1/chargers/CP-GONE/reset", "{\"type\":\"Soft\"}"), HttpStatusCode.Conflict, "charger_offline");
        JsonElement queued = await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-GONE/reset?queue=true", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);

        Assert.Equal("Queued", queued.GetProperty("state").GetString());
        Assert.Equal("Reset", queued.GetProperty("action").GetString());
        Assert.Equal("test-admin", queued.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("Reset", "{\"type\":\"Sideways\"}")] // not a 1.6 ResetType
    [InlineData("Reset", "{}")] // type is required
    [InlineData("ChangeConfiguration", "{\"key\":\"HeartbeatInterval\"}")] // value is required
    [InlineData("BootNotification", "{\"chargePointVendor\":\"A\",\"chargePointModel\":\"B\"}")] // chargers send it, servers do not
    [InlineData("RequestStartTransaction", "{\"remoteStartId\":1,\"idToken\":{\"idToken\":\"A\",\"type\":\"Central\"}}")] // a 2.x action, this charger speaks 1.6
    [InlineData("Reset", "[1,2]")] // not a JSON object
    public async Task InvalidRawCommand_Gives400_WithTheViolation(string action, string payload)
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-RAW", "ocpp1.6");
        using var api = new ApiClient(_server);

        JsonElement problem = await ApiClient.ProblemAsync(await api.PostAsync($"api/v1/chargers/CP-RAW/commands/{action}", payload), HttpStatusCode.BadRequest, "invalid_command");

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("ocpp1.6", "{\"type\":\"Soft\"}")]
    [InlineData("ocpp2.0.1", "{\"type\":\"OnIdle\"}")]
    public async Task RawCommand_ReachesTheCharger_AndReturnsItsAnswer(string protocol, string payload)
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-RAWOK-" + protocol, protocol);
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> reset = api.PostAsync($"api/v1/chargers/CP-RAWOK-{protocol}/commands/Reset", payload);
        (string call, JsonElement sent) = await ExpectCallAsync(charger, "Reset");
        Assert.Equal(JsonDocument.Parse(payload).RootElement.GetProperty("type").GetString(), sent.GetProperty("type").GetString());
        await AnswerAsync(charger, call, "{\"status\":\"Accepted\"}");

        JsonElement answer = await ApiClient.JsonAsync(await reset, HttpStatusCode.OK);
        Assert.Equal("Accepted", answer.GetProperty("response").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("ocpp1.6", "{\"settings\":[{\"key\":\"HeartbeatInterval\",\"value\":\"120\"},{\"key\":\"MeterValueSampleInterval\",\"value\":\"30\"}]}", 2)]
    [InlineData("ocpp2.0.1", "{\"settings\":[{\"key\":\"OCPPCommCtrlr.HeartbeatInterval\",\"value\":\"120\"},{\"key\":\"SampledDataCtrlr.TxUpdatedInterval\",\"value\":\"30\"}]}", 1)]
    public async Task ChangeConfiguration_WritesEveryKey_InOneApiCall(string protocol, string body, int ocppCalls)
    {
        string id = "CP-CONF-" + protocol;
        await using RawCharger charger = await ConnectAndBootAsync(_server, id, protocol);
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> change = api.PutAsync($"api/v1/chargers/{id}/configuration", body);
        for (int i = 0; i < ocppCalls; i++)
        {
            (string call, _) = await ExpectCallAsync(charger, protocol == "ocpp1.6" ? "ChangeConfiguration" : "SetVariables");
            await AnswerAsync(charger, call, protocol == "ocpp1.6"
                ? "{\"status\":\"Accepted\"}"
                : "{\"setVariableResult\":[{\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"OCPPCommCtrlr\"},\"variable\":{\"name\":\"HeartbeatInterval\"}},{\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"SampledDataCtrlr\"},\"variable\":{\"name\":\"TxUpdatedInterval\"}}]}");
        }

        JsonElement answer = await ApiClient.JsonAsync(await change, HttpStatusCode.OK);
        Assert.True(answer.GetProperty("accepted").GetBoolean(), answer.GetRawText());
        Assert.Equal(2, answer.GetProperty("answer").GetProperty("keyResults").GetArrayLength());
    }

    [Fact]
    public async Task CommandThatCannotBeExpressedForTheVersion_Gives400NamingTheField()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-16ONLY", "ocpp1.6");
        using var api = new ApiClient(_server);

        JsonElement problem = await ApiClient.ProblemAsync(await api.PostAsync("api/v1/chargers/CP-16ONLY/reset", "{\"type\":\"Soft\",\"evseId\":1}"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("evseId", out _), problem.GetRawText());
    }

    private static async Task<string> StartTransactionAsync(RawCharger charger, string protocol)
    {
        if (protocol == "ocpp1.6")
        {
            JsonElement conf = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-42", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
            return conf.GetProperty("transactionId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string txId = "TX-" + Guid.NewGuid().ToString("N")[..8];
        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent",
            "{\"eventType\":\"Started\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"triggerReason\":\"RemoteStart\",\"seqNo\":0," +
            "\"transactionInfo\":{\"transactionId\":\"" + txId + "\"},\"idToken\":{\"idToken\":\"TAG-42\",\"type\":\"Central\"},\"evse\":{\"id\":1,\"connectorId\":1}}"),
            "TransactionEvent", Version(protocol));
        return txId;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

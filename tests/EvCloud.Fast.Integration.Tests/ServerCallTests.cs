using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Integration.Tests;

public sealed class ServerCallTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Ocpp:CallTimeout=00:00:02");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AServerCall_IsCorrelatedWithTheChargersAnswer()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CALL");
        Task<OcppCallResult> call = _server.Gateway.CallAsync("CP-CALL", "Reset", Encoding.UTF8.GetBytes("{\"type\":\"Soft\"}"));
        JsonElement received = await charger.ReceiveMessageAsync();
        Assert.Equal(2, received[0].GetInt32());
        Assert.Equal("Reset", received[2].GetString());
        await charger.SendTextAsync($"[3,\"{received[1].GetString()}\",{{\"status\":\"Accepted\"}}]");

        OcppCallResult result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(OcppCallStatus.Completed, result.Status);
        Assert.Equal("{\"status\":\"Accepted\"}", Encoding.UTF8.GetString(result.Payload!));
    }

    [Fact]
    public async Task ASecondServerCall_WaitsUntilTheFirstIsAnswered()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-QUEUE");
        Task<OcppCallResult> first = _server.Gateway.CallAsync("CP-QUEUE", "ClearCache", Encoding.UTF8.GetBytes("{}"));
        Task<OcppCallResult> second = _server.Gateway.CallAsync("CP-QUEUE", "Reset", Encoding.UTF8.GetBytes("{\"type\":\"Hard\"}"));
        JsonElement one = await charger.ReceiveMessageAsync();
        Assert.Equal("ClearCache", one[2].GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => charger.ReceiveFrameAsync(TimeSpan.FromMilliseconds(300)));

        await charger.SendTextAsync($"[4,\"{one[1].GetString()}\",\"NotSupported\",\"no cache\",{{}}]");
        JsonElement two = await charger.ReceiveMessageAsync();
        Assert.Equal("Reset", two[2].GetString());
        await charger.SendTextAsync($"[3,\"{two[1].GetString()}\",{{\"status\":\"Rejected\"}}]");

        OcppCallResult r1 = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(OcppCallStatus.CallError, r1.Status);
        Assert.Equal("NotSupported", r1.ErrorCode);
        Assert.Equal(OcppCallStatus.Completed, (await second.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task AnUnansweredServerCall_TimesOut()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-SILENT");
        OcppCallResult result = await _server.Gateway.CallAsync("CP-SILENT", "ClearCache", Encoding.UTF8.GetBytes("{}")).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(OcppCallStatus.Timeout, result.Status);
    }

    [Fact]
    public async Task AnAnswerThatViolatesTheResponseSchema_IsReportedAsInvalid()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-WRONG");
        Task<OcppCallResult> call = _server.Gateway.CallAsync("CP-WRONG", "Reset", Encoding.UTF8.GetBytes("{\"type\":\"Soft\"}"));
        JsonElement received = await charger.ReceiveMessageAsync();
        await charger.SendTextAsync($"[3,\"{received[1].GetString()}\",{{\"status\":\"Maybe\"}}]");
        Assert.Equal(OcppCallStatus.InvalidResponse, (await call.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task AServerCallWithAnInvalidPayload_IsRejectedBeforeSending()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-REFUSE");
        OcppCallResult result = await _server.Gateway.CallAsync("CP-REFUSE", "Reset", Encoding.UTF8.GetBytes("{\"type\":\"Sideways\"}"));
        Assert.Equal(OcppCallStatus.Rejected, result.Status);
    }

    [Fact]
    public async Task AServerCallToAnOfflineCharger_IsOffline()
    {
        OcppCallResult result = await _server.Gateway.CallAsync("CP-NOWHERE", "ClearCache", Encoding.UTF8.GetBytes("{}"));
        Assert.Equal(OcppCallStatus.Offline, result.Status);
    }

    [Fact]
    public async Task A21ChargersUnusableCallResult_IsAnsweredWithCallResultError()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-21-WRONG", "ocpp2.1");
        Task<OcppCallResult> call = _server.Gateway.CallAsync("CS-21-WRONG", "Reset", Encoding.UTF8.GetBytes("{\"type\":\"Immediate\"}"));
        JsonElement received = await charger.ReceiveMessageAsync();
        string id = received[1].GetString()!;
        await charger.SendTextAsync($"[3,\"{id}\",{{\"status\":\"Sure\"}}]");
        JsonElement answer = await charger.ReceiveMessageAsync();
        Assert.Equal(5, answer[0].GetInt32());
        Assert.Equal(id, answer[1].GetString());
        Assert.Equal(OcppCallStatus.InvalidResponse, (await call.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }
}

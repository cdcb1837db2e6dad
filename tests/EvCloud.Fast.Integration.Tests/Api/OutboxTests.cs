using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class OutboxTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs("--Ocpp:CallTimeout=00:00:05"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("ocpp1.6", "Soft")]
    [InlineData("ocpp2.0.1", "OnIdle")]
    public async Task QueuedReset_SurvivesARestart_IsDeliveredOnceAfterBoot_AndItsResultIsStreamed(string protocol, string sentType)
    {
        string id = "CP-OUTBOX-" + protocol;
        await (await ConnectAndBootAsync(_server, id, protocol)).DisposeAsync();
        await CommandApiTests.WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected(id));
        string commandId;
        using (var api = new ApiClient(_server))
        {
            JsonElement queued = await ApiClient.JsonAsync(await api.PostAsync($"api/v1/chargers/{id}/reset?queue=true&ttlSeconds=3600", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);
            commandId = queued.GetProperty("commandId").GetString()!;
        }

        await _server.RestartAsync();
        using var after = new ApiClient(_server);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(after, "?types=command.completed&chargerId=" + id);
        await using (RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, id, protocol))
        {
            await BootAsync(charger, protocol);
            (string call, JsonElement payload) = await ExpectCallAsync(charger, "Reset");
            Assert.Equal(sentType, payload.GetProperty("type").GetString());
            await AnswerAsync(charger, call, "{\"status\":\"Accepted\"}");

            ServerSentEvent completed = await events.NextAsync();
            Assert.Equal("command.completed", completed.Type);
            Assert.Equal(commandId, completed.Data.GetProperty("commandId").GetString());
            Assert.Equal("Completed", completed.Data.GetProperty("outcome").GetString());
            Assert.Equal("Accepted", completed.Data.GetProperty("response").GetProperty("status").GetString());
        }

        JsonElement command = await ApiClient.JsonAsync(await after.GetAsync("api/v1/commands/" + commandId), HttpStatusCode.OK);
        Assert.Equal("Completed", command.GetProperty("state").GetString());
        Assert.Equal("Accepted", command.GetProperty("response").GetProperty("status").GetString());

        // Delivered once: a reconnect (and a restart) later, nothing is sent again.
        await _server.RestartAsync();
        await using RawCharger again = await ConnectAndBootAsync(_server, id, protocol);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => again.ReceiveMessageAsync(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task QueuedCommands_GoOutInOrder_OneAtATime()
    {
        await (await ConnectAndBootAsync(_server, "CP-ORDER", "ocpp1.6")).DisposeAsync();
        await CommandApiTests.WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected("CP-ORDER"));
        using var api = new ApiClient(_server);
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-ORDER/availability?queue=true", "{\"connectorId\":1,\"operative\":false}"), HttpStatusCode.Accepted);
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-ORDER/commands/ClearCache?queue=true", "{}"), HttpStatusCode.Accepted);
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-ORDER/reset?queue=true", "{\"type\":\"Hard\"}"), HttpStatusCode.Accepted);

        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-ORDER", "ocpp1.6");
        foreach (string action in new[] { "ChangeAvailability", "ClearCache", "Reset" })
        {
            (string call, _) = await ExpectCallAsync(charger, action);
            await AnswerAsync(charger, call, "{\"status\":\"Accepted\"}");
        }

        await CommandApiTests.WaitUntilAsync(() => OutboxStates(api, "CP-ORDER").Result.All(s => s == "Completed"));
    }

    [Fact]
    public async Task CommandSentWhenTheServerCrashes_IsInterrupted_NeverSentTwice()
    {
        await using (RawCharger charger = await ConnectAndBootAsync(_server, "CP-CRASH", "ocpp1.6"))
        {
            using var api = new ApiClient(_server);
            await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-CRASH/reset?queue=true", "{\"type\":\"Hard\"}"), HttpStatusCode.Accepted);
            await ExpectCallAsync(charger, "Reset");

            // The charger got the Reset; the server dies before the answer comes back.
            await _server.CrashAsync();
        }

        using var after = new ApiClient(_server);
        await CommandApiTests.WaitUntilAsync(() => OutboxStates(after, "CP-CRASH").Result.SequenceEqual(["Interrupted"]));
        await using RawCharger reconnected = await ConnectAndBootAsync(_server, "CP-CRASH", "ocpp1.6");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reconnected.ReceiveMessageAsync(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task QueuedCommand_Expires_WhenItsChargerStaysAway()
    {
        await (await ConnectAndBootAsync(_server, "CP-AWAY", "ocpp1.6")).DisposeAsync();
        await CommandApiTests.WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected("CP-AWAY"));
        using var api = new ApiClient(_server);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?types=command.completed");

        JsonElement queued = await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-AWAY/unlock?queue=true&ttlSeconds=1", "{\"connectorId\":1}"), HttpStatusCode.Accepted);

        ServerSentEvent expired = await events.NextAsync();
        Assert.Equal(queued.GetProperty("commandId").GetString(), expired.Data.GetProperty("commandId").GetString());
        Assert.Equal("Expired", expired.Data.GetProperty("outcome").GetString());
        Assert.Equal(["Expired"], await OutboxStates(api, "CP-AWAY"));
    }

    [Fact]
    public async Task QueuedCommand_CanBeCancelledUntilItIsSent()
    {
        await (await ConnectAndBootAsync(_server, "CP-CANCEL", "ocpp1.6")).DisposeAsync();
        await CommandApiTests.WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected("CP-CANCEL"));
        using var api = new ApiClient(_server);
        JsonElement queued = await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-CANCEL/reset?queue=true", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);
        string path = "api/v1/commands/" + queued.GetProperty("commandId").GetString();

        JsonElement cancelled = await ApiClient.JsonAsync(await api.DeleteAsync(path), HttpStatusCode.OK);
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        await ApiClient.ProblemAsync(await api.DeleteAsync(path), HttpStatusCode.Conflict, "conflict");

        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-CANCEL", "ocpp1.6");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => charger.ReceiveMessageAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task QueuedCommandWithAnInvalidPayload_IsRefusedBeforeItIsQueued()
    {
        await (await ConnectAndBootAsync(_server, "CP-BADQ", "ocpp2.0.1")).DisposeAsync();
        using var api = new ApiClient(_server);

        await ApiClient.ProblemAsync(await api.PostAsync("api/v1/chargers/CP-BADQ/commands/Reset?queue=true", "{\"type\":\"Soft\"}"), HttpStatusCode.BadRequest, "invalid_command");

        Assert.Empty(await OutboxStates(api, "CP-BADQ"));
    }

    private static async Task<string[]> OutboxStates(ApiClient api, string chargerId)
    {
        JsonElement list = await ApiClient.JsonAsync(await api.GetAsync("api/v1/commands?chargerId=" + chargerId), HttpStatusCode.OK);
        return [.. list.EnumerateArray().Select(c => c.GetProperty("state").GetString()!)];
    }
}

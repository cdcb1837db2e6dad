using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

/// <summary>The typed command endpoints generated from the OCPP protocol types, and their OpenAPI contracts.</summary>
public sealed class TypedCommandApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs("--Ocpp:CallTimeout=00:00:02"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("ocpp16", "RemoteStartTransaction", "idTag")]
    [InlineData("ocpp16", "DataTransfer", "vendorId")]
    [InlineData("ocpp201", "RequestStartTransaction", "remoteStartId")]
    [InlineData("ocpp21", "SetDERControl", "controlType")]
    public async Task OpenApiDocument_ShowsEachServerInitiatedAction_WithItsTypedRequestAndResponse(string segment, string action, string requiredProperty)
    {
        using var anonymous = new ApiClient(_server, key: null);

        JsonElement document = await ApiClient.JsonAsync(await anonymous.GetAsync("openapi/v1.json"), HttpStatusCode.OK);

        string prefix = segment switch { "ocpp16" => "V16", "ocpp201" => "V201", _ => "V21" };
        JsonElement operation = document.GetProperty("paths").GetProperty($"/api/v1/chargers/{{chargerId}}/commands/{segment}/{action}").GetProperty("post");
        Assert.Equal($"#/components/schemas/{prefix}{action}Request", SchemaRef(operation.GetProperty("requestBody")));
        Assert.Equal($"#/components/schemas/{prefix}{action}Response", SchemaRef(operation.GetProperty("responses").GetProperty("200")));
        JsonElement request = document.GetProperty("components").GetProperty("schemas").GetProperty($"{prefix}{action}Request");
        Assert.Contains(requiredProperty, request.GetProperty("required").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_HasNoTypedEndpointForAMessageOnlyChargersSend()
    {
        using var anonymous = new ApiClient(_server, key: null);

        JsonElement paths = (await ApiClient.JsonAsync(await anonymous.GetAsync("openapi/v1.json"), HttpStatusCode.OK)).GetProperty("paths");

        Assert.False(paths.TryGetProperty("/api/v1/chargers/{chargerId}/commands/ocpp16/BootNotification", out _));
        Assert.False(paths.TryGetProperty("/api/v1/chargers/{chargerId}/commands/ocpp21/NotifyPeriodicEventStream", out _));
    }

    [Theory]
    [InlineData("ocpp1.6", "ocpp16", "{\"type\":\"Soft\"}")]
    [InlineData("ocpp2.0.1", "ocpp201", "{\"type\":\"OnIdle\",\"evseId\":1}")]
    [InlineData("ocpp2.1", "ocpp21", "{\"type\":\"Immediate\"}")]
    public async Task TypedCommand_ReachesTheCharger_AndAnswersWithTheTypedResponse(string protocol, string segment, string payload)
    {
        string id = "CP-TYPED-" + segment;
        await using RawCharger charger = await ConnectAndBootAsync(_server, id, protocol);
        using var api = new ApiClient(_server);

        Task<HttpResponseMessage> reset = api.PostAsync($"api/v1/chargers/{id}/commands/{segment}/Reset", payload);
        (string call, JsonElement sent) = await ExpectCallAsync(charger, "Reset");
        Assert.Equal(JsonDocument.Parse(payload).RootElement.GetProperty("type").GetString(), sent.GetProperty("type").GetString());
        await AnswerAsync(charger, call, "{\"status\":\"Accepted\"}");

        HttpResponseMessage response = await reset;
        JsonElement answer = await ApiClient.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Accepted", answer.GetProperty("status").GetString());
        Assert.NotEmpty(response.Headers.GetValues("X-Command-Id").Single());
    }

    [Theory]
    [InlineData("ocpp16", "{\"typ\":\"Soft\"}")] // a misspelt property: the 1.6 Reset request has "type" and nothing else
    [InlineData("ocpp16", "{\"type\":\"OnIdle\"}")] // a 2.x reset type sent to the 1.6 route
    [InlineData("ocpp201", "{\"type\":\"Soft\"}")] // the 2.0.1 route, but the charger speaks 1.6
    public async Task TypedCommand_RefusesABodyItsRecordDoesNotRead_OrAChargerOfAnotherVersion(string segment, string payload)
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-TYPED-BAD", "ocpp1.6");
        using var api = new ApiClient(_server);

        HttpResponseMessage response = await api.PostAsync($"api/v1/chargers/CP-TYPED-BAD/commands/{segment}/Reset", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string? SchemaRef(JsonElement bodyOrResponse) =>
        bodyOrResponse.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
}

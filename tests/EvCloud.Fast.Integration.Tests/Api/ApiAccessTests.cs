using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class ApiAccessTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null)] // no key at all
    [InlineData("evc_not-a-key-this-server-knows-about-00000000")] // a key nobody created
    public async Task Calls_WithoutAValidKey_AreRefusedWith401Problem(string? key)
    {
        using var api = new ApiClient(_server, key);

        HttpResponseMessage response = await api.GetAsync("api/v1/chargers");

        await ApiClient.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReaderKey_ReadsButMayNotSendCommandsOrManageTokens()
    {
        using var reader = new ApiClient(_server, ApiClient.ReaderKey);

        await ApiClient.JsonAsync(await reader.GetAsync("api/v1/chargers"), HttpStatusCode.OK);
        await ApiClient.ProblemAsync(await reader.PostAsync("api/v1/chargers/CP-1/reset", "{\"type\":\"Soft\"}"), HttpStatusCode.Forbidden, "forbidden");
        await ApiClient.ProblemAsync(await reader.PutAsync("api/v1/tokens/TAG-1", "{}"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task OperatorKey_MayNotManageCredentialsOrKeys()
    {
        using var operatorApi = new ApiClient(_server, ApiClient.OperatorKey);

        await ApiClient.ProblemAsync(await operatorApi.PutAsync("api/v1/chargers/CP-1/credentials", "{\"password\":\"0123456789abcdef01\"}"), HttpStatusCode.Forbidden, "forbidden");
        await ApiClient.ProblemAsync(await operatorApi.GetAsync("api/v1/api-keys"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task CreatedKey_WorksAtOnce_AndStopsWorkingWhenDeleted()
    {
        using var admin = new ApiClient(_server);
        JsonElement created = await ApiClient.JsonAsync(await admin.PostAsync("api/v1/api-keys", "{\"name\":\"billing\",\"role\":\"Reader\"}"), HttpStatusCode.Created);
        string key = created.GetProperty("key").GetString()!;
        using var billing = new ApiClient(_server, key);
        await ApiClient.JsonAsync(await billing.GetAsync("api/v1/transactions"), HttpStatusCode.OK);

        JsonElement listed = await ApiClient.JsonAsync(await admin.GetAsync("api/v1/api-keys"), HttpStatusCode.OK);
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);
        await ApiClient.JsonAsync(await admin.DeleteAsync("api/v1/api-keys/" + created.GetProperty("id").GetString()), HttpStatusCode.NoContent);

        await ApiClient.ProblemAsync(await billing.GetAsync("api/v1/transactions"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi_AndTheReferencePageServesIt()
    {
        using var anonymous = new ApiClient(_server, key: null);

        JsonElement document = await ApiClient.JsonAsync(await anonymous.GetAsync("openapi/v1.json"), HttpStatusCode.OK);
        JsonElement paths = document.GetProperty("paths");
        foreach (string path in new[] { "/api/v1/chargers", "/api/v1/chargers/{chargerId}/start", "/api/v1/chargers/{chargerId}/stop", "/api/v1/chargers/{chargerId}/commands/{action}", "/api/v1/events", "/api/v1/tokens/{idTag}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path + " is missing from the OpenAPI document");
        }

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKeyBearer").GetProperty("scheme").GetString());
        HttpResponseMessage page = await anonymous.GetAsync("api/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Chargers_AreListedFilteredAndPaged_AndShownInDetail()
    {
        await using RawCharger one = await ApiTestCharger.ConnectAndBootAsync(_server, "CP-LIST-1", "ocpp1.6");
        await using RawCharger two = await ApiTestCharger.ConnectAndBootAsync(_server, "CP-LIST-2", "ocpp2.0.1");
        using var api = new ApiClient(_server, ApiClient.ReaderKey);

        HttpResponseMessage firstPage = await api.GetAsync("api/v1/chargers?online=true&status=Available&limit=1");
        JsonElement page = await ApiClient.JsonAsync(firstPage, HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal("CP-LIST-1", page.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal("2", firstPage.Headers.GetValues("X-Total-Count").Single());
        string next = page.GetProperty("next").GetString()!;
        Assert.Contains("rel=\"next\"", firstPage.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        JsonElement secondPage = await ApiClient.JsonAsync(await api.Http.GetAsync(next), HttpStatusCode.OK);
        Assert.Equal("CP-LIST-2", secondPage.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("next").ValueKind);

        JsonElement only2x = await ApiClient.JsonAsync(await api.GetAsync("api/v1/chargers?protocol=ocpp2.0.1"), HttpStatusCode.OK);
        Assert.Equal("CP-LIST-2", Assert.Single(only2x.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        JsonElement detail = await ApiClient.JsonAsync(await api.GetAsync("api/v1/chargers/CP-LIST-1"), HttpStatusCode.OK);
        Assert.True(detail.GetProperty("online").GetBoolean());
        Assert.Equal("ocpp1.6", detail.GetProperty("protocol").GetString());
        Assert.Equal("Accepted", detail.GetProperty("registration").GetString());
        Assert.Equal("Acme", detail.GetProperty("boot").GetProperty("vendor").GetString());
        Assert.Contains(detail.GetProperty("connectors").EnumerateArray(), c => c.GetProperty("id").GetInt32() == 1 && c.GetProperty("status").GetString() == "Available");
        Assert.NotNull(detail.GetProperty("connection").GetProperty("remoteEndPoint").GetString());
    }

    [Theory]
    [InlineData("api/v1/chargers?sort=colour", "sort")] // not a sort key
    [InlineData("api/v1/chargers?limit=0", "limit")] // a page holds at least one item
    [InlineData("api/v1/chargers?status=Sleeping", "status")] // not a connector status
    [InlineData("api/v1/transactions?status=Paused", "status")] // transactions are Open or Ended
    [InlineData("api/v1/events?types=charger.exploded", "types")] // not an event type
    public async Task InvalidQueryParameters_AnswerValidationProblems_NamingTheField(string path, string field)
    {
        using var api = new ApiClient(_server);

        JsonElement problem = await ApiClient.ProblemAsync(await api.GetAsync(path), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task UnknownCharger_IsA404Problem()
    {
        using var api = new ApiClient(_server);

        await ApiClient.ProblemAsync(await api.GetAsync("api/v1/chargers/NOBODY"), HttpStatusCode.NotFound, "charger_not_found");
        await ApiClient.ProblemAsync(await api.PostAsync("api/v1/chargers/NOBODY/reset", "{\"type\":\"Soft\"}"), HttpStatusCode.NotFound, "charger_not_found");
    }

    [Fact]
    public async Task Tokens_WrittenThroughTheApi_AnswerAuthorize_AndSurviveARestart()
    {
        using (var api = new ApiClient(_server))
        {
            await ApiClient.JsonAsync(await api.PutAsync("api/v1/tokens/TAG-API", "{\"parentIdTag\":\"FLEET-1\"}"), HttpStatusCode.OK);
            await ApiClient.JsonAsync(await api.PutAsync("api/v1/tokens/TAG-BLOCK", "{}"), HttpStatusCode.OK);
            JsonElement blocked = await ApiClient.JsonAsync(await api.PostAsync("api/v1/tokens/TAG-BLOCK/block"), HttpStatusCode.OK);
            Assert.Equal("Blocked", blocked.GetProperty("status").GetString());
        }

        await _server.RestartAsync();
        await using RawCharger charger = await ApiTestCharger.ConnectAndBootAsync(_server, "CP-TOKENS", "ocpp1.6");

        JsonElement accepted = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "TAG-API" }), "Authorize");
        Assert.Equal("Accepted", accepted.GetProperty("idTagInfo").GetProperty("status").GetString());
        Assert.Equal("FLEET-1", accepted.GetProperty("idTagInfo").GetProperty("parentIdTag").GetString());
        JsonElement refused = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "TAG-BLOCK" }), "Authorize");
        Assert.Equal("Blocked", refused.GetProperty("idTagInfo").GetProperty("status").GetString());

        using var after = new ApiClient(_server);
        await ApiClient.JsonAsync(await after.DeleteAsync("api/v1/tokens/TAG-API"), HttpStatusCode.NoContent);
        JsonElement unknown = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "TAG-API" }), "Authorize");
        Assert.Equal("Invalid", unknown.GetProperty("idTagInfo").GetProperty("status").GetString());
        await ApiClient.ProblemAsync(await after.GetAsync("api/v1/tokens/TAG-API"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task BlockedRegistration_RejectsTheChargersBoot_EvenUnderAutoAccept()
    {
        using var api = new ApiClient(_server);
        JsonElement registration = await ApiClient.JsonAsync(await api.PutAsync("api/v1/chargers/CP-STOLEN/registration", "{\"decision\":\"Blocked\",\"note\":\"reported stolen\"}"), HttpStatusCode.OK);
        Assert.Equal("Rejected", registration.GetProperty("nextBootAnswer").GetString());

        await _server.RestartAsync();
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-STOLEN");
        JsonElement boot = OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "Dual" }), "BootNotification");

        Assert.Equal("Rejected", boot.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Credentials_AreSetWithoutEverBeingShown_AndEnforcedAtTheNextConnect()
    {
        using var api = new ApiClient(_server);

        JsonElement view = await ApiClient.JsonAsync(await api.PutAsync("api/v1/chargers/CP-BASIC/credentials", "{\"password\":\"correct-horse-battery\",\"requiredProfile\":1}"), HttpStatusCode.OK);
        Assert.True(view.GetProperty("hasPassword").GetBoolean());
        Assert.DoesNotContain("correct-horse", view.GetRawText(), StringComparison.Ordinal);
        await ApiClient.ProblemAsync(await api.PutAsync("api/v1/chargers/CP-BASIC/credentials", "{\"password\":\"short\"}"), HttpStatusCode.BadRequest, "validation_failed");

        await using RawCharger anonymous = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(401, await anonymous.UpgradeAsync("CP-BASIC", "ocpp1.6"));
        await using RawCharger authenticated = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await authenticated.UpgradeAsync("CP-BASIC", "ocpp1.6", RawCharger.BasicAuthorization("CP-BASIC", "correct-horse-battery")));
    }

    [Theory]
    [InlineData("ocpp1.6", "ChangeConfiguration")]
    [InlineData("ocpp2.0.1", "SetVariables")]
    public async Task PasswordRotation_GivesTheChargerANewPassword_AndKeepsTheOldOneForTheReconnect(string protocol, string action)
    {
        string id = "CP-ROTATE-" + protocol;
        using var api = new ApiClient(_server);
        await ApiClient.JsonAsync(await api.PutAsync($"api/v1/chargers/{id}/credentials", "{\"password\":\"the-Old-password-1\"}"), HttpStatusCode.OK);
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await charger.UpgradeAsync(id, protocol, RawCharger.BasicAuthorization(id, "the-Old-password-1")));
        await ApiTestCharger.BootAsync(charger, protocol);

        Task<HttpResponseMessage> rotate = api.PostAsync($"api/v1/chargers/{id}/credentials/rotate");
        (string call, JsonElement payload) = await ApiTestCharger.ExpectCallAsync(charger, action);
        byte[] newPassword = protocol == "ocpp1.6"
            ? Convert.FromHexString(payload.GetProperty("value").GetString()!)
            : System.Text.Encoding.UTF8.GetBytes(payload.GetProperty("setVariableData")[0].GetProperty("attributeValue").GetString()!);
        await ApiTestCharger.AnswerAsync(charger, call, protocol == "ocpp1.6"
            ? "{\"status\":\"Accepted\"}"
            : "{\"setVariableResult\":[{\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"}}]}");
        JsonElement rotated = await ApiClient.JsonAsync(await rotate, HttpStatusCode.OK);
        Assert.Equal("Accepted", rotated.GetProperty("status").GetString());

        await using RawCharger withNew = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await withNew.UpgradeAsync(id, protocol, RawCharger.BasicAuthorization(id, newPassword)));
        await using RawCharger withOld = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await withOld.UpgradeAsync(id, protocol, RawCharger.BasicAuthorization(id, "the-Old-password-1")));
    }
}

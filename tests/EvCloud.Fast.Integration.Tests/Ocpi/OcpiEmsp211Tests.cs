using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// Our eMSP with a 2.1.1 CPO: the pair connected at 2.1.1 (plain tokens), the test speaking as the CPO (NL/CPO, with
/// the token the CPO instance presents to the eMSP) with the spec's 2.1.1 examples, and our CPO instance answering our
/// eMSP's commands at 2.1.1.
/// </summary>
public sealed class OcpiEmsp211Tests : IAsyncLifetime
{
    private readonly OcpiHttp _http = new();
    private OcpiPair _pair = null!;
    private string _cpoToken = null!;

    public async Task InitializeAsync()
    {
        _pair = await OcpiPair.StartAsync();
        await _pair.ConnectAsync(version: "2.1.1", encoding: "Plain");
        _cpoToken = _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.OutgoingToken!;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _pair.DisposeAsync();
    }

    [Fact]
    public async Task Locations_FromA211Cpo_AreServedBackAsSent_AndReadAs221OnTheApi()
    {
        // The CPO instance saw our 2.1.1 eMSP modules, without roles.
        JsonElement emsp = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/partners/emsp"), HttpStatusCode.OK);
        JsonElement sessions = Assert.Single(emsp.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("identifier").GetString() == "sessions");
        Assert.EndsWith("/ocpi/emsp/2.1.1/sessions", sessions.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(!sessions.TryGetProperty("role", out JsonElement role) || role.ValueKind == JsonValueKind.Null);

        // The spec's LOC1, renamed: the CPO instance of the pair publishes a LOC1 of its own.
        JsonObject location = JsonNode.Parse(Ocpi211SpecExamples.Location)!.AsObject();
        location["id"] = "BE-LOC1";
        (HttpResponseMessage put, JsonElement putBody) = await SendAsync(HttpMethod.Put, "locations/NL/CPO/BE-LOC1", location.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(1000, putBody.GetProperty("status_code").GetInt32());

        (_, JsonElement got) = await SendAsync(HttpMethod.Get, "locations/NL/CPO/BE-LOC1");
        Assert.Equal("ON_STREET", got.GetProperty("data").GetProperty("type").GetString());
        Assert.Equal(220, got.GetProperty("data").GetProperty("evses")[0].GetProperty("connectors")[0].GetProperty("voltage").GetInt32());
        Assert.False(got.GetProperty("data").TryGetProperty("country_code", out _));

        JsonElement stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/locations/NL/CPO/BE-LOC1"), HttpStatusCode.OK);
        Assert.Equal(("NL", "CPO", "ON_STREET"), (stored.GetProperty("country_code").GetString(), stored.GetProperty("party_id").GetString(), stored.GetProperty("parking_type").GetString()));
        Assert.True(stored.GetProperty("publish").GetBoolean());
        JsonElement connector = stored.GetProperty("evses")[0].GetProperty("connectors")[0];
        Assert.Equal(220, connector.GetProperty("max_voltage").GetInt32());
        Assert.Equal("11", connector.GetProperty("tariff_ids")[0].GetString());

        // The spec's PATCH examples carry no last_updated (2.1.1 does not ask for it): accepted, stamped on receipt.
        (HttpResponseMessage status, _) = await SendAsync(HttpMethod.Patch, "locations/NL/CPO/BE-LOC1/3256", Ocpi211SpecExamples.EvseStatusPatch);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        (HttpResponseMessage tariff, _) = await SendAsync(HttpMethod.Patch, "locations/NL/CPO/BE-LOC1/3256/2", Ocpi211SpecExamples.ConnectorTariffPatch);
        Assert.Equal(HttpStatusCode.OK, tariff.StatusCode);

        (_, JsonElement evse) = await SendAsync(HttpMethod.Get, "locations/NL/CPO/BE-LOC1/3256");
        Assert.Equal("CHARGING", evse.GetProperty("data").GetProperty("status").GetString());
        Assert.True(DateTimeOffset.Parse(evse.GetProperty("data").GetProperty("last_updated").GetString()!) > DateTimeOffset.UtcNow.AddMinutes(-5));
        (_, JsonElement patchedConnector) = await SendAsync(HttpMethod.Get, "locations/NL/CPO/BE-LOC1/3256/2");
        Assert.Equal("15", patchedConnector.GetProperty("data").GetProperty("tariff_id").GetString());
        stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/locations/NL/CPO/BE-LOC1"), HttpStatusCode.OK);
        Assert.Equal("CHARGING", stored.GetProperty("evses")[0].GetProperty("status").GetString());
        Assert.Equal("15", stored.GetProperty("evses")[0].GetProperty("connectors")[1].GetProperty("tariff_ids")[0].GetString());
        Assert.Equal(stored.GetProperty("last_updated").GetString(), stored.GetProperty("evses")[0].GetProperty("last_updated").GetString());

        // A Location without its type: 2001 naming it. A PATCH of a location we do not have: 404 / 2003.
        location.Remove("type");
        (HttpResponseMessage invalid, JsonElement invalidBody) = await SendAsync(HttpMethod.Put, "locations/NL/CPO/BE-LOC1", location.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(2001, invalidBody.GetProperty("status_code").GetInt32());
        Assert.Contains("type is required", invalidBody.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        (HttpResponseMessage unknown, JsonElement unknownBody) = await SendAsync(HttpMethod.Patch, "locations/NL/CPO/NOWHERE", Ocpi211SpecExamples.EvseStatusPatch);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(2003, unknownBody.GetProperty("status_code").GetInt32());

        // Another party than the CPO's: 404.
        location["type"] = "ON_STREET";
        (HttpResponseMessage other, _) = await SendAsync(HttpMethod.Put, "locations/FR/XXX/BE-LOC1", location.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task SessionsAndTariffs_FromA211Cpo_AreStored_Patched_AndServedBack()
    {
        // Our token whose contract id is the spec session's auth_id.
        JsonElement token = await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/04A1B2C3D4", "{\"contractId\":\"DE8ACC12E46L89\",\"issuer\":\"Test eMSP\"}"), HttpStatusCode.OK);
        Assert.True(token.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean());

        (HttpResponseMessage put, _) = await SendAsync(HttpMethod.Put, "sessions/NL/CPO/101", Ocpi211SpecExamples.Session);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        JsonElement stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/sessions/NL/CPO/101"), HttpStatusCode.OK);
        Assert.Equal("2015-06-29T22:39:09Z", stored.GetProperty("start_date_time").GetString());
        Assert.Equal(2.50m, stored.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(("04A1B2C3D4", "RFID"), (stored.GetProperty("cdr_token").GetProperty("uid").GetString(), stored.GetProperty("cdr_token").GetProperty("type").GetString()));
        Assert.Equal(("LOC1", "3256", "1"), (stored.GetProperty("location_id").GetString(), stored.GetProperty("evse_uid").GetString(), stored.GetProperty("connector_id").GetString()));

        (HttpResponseMessage patch, _) = await SendAsync(HttpMethod.Patch, "sessions/NL/CPO/101", Ocpi211SpecExamples.SessionPatch);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        (_, JsonElement got) = await SendAsync(HttpMethod.Get, "sessions/NL/CPO/101");
        Assert.Equal(0.60m, got.GetProperty("data").GetProperty("total_cost").GetDecimal());
        Assert.Equal("DE8ACC12E46L89", got.GetProperty("data").GetProperty("auth_id").GetString());
        stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/sessions/NL/CPO/101"), HttpStatusCode.OK);
        Assert.Equal(0.60m, stored.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());

        // After a stamped PATCH, the CPO's own clock still decides what is stale: a newer PUT (by the CPO's clock,
        // older than our receipt time) applies, an older one is acknowledged and ignored.
        JsonObject newer = JsonNode.Parse(Ocpi211SpecExamples.Session)!.AsObject();
        newer["status"] = "ACTIVE";
        newer["last_updated"] = "2015-06-29T23:00:00Z";
        (HttpResponseMessage newerPut, _) = await SendAsync(HttpMethod.Put, "sessions/NL/CPO/101", newer.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, newerPut.StatusCode);
        newer["status"] = "INVALID";
        newer["last_updated"] = "2015-06-29T22:50:00Z";
        (HttpResponseMessage olderPut, JsonElement olderBody) = await SendAsync(HttpMethod.Put, "sessions/NL/CPO/101", newer.ToJsonString());
        Assert.Equal((HttpStatusCode.OK, 1000), (olderPut.StatusCode, olderBody.GetProperty("status_code").GetInt32()));
        stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/sessions/NL/CPO/101"), HttpStatusCode.OK);
        Assert.Equal(("ACTIVE", "2015-06-29T23:00:00Z"), (stored.GetProperty("status").GetString(), stored.GetProperty("last_updated").GetString()));

        (HttpResponseMessage unknown, JsonElement unknownBody) = await SendAsync(HttpMethod.Patch, "sessions/NL/CPO/999", Ocpi211SpecExamples.SessionPatch);
        Assert.Equal((HttpStatusCode.NotFound, 2001), (unknown.StatusCode, unknownBody.GetProperty("status_code").GetInt32()));
        JsonObject noAuthId = JsonNode.Parse(Ocpi211SpecExamples.Session)!.AsObject();
        noAuthId.Remove("auth_id");
        (HttpResponseMessage invalid, JsonElement invalidBody) = await SendAsync(HttpMethod.Put, "sessions/NL/CPO/101", noAuthId.ToJsonString());
        Assert.Equal((HttpStatusCode.BadRequest, 2001), (invalid.StatusCode, invalidBody.GetProperty("status_code").GetInt32()));
        Assert.Contains("auth_id is required", invalidBody.GetProperty("status_message").GetString(), StringComparison.Ordinal);

        // Tariffs: PUT, the spec's PATCH, GET, DELETE; the spec's PUT example lacks last_updated: 2001.
        (HttpResponseMessage tariff, _) = await SendAsync(HttpMethod.Put, "tariffs/NL/CPO/12", Ocpi211SpecExamples.Tariff);
        Assert.Equal(HttpStatusCode.Created, tariff.StatusCode);
        (HttpResponseMessage tariffPatch, _) = await SendAsync(HttpMethod.Patch, "tariffs/NL/CPO/12", Ocpi211SpecExamples.TariffPatch);
        Assert.Equal(HttpStatusCode.OK, tariffPatch.StatusCode);
        (_, JsonElement gotTariff) = await SendAsync(HttpMethod.Get, "tariffs/NL/CPO/12");
        Assert.Equal(2.50m, gotTariff.GetProperty("data").GetProperty("elements")[0].GetProperty("price_components")[0].GetProperty("price").GetDecimal());
        JsonElement storedTariff = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/tariffs/NL/CPO/12"), HttpStatusCode.OK);
        Assert.Equal(("NL", "CPO"), (storedTariff.GetProperty("country_code").GetString(), storedTariff.GetProperty("party_id").GetString()));
        (HttpResponseMessage noDate, JsonElement noDateBody) = await SendAsync(HttpMethod.Put, "tariffs/NL/CPO/12", Ocpi211SpecExamples.TariffPutWithoutLastUpdated);
        Assert.Equal((HttpStatusCode.BadRequest, 2001), (noDate.StatusCode, noDateBody.GetProperty("status_code").GetInt32()));
        (HttpResponseMessage delete, _) = await SendAsync(HttpMethod.Delete, "tariffs/NL/CPO/12");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        (HttpResponseMessage gone, _) = await SendAsync(HttpMethod.Get, "tariffs/NL/CPO/12");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/tariffs/NL/CPO/12"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cdrs_FromA211Cpo_AreCreated_ServedAtTheirLocation_AndReadAs221()
    {
        (HttpResponseMessage post, JsonElement postBody) = await SendAsync(HttpMethod.Post, "cdrs", Ocpi211SpecExamples.Cdr);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(1000, postBody.GetProperty("status_code").GetInt32());
        string location = post.Headers.Location!.ToString();
        Assert.EndsWith("/ocpi/emsp/2.1.1/cdrs/NL/CPO/12345", location, StringComparison.Ordinal);

        (HttpResponseMessage get, JsonElement got) = await _http.SendAsync(HttpMethod.Get, location, _cpoToken, base64: false);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("2015-06-29T23:37:32Z", got.GetProperty("data").GetProperty("stop_date_time").GetString());
        Assert.Equal(4.00m, got.GetProperty("data").GetProperty("total_cost").GetDecimal());

        JsonElement stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/cdrs/NL/CPO/12345"), HttpStatusCode.OK);
        Assert.Equal("2015-06-29T23:37:32Z", stored.GetProperty("end_date_time").GetString());
        Assert.Equal(4.00m, stored.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(("3256", "IEC_62196_T2"), (stored.GetProperty("cdr_location").GetProperty("evse_uid").GetString(), stored.GetProperty("cdr_location").GetProperty("connector_standard").GetString()));
        Assert.Equal("NL", stored.GetProperty("tariffs")[0].GetProperty("country_code").GetString());

        // Delivered again: acknowledged, unchanged. Without total_cost: 2001.
        (HttpResponseMessage again, _) = await SendAsync(HttpMethod.Post, "cdrs", Ocpi211SpecExamples.Cdr);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        JsonObject noCost = JsonNode.Parse(Ocpi211SpecExamples.Cdr)!.AsObject();
        noCost["id"] = "12346";
        noCost.Remove("total_cost");
        (HttpResponseMessage invalid, JsonElement invalidBody) = await SendAsync(HttpMethod.Post, "cdrs", noCost.ToJsonString());
        Assert.Equal((HttpStatusCode.BadRequest, 2001), (invalid.StatusCode, invalidBody.GetProperty("status_code").GetInt32()));
        Assert.Contains("total_cost is required", invalidBody.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        JsonElement all = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/cdrs"), HttpStatusCode.OK);
        Assert.Equal(1, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Tokens_ArePushedPulledAndAuthorizedAt211()
    {
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/04A1B2C3D4", "{\"contractId\":\"DE-EMS-C1\"}"), HttpStatusCode.OK);
        JsonElement app = await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-1", "{\"type\":\"APP_USER\",\"contractId\":\"DE-EMS-C2\"}"), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/BLOCKED-1", "{\"contractId\":\"DE-EMS-C3\",\"valid\":false}"), HttpStatusCode.OK);

        // An APP_USER token is OTHER at 2.1.1, and reaches the 2.1.1 CPO.
        Assert.True(app.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean(), app.GetRawText());
        JsonElement roaming = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/roaming-tokens"), HttpStatusCode.OK);
        Assert.Equal("OTHER", Assert.Single(roaming.GetProperty("items").EnumerateArray(), t => t.GetProperty("uid").GetString() == "APP-1").GetProperty("type").GetString());

        (HttpResponseMessage page, JsonElement pageBody) = await SendAsync(HttpMethod.Get, "tokens?limit=2");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(2, pageBody.GetProperty("data").GetArrayLength());
        Assert.Equal("3", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("offset=2", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        (_, JsonElement all) = await SendAsync(HttpMethod.Get, "tokens");
        JsonElement pulled = Assert.Single(all.GetProperty("data").EnumerateArray(), t => t.GetProperty("uid").GetString() == "APP-1");
        Assert.Equal(("OTHER", "DE-EMS-C2"), (pulled.GetProperty("type").GetString(), pulled.GetProperty("auth_id").GetString()));
        Assert.False(pulled.TryGetProperty("country_code", out _));
        Assert.False(pulled.TryGetProperty("contract_id", out _));

        var where = new { location_id = "LOC1", evse_uids = new[] { "3256" }, connector_ids = new[] { "1", "2" } };
        (HttpResponseMessage allowed, JsonElement allowedBody) = await SendAsync(HttpMethod.Post, "tokens/04A1B2C3D4/authorize", JsonSerializer.Serialize(where));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        JsonElement info = allowedBody.GetProperty("data");
        Assert.Equal("ALLOWED", info.GetProperty("allowed").GetString());
        Assert.Equal(2, info.GetProperty("location").GetProperty("connector_ids").GetArrayLength());
        Assert.False(info.TryGetProperty("authorization_reference", out _));
        Assert.False(info.TryGetProperty("token", out _));

        (_, JsonElement other) = await SendAsync(HttpMethod.Post, "tokens/APP-1/authorize?type=OTHER");
        Assert.Equal("ALLOWED", other.GetProperty("data").GetProperty("allowed").GetString());
        (_, JsonElement blocked) = await SendAsync(HttpMethod.Post, "tokens/BLOCKED-1/authorize", JsonSerializer.Serialize(where));
        Assert.Equal("BLOCKED", blocked.GetProperty("data").GetProperty("allowed").GetString());
        Assert.False(blocked.GetProperty("data").TryGetProperty("location", out _));
        (HttpResponseMessage unknown, JsonElement unknownBody) = await SendAsync(HttpMethod.Post, "tokens/NOBODY/authorize");
        Assert.Equal((HttpStatusCode.NotFound, 2004), (unknown.StatusCode, unknownBody.GetProperty("status_code").GetInt32()));
    }

    [Fact]
    public async Task StartSession_ToA211Cpo_DrivesTheCharger_AndItsResultArrivesAtOur211Url()
    {
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-USER-1", "{\"type\":\"APP_USER\",\"contractId\":\"DE-EMS-C00000001-1\",\"whitelist\":\"NEVER\"}"),
            HttpStatusCode.OK);
        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");

        Task<HttpResponseMessage> start = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session",
            "{\"locationId\":\"LOC1\",\"evseUid\":\"EVSE-1\",\"tokenUid\":\"APP-USER-1\",\"tokenType\":\"APP_USER\",\"waitSeconds\":20}");
        (string messageId, JsonElement payload) = await ExpectCallAsync(charger, "RemoteStartTransaction");
        Assert.Equal("APP-USER-1", payload.GetProperty("idTag").GetString());
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");

        JsonElement command = await ApiClient.JsonAsync(await start, HttpStatusCode.OK);
        Assert.Equal("ACCEPTED", command.GetProperty("response").GetString());
        Assert.True(command.TryGetProperty("result", out JsonElement result) && result.GetString() == "ACCEPTED", command.GetRawText());
        Assert.True(!command.TryGetProperty("timeoutSeconds", out JsonElement timeout) || timeout.ValueKind == JsonValueKind.Null); // 2.1.1 CommandResponse has no timeout

        // What went to the CPO was a 2.1.1 StartSession with a 2.1.1 response_url.
        SentCommand sent = _pair.Emsp.Services.GetRequiredService<CommandSender>().Get(command.GetProperty("id").GetString()!)!;
        JsonElement request = JsonDocument.Parse(sent.RequestJson).RootElement;
        Assert.Contains("/ocpi/emsp/2.1.1/commands/START_SESSION/", request.GetProperty("response_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(("OTHER", "DE-EMS-C00000001-1"), (request.GetProperty("token").GetProperty("type").GetString(), request.GetProperty("token").GetProperty("auth_id").GetString()));

        // RESERVE_NOW with the 2.1.1 integer reservation id reaches the charger as ReserveNow.
        Task<HttpResponseMessage> reserve = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/reserve-now",
            "{\"locationId\":\"LOC1\",\"evseUid\":\"EVSE-1\",\"tokenUid\":\"APP-USER-1\",\"tokenType\":\"APP_USER\",\"reservationId\":\"7\",\"expiryDate\":\"2099-01-01T00:00:00Z\",\"waitSeconds\":20}");
        (string reserveId, JsonElement reservePayload) = await ExpectCallAsync(charger, "ReserveNow");
        Assert.Equal(7, reservePayload.GetProperty("reservationId").GetInt32());
        await AnswerAsync(charger, reserveId, "{\"status\":\"Accepted\"}");
        JsonElement reserved = await ApiClient.JsonAsync(await reserve, HttpStatusCode.OK);
        Assert.Equal(("ACCEPTED", "ACCEPTED"), (reserved.GetProperty("response").GetString(), reserved.GetProperty("result").GetString()));
        JsonElement reserveRequest = JsonDocument.Parse(_pair.Emsp.Services.GetRequiredService<CommandSender>().Get(reserved.GetProperty("id").GetString()!)!.RequestJson).RootElement;
        Assert.Equal(JsonValueKind.Number, reserveRequest.GetProperty("reservation_id").ValueKind);

        // The CPO cannot answer a command it was not sent; 2.1.1 has no CANCEL_RESERVATION.
        (HttpResponseMessage stranger, _) = await SendAsync(HttpMethod.Post, "commands/START_SESSION/not-a-command-of-ours", "{\"result\":\"ACCEPTED\"}");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        HttpResponseMessage cancel = await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/cancel-reservation", "{\"reservationId\":\"1\"}");
        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
    }

    [Fact]
    public async Task Commands_ThatOur211CpoRefusesWithAnHttpError_AreReadFromTheBody()
    {
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/T1", "{\"contractId\":\"DE-EMS-C1\"}"), HttpStatusCode.OK);

        // The CPO side at 2.1.1: a START_SESSION without its token is 2001 with HTTP 400, an unknown location 2003 with
        // HTTP 200 (a valid request), each with the CommandResponse REJECTED in data.
        string emspToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        string responseUrl = _pair.EmspBase + "/ocpi/emsp/2.1.1/commands/START_SESSION/1";
        (HttpResponseMessage invalid, JsonElement invalidBody) = await _http.SendAsync(
            HttpMethod.Post, _pair.CpoBase + "/ocpi/cpo/2.1.1/commands/START_SESSION", emspToken, new { response_url = responseUrl, location_id = "LOC1" }, base64: false);
        Assert.Equal((HttpStatusCode.BadRequest, 2001, "REJECTED"),
            (invalid.StatusCode, invalidBody.GetProperty("status_code").GetInt32(), invalidBody.GetProperty("data").GetProperty("result").GetString()));

        // The eMSP side: our 2.1.1 sender reads the CPO's REJECTED from the body and keeps the status for the operator.
        JsonElement unknown = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session", "{\"locationId\":\"NOWHERE\",\"tokenUid\":\"T1\"}"), HttpStatusCode.OK);
        Assert.Equal("REJECTED", unknown.GetProperty("response").GetString());
        Assert.Contains("HTTP 200 / 2003", unknown.GetProperty("responseMessage").GetString(), StringComparison.Ordinal);
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null) =>
        _http.SendAsync(method, _pair.EmspBase + "/ocpi/emsp/2.1.1/" + path, _cpoToken, body, base64: false);
}

using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpp.Authorization;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>A CPO instance and an eMSP instance of the server, roaming with each other over OCPI 2.2.1 (and 2.1.1).</summary>
public sealed class OcpiRoamingTests : IAsyncLifetime
{
    private OcpiPair _pair = null!;

    public async Task InitializeAsync() => _pair = await OcpiPair.StartAsync();

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Handshake_FromTokenA_RegistersBothSides_On221()
    {
        JsonElement cpoSeenByEmsp = await _pair.ConnectAsync();

        Assert.True(cpoSeenByEmsp.GetProperty("registered").GetBoolean());
        Assert.Equal("2.2.1", cpoSeenByEmsp.GetProperty("version").GetString());
        JsonElement role = cpoSeenByEmsp.GetProperty("roles")[0];
        Assert.Equal(("CPO", "NL", "CPO"), (role.GetProperty("role").GetString(), role.GetProperty("countryCode").GetString(), role.GetProperty("partyId").GetString()));
        Assert.Contains(cpoSeenByEmsp.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("identifier").GetString() == "commands" && e.GetProperty("role").GetString() == "RECEIVER");

        JsonElement emspSeenByCpo = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/partners/emsp"), HttpStatusCode.OK);
        Assert.True(emspSeenByCpo.GetProperty("registered").GetBoolean());
        Assert.False(emspSeenByCpo.GetProperty("tokenAPending").GetBoolean());
        Assert.Equal("EMSP", emspSeenByCpo.GetProperty("roles")[0].GetProperty("role").GetString());
        Assert.Equal("DE", emspSeenByCpo.GetProperty("roles")[0].GetProperty("countryCode").GetString());
    }

    [Fact]
    public async Task TokenA_IsSpentByTheHandshake_AndNeverOpensAModule()
    {
        string tokenA = await _pair.IssueTokenAAsync("hand");
        using var http = new OcpiHttp();

        // Token A opens versions (§4.1.3) …
        (HttpResponseMessage versions, JsonElement versionsBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/versions", tokenA);
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.Equal(1000, versionsBody.GetProperty("status_code").GetInt32());
        Assert.EndsWith("Z", versionsBody.GetProperty("timestamp").GetString(), StringComparison.Ordinal);

        // … but not a module: 401.
        (HttpResponseMessage module, JsonElement moduleBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations", tokenA);
        Assert.Equal(HttpStatusCode.Unauthorized, module.StatusCode);
        Assert.Equal(2000, moduleBody.GetProperty("status_code").GetInt32());

        // PUT and DELETE before registration: 405.
        (HttpResponseMessage put, _) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/2.2.1/credentials", tokenA, new { token = "x", url = "http://127.0.0.1:1/", roles = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        (HttpResponseMessage delete, _) = await http.SendAsync(HttpMethod.Delete, _pair.CpoBase + "/ocpi/2.2.1/credentials", tokenA);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
    }

    [Fact]
    public async Task PostCredentials_WhenRegistered_Is405_AndUnreachablePartner_Is3001()
    {
        string tokenA = await _pair.IssueTokenAAsync("hand");
        using var http = new OcpiHttp();
        var credentials = new
        {
            token = "token-b-of-a-partner-that-is-not-there",
            url = "http://127.0.0.1:1/ocpi/versions",
            roles = new[] { new { role = "EMSP", party_id = "XXX", country_code = "FR", business_details = new { name = "Nobody" } } },
        };

        (HttpResponseMessage response, JsonElement body) = await http.SendAsync(HttpMethod.Post, _pair.CpoBase + "/ocpi/2.2.1/credentials", tokenA, credentials);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3001, body.GetProperty("status_code").GetInt32());

        await _pair.ConnectAsync();
        OcpiPartner emsp = _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!;
        Assert.True(emsp.Registered);
        (HttpResponseMessage again, _) = await http.SendAsync(HttpMethod.Post, _pair.EmspBase + "/ocpi/2.2.1/credentials", _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.OutgoingToken, credentials);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, again.StatusCode);
    }

    [Theory]
    [InlineData(null)] // no Authorization header
    [InlineData("not-a-token-anyone-issued")] // unknown token
    public async Task MissingOrUnknownToken_Is401_With2000(string? token)
    {
        using var http = new OcpiHttp();
        (HttpResponseMessage response, JsonElement body) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/versions", token,
            headers: new Dictionary<string, string> { ["X-Request-ID"] = "req-1", ["X-Correlation-ID"] = "corr-1" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2000, body.GetProperty("status_code").GetInt32());
        Assert.Equal("req-1", response.Headers.GetValues("X-Request-ID").Single());
        Assert.Equal("corr-1", response.Headers.GetValues("X-Correlation-ID").Single());
    }

    [Fact]
    public async Task EmspToken_IsPushedToTheCpo_AndAuthorizesAtItsCharger()
    {
        await _pair.ConnectAsync();
        JsonElement put = await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/04A1B2C3D4", "{\"contractId\":\"DE-EMS-C12345678-X\",\"issuer\":\"Test eMSP\",\"whitelist\":\"ALLOWED\"}"),
            HttpStatusCode.OK);
        Assert.True(put.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean());

        JsonElement roaming = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/roaming-tokens"), HttpStatusCode.OK);
        JsonElement token = Assert.Single(roaming.GetProperty("items").EnumerateArray());
        Assert.Equal("DE", token.GetProperty("country_code").GetString());
        Assert.Equal(TokenSource.Roaming, _pair.Cpo.Services.GetRequiredService<TokenStore>().Get("04A1B2C3D4")!.Source);

        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");
        JsonElement authorize = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "04A1B2C3D4" }), "Authorize");
        Assert.Equal("Accepted", authorize.GetProperty("idTagInfo").GetProperty("status").GetString());

        // Invalidated by the eMSP: Blocked at the charger.
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/04A1B2C3D4", "{\"contractId\":\"DE-EMS-C12345678-X\",\"valid\":false}"), HttpStatusCode.OK);
        authorize = OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag = "04A1B2C3D4" }), "Authorize");
        Assert.Equal("Blocked", authorize.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task StartSession_DrivesTheCharger_AndTheEmspReceivesTheCommandResult()
    {
        await _pair.ConnectAsync();
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-USER-1", "{\"type\":\"APP_USER\",\"contractId\":\"DE-EMS-C00000001-1\",\"whitelist\":\"NEVER\"}"),
            HttpStatusCode.OK);
        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");

        Task<HttpResponseMessage> start = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session",
            "{\"locationId\":\"LOC1\",\"evseUid\":\"EVSE-1\",\"tokenUid\":\"APP-USER-1\",\"tokenType\":\"APP_USER\",\"waitSeconds\":20}");
        (string messageId, JsonElement payload) = await ExpectCallAsync(charger, "RemoteStartTransaction");
        Assert.Equal("APP-USER-1", payload.GetProperty("idTag").GetString());
        Assert.Equal(1, payload.GetProperty("connectorId").GetInt32());
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");

        JsonElement command = await ApiClient.JsonAsync(await start, HttpStatusCode.OK);
        Assert.Equal("ACCEPTED", command.GetProperty("response").GetString());
        Assert.Equal("ACCEPTED", command.GetProperty("result").GetString());
        Assert.True(command.GetProperty("timeoutSeconds").GetInt32() > 0);

        // The token is NEVER-whitelisted, yet the charger's start is accepted: the eMSP authorized it by START_SESSION.
        JsonElement started = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "APP-USER-1", meterStart = 0, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        Assert.Equal("Accepted", started.GetProperty("idTagInfo").GetProperty("status").GetString());
        int transactionId = started.GetProperty("transactionId").GetInt32();

        // STOP_SESSION with the session id (our transaction id) reaches the charger as RemoteStopTransaction.
        Task<HttpResponseMessage> stop = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/stop-session", $"{{\"sessionId\":\"{transactionId}\",\"waitSeconds\":20}}");
        (string stopId, JsonElement stopPayload) = await ExpectCallAsync(charger, "RemoteStopTransaction");
        Assert.Equal(transactionId, stopPayload.GetProperty("transactionId").GetInt32());
        await AnswerAsync(charger, stopId, "{\"status\":\"Rejected\"}");
        JsonElement stopped = await ApiClient.JsonAsync(await stop, HttpStatusCode.OK);
        Assert.Equal("REJECTED", stopped.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Commands_ForUnknownLocationsSessionsOrOfflineChargers_AreRefusedAtOnce()
    {
        await _pair.ConnectAsync();
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/T1", "{\"contractId\":\"DE-EMS-C1\"}"), HttpStatusCode.OK);

        JsonElement unknownLocation = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session", "{\"locationId\":\"NOWHERE\",\"tokenUid\":\"T1\"}"), HttpStatusCode.OK);
        Assert.Equal("REJECTED", unknownLocation.GetProperty("response").GetString());
        // Our CPO answered 2003 with the CommandResponse in data: the sender read it, and keeps the status for the operator.
        Assert.Contains("HTTP 200 / 2003", unknownLocation.GetProperty("responseMessage").GetString(), StringComparison.Ordinal);

        JsonElement offline = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session", "{\"locationId\":\"LOC2\",\"evseUid\":\"EVSE-2\",\"tokenUid\":\"T1\"}"), HttpStatusCode.OK);
        Assert.Equal("REJECTED", offline.GetProperty("response").GetString());

        JsonElement unknownSession = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/stop-session", "{\"sessionId\":\"987654\"}"), HttpStatusCode.OK);
        Assert.Equal("UNKNOWN_SESSION", unknownSession.GetProperty("response").GetString());
    }

    [Theory]
    [InlineData("START_SESSION", "{\"location_id\":\"LOC1\"}", HttpStatusCode.BadRequest, 2001)] // no token
    [InlineData("START_SESSION", "{TOKEN,\"location_id\":\"NOWHERE\"}", HttpStatusCode.OK, 2003)] // unknown location: a valid request (OCPI 2.2.1 status codes: no HTTP error)
    [InlineData("START_SESSION", "{TOKEN,\"location_id\":\"LOC1\",\"evse_uid\":\"NO-EVSE\"}", HttpStatusCode.OK, 2003)] // unknown EVSE
    [InlineData("UNLOCK_CONNECTOR", "{\"location_id\":\"LOC1\",\"evse_uid\":\"EVSE-1\",\"connector_id\":\"99\"}", HttpStatusCode.OK, 2003)] // unknown connector
    [InlineData("RESERVE_NOW", "{TOKEN,\"location_id\":\"LOC1\"}", HttpStatusCode.BadRequest, 2001)] // no reservation_id, no expiry_date
    [InlineData("CANCEL_RESERVATION", "{}", HttpStatusCode.BadRequest, 2001)] // no reservation_id
    [InlineData("SELF_DESTRUCT", "{}", HttpStatusCode.BadRequest, 2001)] // not a command of the spec
    [InlineData("STOP_SESSION", "{\"session_id\":\"987654\"}", HttpStatusCode.OK, 1000)] // a valid request the CPO refuses: UNKNOWN_SESSION
    public async Task CommandsReceiver_AnswersClientErrors_WithTheHttpStatusOfEveryReceiver_AndTheCommandResponse(
        string command, string body, HttpStatusCode http, int statusCode)
    {
        await _pair.ConnectAsync();
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        const string Token = "\"token\":{\"country_code\":\"DE\",\"party_id\":\"EMS\",\"uid\":\"T1\",\"type\":\"RFID\",\"contract_id\":\"DE-EMS-C1\","
            + "\"issuer\":\"EMS\",\"valid\":true,\"whitelist\":\"ALWAYS\",\"last_updated\":\"2026-01-01T00:00:00Z\"}";
        string fields = body[1..^1].Replace("TOKEN", Token, StringComparison.Ordinal);
        string json = "{\"response_url\":\"" + _pair.EmspBase + "/ocpi/emsp/2.2.1/commands/" + command + "/1\"" + (fields.Length == 0 ? "" : "," + fields) + "}";

        using var ocpi = new OcpiHttp();
        (HttpResponseMessage response, JsonElement answer) = await ocpi.SendAsync(HttpMethod.Post, _pair.CpoBase + "/ocpi/cpo/2.2.1/commands/" + command, cpoToken, json);

        Assert.Equal((http, statusCode), (response.StatusCode, answer.GetProperty("status_code").GetInt32()));
        string result = answer.GetProperty("data").GetProperty("result").GetString()!;
        Assert.Equal(statusCode == 1000 ? "UNKNOWN_SESSION" : command == "SELF_DESTRUCT" ? "NOT_SUPPORTED" : "REJECTED", result);
    }

    [Fact]
    public async Task PartyScoping_APartnerOnlyReadsAndWritesItsOwnParty()
    {
        await _pair.ConnectAsync();
        string emspToken = _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.OutgoingToken!;
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        using var http = new OcpiHttp();
        var foreign = new
        {
            country_code = "FR", party_id = "OTH", uid = "X1", type = "RFID", contract_id = "FR-OTH-1", issuer = "Other", valid = true,
            whitelist = "ALWAYS", last_updated = "2026-01-01T00:00:00Z",
        };

        // The eMSP (DE/EMS) may not PUT a token under FR/OTH at the CPO …
        (HttpResponseMessage put, _) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/FR/OTH/X1", cpoToken, foreign);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);

        // … nor a token whose body names another party than its URL …
        (HttpResponseMessage mismatch, JsonElement mismatchBody) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/X1", cpoToken, foreign);
        Assert.Equal(2001, mismatchBody.GetProperty("status_code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);

        // … nor claim another party in the routing headers.
        (HttpResponseMessage routed, _) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations", cpoToken,
            headers: new Dictionary<string, string> { ["OCPI-from-country-code"] = "FR", ["OCPI-from-party-id"] = "OTH" });
        Assert.Equal(HttpStatusCode.BadRequest, routed.StatusCode);

        // The CPO's answer to a routed request names both parties.
        (HttpResponseMessage ok, _) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations", cpoToken,
            headers: new Dictionary<string, string> { ["OCPI-from-country-code"] = "DE", ["OCPI-from-party-id"] = "EMS", ["OCPI-to-country-code"] = "NL", ["OCPI-to-party-id"] = "CPO" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("DE", ok.Headers.GetValues("OCPI-to-country-code").Single());
        Assert.Equal("CPO", ok.Headers.GetValues("OCPI-from-party-id").Single());

        // The CPO may not push a location under the eMSP's party to the eMSP.
        (HttpResponseMessage location, _) = await http.SendAsync(HttpMethod.Put, _pair.EmspBase + "/ocpi/emsp/2.2.1/locations/DE/EMS/L1", emspToken, new { id = "L1" });
        Assert.Equal(HttpStatusCode.NotFound, location.StatusCode);
    }

    [Fact]
    public async Task PatchOfAnUnknownToken_Is404_AndAPatchWithoutLastUpdated_Is2001()
    {
        await _pair.ConnectAsync();
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        using var http = new OcpiHttp();

        (HttpResponseMessage unknown, JsonElement unknownBody) = await http.SendAsync(HttpMethod.Patch, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/NOPE", cpoToken,
            new { valid = false, last_updated = "2026-02-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(2004, unknownBody.GetProperty("status_code").GetInt32());

        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/P1", "{\"contractId\":\"DE-EMS-P1\",\"whitelist\":\"ALWAYS\"}"), HttpStatusCode.OK);
        (HttpResponseMessage noDate, JsonElement noDateBody) = await http.SendAsync(HttpMethod.Patch, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/P1", cpoToken, new { valid = false });
        Assert.Equal(2001, noDateBody.GetProperty("status_code").GetInt32());
        Assert.NotEqual(HttpStatusCode.OK, noDate.StatusCode);

        (HttpResponseMessage patched, _) = await http.SendAsync(HttpMethod.Patch, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/P1", cpoToken,
            new { valid = false, last_updated = "2030-02-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        (_, JsonElement got) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/P1?type=RFID", cpoToken);
        Assert.False(got.GetProperty("data").GetProperty("valid").GetBoolean());
        Assert.Equal("2030-02-01T00:00:00Z", got.GetProperty("data").GetProperty("last_updated").GetString());
    }

    [Fact]
    public async Task LocationPages_FollowLinks_AndHonourDateBounds()
    {
        await _pair.ConnectAsync();
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        using var http = new OcpiHttp();

        (HttpResponseMessage first, JsonElement firstBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations?limit=2", cpoToken);
        Assert.Equal(2, firstBody.GetProperty("data").GetArrayLength());
        Assert.Equal("3", first.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("2", first.Headers.GetValues("X-Limit").Single());
        string link = first.Headers.GetValues("Link").Single();
        Assert.Contains("offset=2", link, StringComparison.Ordinal);
        Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);

        string next = link[1..link.IndexOf('>', StringComparison.Ordinal)];
        (HttpResponseMessage last, JsonElement lastBody) = await http.SendAsync(HttpMethod.Get, next, cpoToken);
        Assert.Equal("LOC3", lastBody.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.False(last.Headers.Contains("Link"));

        // date_from inclusive, date_to exclusive (configured last_updated: LOC1 Jan 1, LOC2 Jan 2, LOC3 Jan 3; chargers offline).
        (_, JsonElement window) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations?date_from=2026-01-02T00:00:00Z&date_to=2026-01-03T00:00:00Z", cpoToken);
        Assert.Equal("LOC2", Assert.Single(window.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        (HttpResponseMessage beyond, JsonElement beyondBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations?offset=10", cpoToken);
        Assert.Equal(0, beyondBody.GetProperty("data").GetArrayLength());
        Assert.Equal("3", beyond.Headers.GetValues("X-Total-Count").Single());

        (HttpResponseMessage big, _) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations?limit=999999", cpoToken);
        Assert.Equal("1000", big.Headers.GetValues("X-Limit").Single());

        (HttpResponseMessage bad, JsonElement badBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations?date_from=yesterday", cpoToken);
        Assert.Equal(2001, badBody.GetProperty("status_code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // The eMSP's client follows the links itself.
        JsonElement pulled = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/partners/cpo/pull/locations"), HttpStatusCode.OK);
        Assert.Equal(3, pulled.GetProperty("stored").GetInt32());
        JsonElement stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/locations/NL/CPO/LOC1"), HttpStatusCode.OK);
        Assert.Equal("UNKNOWN", stored.GetProperty("evses")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task EvseStatus_FollowsTheLiveConnector()
    {
        await _pair.ConnectAsync();
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        using var http = new OcpiHttp();
        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");

        (_, JsonElement available) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations/LOC1/EVSE-1", cpoToken);
        Assert.Equal("AVAILABLE", available.GetProperty("data").GetProperty("status").GetString());

        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "GroundFailure", status = "Faulted" }), "StatusNotification");
        (_, JsonElement faulted) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations/LOC1/EVSE-1", cpoToken);
        Assert.Equal("OUTOFORDER", faulted.GetProperty("data").GetProperty("status").GetString());

        (HttpResponseMessage missing, JsonElement missingBody) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations/LOC9", cpoToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2003, missingBody.GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task LocationPush_ToTheEmsp_StoresIt_AndAChildPatchBumpsTheParent()
    {
        await _pair.ConnectAsync();
        string emspToken = _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.OutgoingToken!;
        using var http = new OcpiHttp();
        string url = _pair.EmspBase + "/ocpi/emsp/2.2.1/locations/NL/CPO/LOC9";
        var location = new
        {
            country_code = "NL", party_id = "CPO", id = "LOC9", publish = true, address = "Stationsplein 1", city = "Amsterdam", country = "NLD",
            coordinates = new { latitude = "52.37403", longitude = "4.88969" }, time_zone = "Europe/Amsterdam", last_updated = "2026-01-01T00:00:00Z",
            evses = new[]
            {
                new
                {
                    uid = "EVSE-1", status = "AVAILABLE", last_updated = "2026-01-01T00:00:00Z",
                    connectors = new[] { new { id = "1", standard = "IEC_62196_T2", format = "SOCKET", power_type = "AC_3_PHASE", max_voltage = 230, max_amperage = 32, last_updated = "2026-01-01T00:00:00Z" } },
                },
            },
        };

        (HttpResponseMessage created, _) = await http.SendAsync(HttpMethod.Put, url, emspToken, location);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        (HttpResponseMessage patched, _) = await http.SendAsync(HttpMethod.Patch, url + "/EVSE-1", emspToken, new { status = "CHARGING", last_updated = "2026-03-01T12:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        JsonElement stored = await ApiClient.JsonAsync(await _pair.EmspApi.GetAsync("api/v1/ocpi/locations/NL/CPO/LOC9"), HttpStatusCode.OK);
        Assert.Equal("CHARGING", stored.GetProperty("evses")[0].GetProperty("status").GetString());
        Assert.Equal("2026-03-01T12:00:00Z", stored.GetProperty("last_updated").GetString());

        (HttpResponseMessage unknownEvse, _) = await http.SendAsync(HttpMethod.Patch, url + "/EVSE-9", emspToken, new { status = "CHARGING", last_updated = "2026-03-01T12:00:00Z" });
        Assert.Equal(HttpStatusCode.NotFound, unknownEvse.StatusCode);
    }

    [Fact]
    public async Task Handshake_On211_WithPlainTokens_ThenATokenPush()
    {
        JsonElement cpo = await _pair.ConnectAsync(version: "2.1.1", encoding: "Plain");
        Assert.Equal("2.1.1", cpo.GetProperty("version").GetString());
        Assert.Equal("Plain", cpo.GetProperty("tokenEncoding").GetString());
        JsonElement emsp = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/partners/emsp"), HttpStatusCode.OK);
        Assert.Equal("2.1.1", emsp.GetProperty("version").GetString());
        Assert.Equal("Plain", emsp.GetProperty("tokenEncoding").GetString());

        JsonElement put = await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/OLD-1", "{\"contractId\":\"DE-EMS-OLD1\",\"whitelist\":\"ALWAYS\"}"), HttpStatusCode.OK);
        Assert.True(put.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean());
        Assert.Equal(TokenSource.Roaming, _pair.Cpo.Services.GetRequiredService<TokenStore>().Get("OLD-1")!.Source);
    }

    [Fact]
    public async Task Unregister_FromEitherSide_EndsAccess()
    {
        await _pair.ConnectAsync();
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        await ApiClient.JsonAsync(await _pair.EmspApi.DeleteAsync("api/v1/ocpi/partners/cpo"), HttpStatusCode.NoContent);

        Assert.False(_pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.Registered);
        using var http = new OcpiHttp();
        (HttpResponseMessage after, _) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/locations", cpoToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}

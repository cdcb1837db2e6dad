using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// The CPO's side of OCPI 2.1.1 against a minimal 2.1.1 eMSP on loopback: the CPO registers with it through the admin
/// API (2.1.1 credentials), then the eMSP gets the CPO's locations, tariffs, sessions and CDRs pushed in their 2.1.1
/// form (2.1.1 paths, plain token, no routing headers) and can GET the same from the CPO's 2.1.1 Sender interfaces.
/// </summary>
public sealed class Ocpi211CpoTests : IAsyncLifetime
{
    /// <summary>0.30/kWh excl. 21 % VAT, owned by the CPO's party so it is published and pushed.</summary>
    private const string Tariff = """
        {"country_code":"NL","party_id":"CPO","id":"ROAM-211","currency":"EUR",
         "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"vat":21.0,"step_size":1}]}],
         "last_updated":"2026-11-01T00:00:00Z"}
        """;

    private TestServer _cpo = null!;
    private ApiClient _api = null!;
    private Fake211Emsp _fake = null!;

    private string CpoBase => $"http://127.0.0.1:{_cpo.HttpEndPoint.Port}";

    public async Task InitializeAsync()
    {
        _cpo = await TestServer.StartAsync(ApiClient.ServerArgs(
            [.. OcpiPair.CpoArgs(), "--Ocpi:Push:SessionUpdateInterval=00:00:00", "--Ocpi:Push:RetryBase=00:00:00.200", "--Ocpi:Push:RetryMax=00:00:01"]));
        _api = new ApiClient(_cpo);
        _fake = await Fake211Emsp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _fake.DisposeAsync();
        await _cpo.DisposeAsync();
    }

    [Fact]
    public async Task A211Emsp_GetsLocationsTariffsSessionsAndCdrs_In211Form_PushedAndOnGet()
    {
        // Handshake at 2.1.1: the CPO registers with the eMSP's versions URL and token A (the eMSP accepts only plain tokens).
        string register = JsonSerializer.Serialize(new { id = "fake211", versionsUrl = _fake.Base + "/versions", token = Fake211Emsp.TokenA, version = "2.1.1" });
        JsonElement partner = await ApiClient.JsonAsync(await _api.PostAsync("api/v1/ocpi/partners/register", register), HttpStatusCode.OK);
        Assert.Equal("2.1.1", partner.GetProperty("version").GetString());
        Assert.NotNull(_fake.TokenB);

        // Initial locations sync: a PUT of each published location, in 2.1.1 form, on the 2.1.1 path.
        await WaitAsync(() => _fake.Received("PUT", "/locations/NL/CPO/LOC1").Count == 1);
        JsonElement location = JsonDocument.Parse(_fake.Received("PUT", "/locations/NL/CPO/LOC1")[0].Body).RootElement;
        AssertLocation211(location, evses: 1);
        Assert.Equal("Garage 1", location.GetProperty("name").GetString());

        // A tariff change: PUT of the 2.1.1 Tariff (no owner, no VAT).
        await ApiClient.JsonAsync(await _api.PutAsync("api/v1/tariffs/ROAM-211", Tariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await _api.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-OCPI-1\",\"tariffId\":\"ROAM-211\"}"), HttpStatusCode.OK);
        await WaitAsync(() => _fake.Received("PUT", "/tariffs/NL/CPO/ROAM-211").Count == 1);
        JsonElement tariff = JsonDocument.Parse(_fake.Received("PUT", "/tariffs/NL/CPO/ROAM-211")[0].Body).RootElement;
        Assert.False(tariff.TryGetProperty("country_code", out _));
        JsonElement component = tariff.GetProperty("elements")[0].GetProperty("price_components")[0];
        Assert.Equal(0.30m, component.GetProperty("price").GetDecimal());
        Assert.False(component.TryGetProperty("vat", out _));

        // The eMSP whitelists one of its tokens at the CPO (2.1.1 Token, plain token B).
        using var http = new OcpiHttp();
        (HttpResponseMessage put, JsonElement putBody) = await http.SendAsync(HttpMethod.Put, CpoBase + "/ocpi/cpo/2.1.1/tokens/DE/FAK/TAG-211", _fake.TokenB, new
        {
            uid = "TAG-211", type = "RFID", auth_id = "DE-FAK-C00000211-1", issuer = "Fake 2.1.1", valid = true, whitelist = "ALWAYS", last_updated = "2026-01-01T00:00:00Z",
        }, base64: false);
        Assert.True(put.IsSuccessStatusCode, putBody.GetRawText());

        // A roaming charge: PUT at the start, PATCHes while charging and at the end, then the CDR POST — all 2.1.1.
        await using RawCharger charger = await ConnectAndBootAsync(_cpo, "CP-OCPI-1", "ocpp1.6");
        int transactionId = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-211", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();
        string id = transactionId.ToString(CultureInfo.InvariantCulture);

        // The charger's status reached the eMSP as a 2.1.1 EVSE PATCH (mod_locations §2.2.3).
        await WaitAsync(() => _fake.Received("PATCH", "/locations/NL/CPO/LOC1/EVSE-1").Count >= 1);
        JsonElement evsePatch = JsonDocument.Parse(_fake.Received("PATCH", "/locations/NL/CPO/LOC1/EVSE-1")[0].Body).RootElement;
        Assert.Contains(evsePatch.GetProperty("status").GetString(), new[] { "AVAILABLE", "CHARGING", "UNKNOWN" });
        Assert.True(evsePatch.TryGetProperty("last_updated", out _));
        string sessionPath = "/sessions/NL/CPO/" + id;
        await WaitAsync(() => _fake.Received("PUT", sessionPath).Count == 1);
        JsonElement session = JsonDocument.Parse(_fake.Received("PUT", sessionPath)[0].Body).RootElement;
        Assert.Equal(id, session.GetProperty("id").GetString());
        Assert.Equal("2026-11-24T10:00:00Z", session.GetProperty("start_datetime").GetString());
        Assert.False(session.TryGetProperty("start_date_time", out _));
        Assert.False(session.TryGetProperty("cdr_token", out _));
        Assert.Equal(("DE-FAK-C00000211-1", "WHITELIST", "ACTIVE"), (session.GetProperty("auth_id").GetString(), session.GetProperty("auth_method").GetString(), session.GetProperty("status").GetString()));
        Assert.Equal(0m, session.GetProperty("kwh").GetDecimal());
        AssertLocation211(session.GetProperty("location"), evses: 1);
        Assert.Equal("EVSE-1", session.GetProperty("location").GetProperty("evses")[0].GetProperty("uid").GetString());

        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp = "2026-11-24T10:30:00Z", sampledValue = new[] { new { value = "6000", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        }), "MeterValues");
        await WaitAsync(() => _fake.Received("PATCH", sessionPath).Exists(r => JsonDocument.Parse(r.Body).RootElement.TryGetProperty("kwh", out JsonElement kwh) && kwh.GetDecimal() == 5m));
        JsonElement progress = JsonDocument.Parse(_fake.Received("PATCH", sessionPath).Last(r => r.Body.Contains("\"kwh\"", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal(JsonValueKind.Number, progress.GetProperty("total_cost").ValueKind);
        Assert.True(progress.TryGetProperty("last_updated", out _));

        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 13000, timestamp = "2026-11-24T11:15:00Z", reason = "Local" }), "StopTransaction");
        await WaitAsync(() => _fake.Received("PATCH", sessionPath).Exists(r => r.Body.Contains("COMPLETED", StringComparison.Ordinal)));
        JsonElement ended = JsonDocument.Parse(_fake.Received("PATCH", sessionPath).First(r => r.Body.Contains("COMPLETED", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal("2026-11-24T11:15:00Z", ended.GetProperty("end_datetime").GetString());
        Assert.False(ended.TryGetProperty("end_date_time", out _));

        await WaitAsync(() => _fake.Received("POST", "/cdrs").Count == 1);
        JsonElement cdr = JsonDocument.Parse(_fake.Received("POST", "/cdrs")[0].Body).RootElement;
        Assert.Equal(_cpo.CdrIdOf(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)), cdr.GetProperty("id").GetString());
        Assert.Equal(("2026-11-24T10:00:00Z", "2026-11-24T11:15:00Z"), (cdr.GetProperty("start_date_time").GetString(), cdr.GetProperty("stop_date_time").GetString()));
        Assert.Equal(3.60m, cdr.GetProperty("total_cost").GetDecimal()); // 12 kWh × 0.30, excl. VAT
        Assert.Equal(12m, cdr.GetProperty("total_energy").GetDecimal());
        Assert.Equal(1.25m, cdr.GetProperty("total_time").GetDecimal());
        Assert.Equal(("DE-FAK-C00000211-1", "WHITELIST"), (cdr.GetProperty("auth_id").GetString(), cdr.GetProperty("auth_method").GetString()));
        Assert.False(cdr.TryGetProperty("cdr_location", out _));
        Assert.False(cdr.TryGetProperty("country_code", out _));
        AssertLocation211(cdr.GetProperty("location"), evses: 1);
        Assert.Equal("ROAM-211", Assert.Single(cdr.GetProperty("tariffs").EnumerateArray()).GetProperty("id").GetString());
        Assert.All(cdr.GetProperty("charging_periods").EnumerateArray(), p =>
        {
            Assert.False(p.TryGetProperty("tariff_id", out _));
            Assert.All(p.GetProperty("dimensions").EnumerateArray(), d => Assert.Contains(d.GetProperty("type").GetString(), new[] { "ENERGY", "FLAT", "MAX_CURRENT", "MIN_CURRENT", "PARKING_TIME", "TIME" }));
        });

        // The session's last PATCH carries the CDR's price.
        await WaitAsync(() => _fake.Received("PATCH", sessionPath).Exists(r => JsonDocument.Parse(r.Body).RootElement.TryGetProperty("total_cost", out JsonElement c) && c.GetDecimal() == 3.60m));

        // Every push: the plain token the eMSP issued, no 2.2.1 routing headers.
        Assert.All(_fake.Requests.Where(r => !r.Path.StartsWith("/versions", StringComparison.Ordinal) && !r.Path.StartsWith("/2.1.1", StringComparison.Ordinal)), r =>
        {
            Assert.Equal("Token " + Fake211Emsp.TokenC, r.Authorization);
            Assert.False(r.RoutingHeaders, r.Method + " " + r.Path + " carried OCPI-from/to headers");
        });

        // The 2.1.1 version details list the CPO's senders without roles.
        (_, JsonElement details) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/2.1.1", _fake.TokenB, base64: false);
        JsonElement[] endpoints = [.. details.GetProperty("data").GetProperty("endpoints").EnumerateArray()];
        foreach (string module in new[] { "locations", "sessions", "cdrs", "tariffs" })
        {
            JsonElement endpoint = Assert.Single(endpoints, e => e.GetProperty("identifier").GetString() == module);
            Assert.Equal(CpoBase + "/ocpi/cpo/2.1.1/" + module, endpoint.GetProperty("url").GetString());
            Assert.False(endpoint.TryGetProperty("role", out _));
        }

        // GETs from the CPO's 2.1.1 Sender interfaces, paginated, with the plain token.
        (HttpResponseMessage page, JsonElement locations) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/locations?limit=2", _fake.TokenB, base64: false);
        Assert.Equal(1000, locations.GetProperty("status_code").GetInt32());
        Assert.Equal(2, locations.GetProperty("data").GetArrayLength());
        Assert.All(locations.GetProperty("data").EnumerateArray(), l => AssertLocation211(l, evses: 1));
        Assert.Equal("3", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("2", page.Headers.GetValues("X-Limit").Single());
        Assert.Contains("/ocpi/cpo/2.1.1/locations?", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        (_, JsonElement evse) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/locations/LOC1/EVSE-1/1", _fake.TokenB, base64: false);
        Assert.Equal(230, evse.GetProperty("data").GetProperty("voltage").GetInt32());
        (HttpResponseMessage missing, _) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/locations/NOPE", _fake.TokenB, base64: false);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        (_, JsonElement sessions) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/sessions?date_from=2020-01-01T00:00:00Z", _fake.TokenB, base64: false);
        JsonElement listed = Assert.Single(sessions.GetProperty("data").EnumerateArray());
        Assert.Equal(("COMPLETED", 12m, 3.60m), (listed.GetProperty("status").GetString(), listed.GetProperty("kwh").GetDecimal(), listed.GetProperty("total_cost").GetDecimal()));
        (_, JsonElement cdrs) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/cdrs", _fake.TokenB, base64: false);
        Assert.Equal(cdr.GetRawText(), Assert.Single(cdrs.GetProperty("data").EnumerateArray()).GetRawText());
        (_, JsonElement tariffs) = await http.SendAsync(HttpMethod.Get, CpoBase + "/ocpi/cpo/2.1.1/tariffs", _fake.TokenB, base64: false);
        Assert.Equal(tariff.GetRawText(), Assert.Single(tariffs.GetProperty("data").EnumerateArray()).GetRawText());

        Assert.Equal(0, (await ApiClient.JsonAsync(await _api.GetAsync("api/v1/ocpi/outbox/dead-letters"), HttpStatusCode.OK)).GetArrayLength());
    }

    /// <summary>The required properties of a 2.1.1 Location, EVSE and Connector (mod_locations §3.1-§3.3) and none of 2.2.1's own.</summary>
    private static void AssertLocation211(JsonElement location, int evses)
    {
        foreach (string name in new[] { "id", "type", "address", "city", "postal_code", "country", "coordinates", "last_updated" })
        {
            Assert.True(location.TryGetProperty(name, out _), "location without " + name + ": " + location.GetRawText());
        }

        Assert.Contains(location.GetProperty("type").GetString(), new[] { "ON_STREET", "PARKING_GARAGE", "UNDERGROUND_GARAGE", "PARKING_LOT", "OTHER", "UNKNOWN" });
        Assert.Matches(@"^-?[0-9]{1,2}\.[0-9]{6}$", location.GetProperty("coordinates").GetProperty("latitude").GetString());
        foreach (string name in new[] { "country_code", "party_id", "publish", "parking_type" })
        {
            Assert.False(location.TryGetProperty(name, out _), "2.2.1 field " + name + " in a 2.1.1 location");
        }

        Assert.Equal(evses, location.GetProperty("evses").GetArrayLength());
        JsonElement evse = location.GetProperty("evses")[0];
        Assert.True(evse.TryGetProperty("uid", out _) && evse.TryGetProperty("status", out _) && evse.TryGetProperty("last_updated", out _));
        JsonElement connector = Assert.Single(evse.GetProperty("connectors").EnumerateArray());
        foreach (string name in new[] { "id", "standard", "format", "power_type", "voltage", "amperage", "last_updated" })
        {
            Assert.True(connector.TryGetProperty(name, out _), "connector without " + name + ": " + connector.GetRawText());
        }

        Assert.False(connector.TryGetProperty("max_voltage", out _));
        Assert.False(connector.TryGetProperty("tariff_ids", out _));
    }

    /// <summary>Waits (bounded: 20 s) for the condition; on timeout says what the eMSP received and what the CPO still holds.</summary>
    private async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                string outbox = await (await _api.GetAsync("api/v1/ocpi/outbox")).Content.ReadAsStringAsync();
                string dead = await (await _api.GetAsync("api/v1/ocpi/outbox/dead-letters")).Content.ReadAsStringAsync();
                string partners = await (await _api.GetAsync("api/v1/ocpi/partners")).Content.ReadAsStringAsync();
                throw new TimeoutException(
                    "received: " + string.Join(" | ", _fake.Requests.Select(r => r.Method + " " + r.Path)) + "; outbox: " + outbox + "; dead: " + dead + "; partners: " + partners);
            }

            await Task.Delay(25, CancellationToken.None);
        }
    }

    /// <summary>
    /// A minimal OCPI 2.1.1 eMSP on loopback: versions, 2.1.1 details (credentials, locations, sessions, cdrs and
    /// tariffs, no roles), the credentials POST, and receivers that record every request and answer 1000. Tokens are
    /// accepted only in plain form (2.1.1 transport_and_format "Authorization: Token …").
    /// </summary>
    private sealed class Fake211Emsp : IAsyncDisposable
    {
        public const string TokenA = "fake-211-token-a";

        public const string TokenC = "fake-211-token-c";

        private readonly WebApplication _app;

        private Fake211Emsp(WebApplication app, string baseUrl)
        {
            _app = app;
            Base = baseUrl;
        }

        public string Base { get; }

        /// <summary>The token the CPO sent in its credentials (its token B for us).</summary>
        public string? TokenB { get; private set; }

        public ConcurrentQueue<Request> Requests { get; } = new();

        public List<Request> Received(string method, string path) => [.. Requests.Where(r => r.Method == method && r.Path == path)];

        public static async Task<Fake211Emsp> StartAsync()
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();

            // NOTE: the server's appsettings.json sits next to the tests; its Kestrel endpoints must not apply here.
            builder.Configuration.Sources.Clear();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            Fake211Emsp? fake = null;
            app.Map("/{**path}", (Func<HttpContext, Task<IResult>>)(context => fake!.HandleAsync(context)));
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            fake = new Fake211Emsp(app, address);
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task<IResult> HandleAsync(HttpContext context)
        {
            HttpRequest request = context.Request;
            string body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
            string authorization = request.Headers.Authorization.ToString();
            bool routing = request.Headers.Keys.Any(k => k.StartsWith("OCPI-to-", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OCPI-from-", StringComparison.OrdinalIgnoreCase));
            Requests.Enqueue(new Request(request.Method, request.Path.Value!, authorization, routing, body));
            string path = request.Path.Value!;
            bool configuration = path is "/versions" or "/2.1.1" or "/2.1.1/credentials";
            if (authorization != "Token " + (configuration && TokenB is null ? TokenA : TokenC))
            {
                return Results.Content("{\"status_code\":2000,\"status_message\":\"unknown token\",\"timestamp\":\"2026-01-01T00:00:00Z\"}", "application/json", statusCode: 401);
            }

            switch (path)
            {
                case "/versions":
                    return Ok("[{\"version\":\"2.1.1\",\"url\":\"" + Base + "/2.1.1\"}]");
                case "/2.1.1":
                    return Ok("{\"version\":\"2.1.1\",\"endpoints\":["
                        + string.Join(",", new[] { "credentials", "locations", "sessions", "cdrs", "tariffs" }.Select(m =>
                            "{\"identifier\":\"" + m + "\",\"url\":\"" + Base + (m == "credentials" ? "/2.1.1/credentials" : "/" + m) + "\"}"))
                        + "]}");
                case "/2.1.1/credentials" when request.Method == "POST":
                    TokenB = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString();
                    return Ok("{\"token\":\"" + TokenC + "\",\"url\":\"" + Base + "/versions\",\"business_details\":{\"name\":\"Fake 2.1.1\"},\"party_id\":\"FAK\",\"country_code\":\"DE\"}");
                default:
                    return request.Method == "GET" ? Ok("[]") : Ok(null);
            }
        }

        private static IResult Ok(string? data) =>
            Results.Content("{" + (data is null ? "" : "\"data\":" + data + ",") + "\"status_code\":1000,\"timestamp\":\"2026-01-01T00:00:00Z\"}", "application/json");
    }

    private sealed record Request(string Method, string Path, string Authorization, bool RoutingHeaders, string Body);
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Partners;
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
/// The roaming flow between a CPO instance and an eMSP instance over OCPI 2.2.1: a START_SESSION becomes a charge at
/// the CPO's charger, the session reaches the eMSP as it progresses, and the priced CDR reaches it when it ends.
/// </summary>
public sealed class OcpiSessionsAndCdrsTests : IAsyncLifetime
{
    /// <summary>0.30/kWh excl. 21 % VAT, owned by the CPO's party so it is published and pushed.</summary>
    private const string Tariff = """
        {"country_code":"NL","party_id":"CPO","id":"ROAM-KWH","currency":"EUR",
         "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"vat":21.0,"step_size":1}]}],
         "last_updated":"2026-11-01T00:00:00Z"}
        """;

    private OcpiPair _pair = null!;

    public async Task InitializeAsync() =>
        _pair = await OcpiPair.StartAsync("--Ocpi:Push:SessionUpdateInterval=00:00:00", "--Ocpi:Push:RetryBase=00:00:00.200", "--Ocpi:Push:RetryMax=00:00:01");

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task StartSession_ChargesAtTheCpo_AndTheEmspReceivesTheGrowingSession_ThenTheSameCdr()
    {
        await _pair.ConnectAsync();
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariffs/ROAM-KWH", Tariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-OCPI-1\",\"tariffId\":\"ROAM-KWH\"}"), HttpStatusCode.OK);
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-USER-7", "{\"type\":\"APP_USER\",\"contractId\":\"DE-EMS-C00000007-1\",\"whitelist\":\"NEVER\"}"),
            HttpStatusCode.OK);

        // The tariff change reached the eMSP's Tariffs receiver (PUT through the outbox).
        JsonElement tariff = await PollAsync(_pair.EmspApi, "api/v1/ocpi/tariffs/NL/CPO/ROAM-KWH", _ => true);
        Assert.Equal(0.30m, tariff.GetProperty("elements")[0].GetProperty("price_components")[0].GetProperty("price").GetDecimal());

        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");
        Task<HttpResponseMessage> start = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session",
            "{\"locationId\":\"LOC1\",\"evseUid\":\"EVSE-1\",\"tokenUid\":\"APP-USER-7\",\"tokenType\":\"APP_USER\",\"waitSeconds\":20}");
        (string messageId, _) = await ExpectCallAsync(charger, "RemoteStartTransaction");
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");
        Assert.Equal("ACCEPTED", (await ApiClient.JsonAsync(await start, HttpStatusCode.OK)).GetProperty("result").GetString());

        int transactionId = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "APP-USER-7", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();
        string sessionUrl = "api/v1/ocpi/sessions/NL/CPO/" + transactionId.ToString(CultureInfo.InvariantCulture);

        // PUT at the start …
        JsonElement session = await PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("status").GetString() == "ACTIVE");
        Assert.Equal(0m, session.GetProperty("kwh").GetDecimal());
        Assert.Equal("COMMAND", session.GetProperty("auth_method").GetString());
        Assert.Equal(("DE", "EMS", "APP-USER-7", "APP_USER", "DE-EMS-C00000007-1"), Token(session.GetProperty("cdr_token")));
        Assert.Equal(("LOC1", "EVSE-1", "1"), (session.GetProperty("location_id").GetString(), session.GetProperty("evse_uid").GetString(), session.GetProperty("connector_id").GetString()));
        Assert.Equal("2026-11-24T10:00:00Z", session.GetProperty("start_date_time").GetString());

        // … then PATCHes with growing kwh and cost so far.
        await MeterAsync(charger, transactionId, "2026-11-24T10:30:00Z", 6000);
        session = await PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("kwh").GetDecimal() == 5m);
        await MeterAsync(charger, transactionId, "2026-11-24T11:00:00Z", 11000);
        session = await PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("kwh").GetDecimal() == 10m);
        Assert.Equal("ACTIVE", session.GetProperty("status").GetString());
        Assert.True(session.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal() > 0m);

        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 13000, timestamp = "2026-11-24T11:15:00Z", reason = "Local" }), "StopTransaction");

        // The session ends with the CDR's price; the CDR the eMSP holds is the CPO's, field for field.
        string cdrId = _pair.Cpo.CdrIdOf(transactionId);
        JsonElement received;
        try
        {
            received = await PollAsync(_pair.EmspApi, "api/v1/ocpi/cdrs/NL/CPO/" + cdrId, _ => true);
        }
        catch (TimeoutException e)
        {
            string outboxState = await (await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox")).Content.ReadAsStringAsync();
            string deadState = await (await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox/dead-letters")).Content.ReadAsStringAsync();
            string cdrState = await (await _pair.CpoApi.GetAsync("api/v1/cdrs/" + cdrId)).Content.ReadAsStringAsync();
            throw new TimeoutException(e.Message + " outbox: " + outboxState + " dead: " + deadState + " cdr: " + cdrState);
        }

        JsonElement cpoCdr = (await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/cdrs/" + cdrId), HttpStatusCode.OK)).GetProperty("cdr");
        Assert.Equal(cpoCdr.GetRawText(), received.GetRawText());
        Assert.Equal(12m, received.GetProperty("total_energy").GetDecimal());
        Assert.Equal(3.60m, received.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(("DE", "EMS", "APP-USER-7", "APP_USER", "DE-EMS-C00000007-1"), Token(received.GetProperty("cdr_token")));
        Assert.Equal("COMMAND", received.GetProperty("auth_method").GetString());
        JsonElement location = received.GetProperty("cdr_location");
        Assert.Equal(("LOC1", "EVSE-1", "NL*CPO*E1*1", "1"), (location.GetProperty("id").GetString(), location.GetProperty("evse_uid").GetString(), location.GetProperty("evse_id").GetString(), location.GetProperty("connector_id").GetString()));

        session = await PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("status").GetString() == "COMPLETED" && s.TryGetProperty("charging_periods", out _) && s.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal() == 3.60m);
        Assert.Equal(12m, session.GetProperty("kwh").GetDecimal());
        Assert.Equal("2026-11-24T11:15:00Z", session.GetProperty("end_date_time").GetString());
        Assert.Equal(received.GetProperty("charging_periods").GetRawText(), session.GetProperty("charging_periods").GetRawText());

        // The eMSP can also pull both lists from the CPO's Sender interfaces.
        string cpoToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        using var http = new OcpiHttp();
        (_, JsonElement sessions) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/sessions", cpoToken);
        Assert.Equal(transactionId.ToString(CultureInfo.InvariantCulture), Assert.Single(sessions.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        (_, JsonElement cdrs) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/cdrs?date_from=2020-01-01T00:00:00Z", cpoToken);
        Assert.Equal(cdrId, Assert.Single(cdrs.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        // OCPI DateTime is string(25): the CDR's own last_updated, sent back as date_from, finds it (stored as sent).
        string cdrUpdated = received.GetProperty("last_updated").GetString()!;
        Assert.InRange(cdrUpdated.Length, 20, 25);
        Assert.All(new[] { "start_date_time", "end_date_time" }, name => Assert.InRange(received.GetProperty(name).GetString()!.Length, 20, 25));
        (_, JsonElement sameCdr) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/cdrs?date_from=" + Uri.EscapeDataString(cdrUpdated), cpoToken);
        Assert.Equal(cdrId, Assert.Single(sameCdr.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        (_, JsonElement tariffs) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/tariffs", cpoToken);
        Assert.Equal("ROAM-KWH", Assert.Single(tariffs.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        JsonElement outbox = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox"), HttpStatusCode.OK);
        Assert.Equal(0, outbox.GetArrayLength());
    }

    [Fact]
    public async Task ASessionWhoseTariffFails_IsNotPushedAsAFinalCdr_UntilTheFixedTariffPricesIt()
    {
        await _pair.ConnectAsync();
        string later = Tariff.Replace("\"currency\":\"EUR\",", "\"currency\":\"EUR\",\"start_date_time\":\"2030-01-01T00:00:00Z\",", StringComparison.Ordinal);
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariffs/ROAM-KWH", later), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-OCPI-1\",\"tariffId\":\"ROAM-KWH\"}"), HttpStatusCode.OK);
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-USER-8", "{\"type\":\"RFID\",\"contractId\":\"DE-EMS-C00000008-1\",\"whitelist\":\"ALLOWED\"}"),
            HttpStatusCode.OK);
        await PollAsync(_pair.CpoApi, "api/v1/ocpi/roaming-tokens", page => page.GetProperty("total").GetInt32() > 0);

        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");
        JsonElement started = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "APP-USER-8", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        Assert.Equal("Accepted", started.GetProperty("idTagInfo").GetProperty("status").GetString());
        int transactionId = started.GetProperty("transactionId").GetInt32();
        await MeterAsync(charger, transactionId, "2026-11-24T10:30:00Z", 6000);
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 13000, timestamp = "2026-11-24T11:15:00Z", reason = "Local" }), "StopTransaction");

        // Held at the CPO: no CDR exists, so none can reach the eMSP; the eMSP's session ends without a final price.
        string cdrId = _pair.Cpo.CdrIdOf(transactionId);
        await PollAsync(_pair.CpoApi, "api/v1/cdrs/held", held => held.GetArrayLength() == 1 && held[0].GetProperty("cdrId").GetString() == cdrId);
        Assert.Equal(HttpStatusCode.NotFound, (await _pair.CpoApi.GetAsync("api/v1/cdrs/" + cdrId)).StatusCode);
        string sessionUrl = "api/v1/ocpi/sessions/NL/CPO/" + transactionId.ToString(CultureInfo.InvariantCulture);
        JsonElement session = await PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("status").GetString() == "COMPLETED");
        Assert.False(session.TryGetProperty("total_cost", out JsonElement cost) && cost.ValueKind == JsonValueKind.Object && cost.GetProperty("excl_vat").GetDecimal() == 0m);
        Assert.Equal(HttpStatusCode.NotFound, (await _pair.EmspApi.GetAsync("api/v1/ocpi/cdrs/NL/CPO/" + cdrId)).StatusCode);

        // The fixed tariff prices it; its one CDR reaches the eMSP with the real price.
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariffs/ROAM-KWH", Tariff), HttpStatusCode.OK);
        JsonElement received = await PollAsync(_pair.EmspApi, "api/v1/ocpi/cdrs/NL/CPO/" + cdrId, _ => true);
        Assert.Equal(3.60m, received.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        await PollAsync(_pair.EmspApi, sessionUrl, s => s.TryGetProperty("total_cost", out JsonElement c) && c.GetProperty("excl_vat").GetDecimal() == 3.60m);
        Assert.Empty((await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/cdrs/held"), HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Outbox_RetriesAnUnreachablePartnerUntilItIsBack_DeadLettersA2001_AndGetsAreScopedToTheTokensParty()
    {
        await _pair.ConnectAsync();
        await using FakeEmsp fake = await FakeEmsp.StartAsync();
        string tokenA = await _pair.IssueTokenAAsync("fake");
        using var http = new OcpiHttp();

        // The fake eMSP (DE/FAK) registers with the CPO, then pushes one whitelisted token.
        (_, JsonElement credentials) = await http.SendAsync(HttpMethod.Post, _pair.CpoBase + "/ocpi/2.2.1/credentials", tokenA, new
        {
            token = FakeEmsp.Token, url = fake.Base + "/versions",
            roles = new[] { new { role = "EMSP", party_id = "FAK", country_code = "DE", business_details = new { name = "Fake" } } },
        });
        Assert.True(credentials.GetProperty("status_code").GetInt32() == 1000, credentials.GetRawText());
        string toCpo = credentials.GetProperty("data").GetProperty("token").GetString()!;
        (HttpResponseMessage put, _) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/FAK/TAG-FAKE", toCpo, new
        {
            country_code = "DE", party_id = "FAK", uid = "TAG-FAKE", type = "RFID", contract_id = "DE-FAK-C1", issuer = "Fake", valid = true,
            whitelist = "ALWAYS", last_updated = "2026-01-01T00:00:00Z",
        });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // Unreachable (HTTP 503, no OCPI body) for the session's first two attempts; answered with 2001 for CDRs.
        fake.Answers.Enqueue(503);
        fake.Answers.Enqueue(503);
        fake.CdrAnswer = 2001;

        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-2", "ocpp1.6");
        int transactionId = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-FAKE", meterStart = 0, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();
        string path = "/sessions/NL/CPO/" + transactionId.ToString(CultureInfo.InvariantCulture);

        await WaitAsync(() => fake.Accepted(path).Count >= 1);
        Assert.Equal(2, fake.Requests.Count(r => r.Path == path && r.Status == 503));
        (string Method, string Path, int Status, string Body) delivered = Assert.Single(fake.Accepted(path));
        Assert.Equal("PUT", delivered.Method);
        Assert.Equal("WHITELIST", JsonDocument.Parse(delivered.Body).RootElement.GetProperty("auth_method").GetString());

        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 2000, timestamp = "2026-11-24T10:30:00Z", reason = "Local" }), "StopTransaction");
        JsonElement dead = default;
        await WaitAsync(() =>
        {
            dead = ApiClient.JsonAsync(_pair.CpoApi.GetAsync("api/v1/ocpi/outbox/dead-letters").Result, HttpStatusCode.OK).Result;
            return dead.GetArrayLength() == 1;
        });
        Assert.Equal("cdrs", dead[0].GetProperty("module").GetString());
        Assert.Equal("fake", dead[0].GetProperty("partnerId").GetString());
        Assert.Contains("2001", dead[0].GetProperty("deadReason").GetString(), StringComparison.Ordinal);

        // The queue moved on: the session's COMPLETED PATCH after the refused CDR still arrives.
        await WaitAsync(() => fake.Accepted(path).Any(r => r.Method == "PATCH" && r.Body.Contains("COMPLETED", StringComparison.Ordinal)));

        // Party scoping: the fake sees its session and CDR, the other eMSP (DE/EMS) sees neither.
        string emspToken = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        (_, JsonElement own) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/sessions", toCpo);
        Assert.Single(own.GetProperty("data").EnumerateArray());
        (_, JsonElement ownCdrs) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/cdrs", toCpo);
        Assert.Single(ownCdrs.GetProperty("data").EnumerateArray());
        (_, JsonElement other) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/sessions", emspToken);
        Assert.Equal(0, other.GetProperty("data").GetArrayLength());
        (_, JsonElement otherCdrs) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/cdrs", emspToken);
        Assert.Equal(0, otherCdrs.GetProperty("data").GetArrayLength());

        // Retrying the dead letter once the partner accepts delivers it.
        fake.CdrAnswer = 1000;
        long seq = dead[0].GetProperty("seq").GetInt64();
        Assert.Equal(HttpStatusCode.Accepted, (await _pair.CpoApi.PostAsync($"api/v1/ocpi/outbox/dead-letters/fake/{seq}/retry")).StatusCode);
        await WaitAsync(() => fake.Accepted("/cdrs").Count == 1);
    }

    private static (string?, string?, string?, string?, string?) Token(JsonElement token) => (
        token.GetProperty("country_code").GetString(), token.GetProperty("party_id").GetString(), token.GetProperty("uid").GetString(),
        token.GetProperty("type").GetString(), token.GetProperty("contract_id").GetString());

    private static async Task MeterAsync(RawCharger charger, int transactionId, string timestamp, int wh) =>
        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp, sampledValue = new[] { new { value = wh.ToString(CultureInfo.InvariantCulture), measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        }), "MeterValues");

    private static Task<JsonElement> PollAsync(ApiClient api, string path, Func<JsonElement, bool> until) => OcpiPair.PollAsync(api, path, until);

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(25, timeout.Token);
        }
    }

    /// <summary>
    /// A minimal eMSP on loopback: versions and 2.2.1 details (credentials, sessions and cdrs receivers) for the CPO's
    /// registration, and receivers that answer as the test says and record every request.
    /// </summary>
    private sealed class FakeEmsp : IAsyncDisposable
    {
        public const string Token = "fake-emsp-token-b-0000000000000";

        private readonly WebApplication _app;

        private FakeEmsp(WebApplication app, string baseUrl)
        {
            _app = app;
            Base = baseUrl;
        }

        public string Base { get; }

        /// <summary>HTTP statuses for the next session requests (503: unreachable); empty means 1000.</summary>
        public ConcurrentQueue<int> Answers { get; } = new();

        /// <summary>The OCPI status CDR POSTs get.</summary>
        public int CdrAnswer { get; set; } = 1000;

        public ConcurrentQueue<(string Method, string Path, int Status, string Body)> Requests { get; } = new();

        public List<(string Method, string Path, int Status, string Body)> Accepted(string path) =>
            [.. Requests.Where(r => r.Path == path && r.Status == 1000)];

        public static async Task<FakeEmsp> StartAsync()
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();

            // NOTE: the server's appsettings.json sits next to the tests; its Kestrel endpoints (:8080, :8180) must not
            // apply to this fake, which listens on one loopback port the OS picks.
            builder.Configuration.Sources.Clear();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            FakeEmsp? fake = null;
            app.MapGet("/versions", () => Ok("[{\"version\":\"2.2.1\",\"url\":\"" + fake!.Base + "/2.2.1\"}]"));
            app.MapGet("/2.2.1", () => Ok("{\"version\":\"2.2.1\",\"endpoints\":["
                + "{\"identifier\":\"credentials\",\"role\":\"RECEIVER\",\"url\":\"" + fake!.Base + "/2.2.1/credentials\"},"
                + "{\"identifier\":\"sessions\",\"role\":\"RECEIVER\",\"url\":\"" + fake.Base + "/sessions\"},"
                + "{\"identifier\":\"cdrs\",\"role\":\"RECEIVER\",\"url\":\"" + fake.Base + "/cdrs\"}]}"));
            app.Map("/sessions/{**rest}", (Func<HttpContext, Task<IResult>>)(context => fake!.ReceiveAsync(context, fake.Answers.TryDequeue(out int status) ? status : 1000)));
            app.MapPost("/cdrs", (Func<HttpContext, Task<IResult>>)(context => fake!.ReceiveAsync(context, fake.CdrAnswer)));
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            fake = new FakeEmsp(app, address);
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task<IResult> ReceiveAsync(HttpContext context, int status)
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            Requests.Enqueue((context.Request.Method, context.Request.Path.Value!, status, body));
            return status switch
            {
                503 => Results.StatusCode(503),
                1000 => Ok(null),
                _ => Results.Content("{\"status_code\":" + status + ",\"status_message\":\"refused\",\"timestamp\":\"2026-01-01T00:00:00Z\"}", "application/json", statusCode: 400),
            };
        }

        private static IResult Ok(string? data) =>
            Results.Content("{" + (data is null ? "" : "\"data\":" + data + ",") + "\"status_code\":1000,\"timestamp\":\"2026-01-01T00:00:00Z\"}", "application/json");
    }
}

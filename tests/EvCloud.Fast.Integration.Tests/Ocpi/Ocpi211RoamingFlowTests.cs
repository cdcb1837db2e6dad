using System.Globalization;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// The roaming flow between our CPO and our eMSP connected over OCPI 2.1.1: token push, START_SESSION, the charge at the
/// CPO's charger, the growing session and the priced CDR at the eMSP — every object on the wire in its 2.1.1 form.
/// </summary>
public sealed class Ocpi211RoamingFlowTests : IAsyncLifetime
{
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
    public async Task StartSession_Session_AndPricedCdr_ReachTheEmsp_Over211()
    {
        JsonElement registered = await _pair.ConnectAsync("2.1.1", "Plain");
        Assert.Equal("2.1.1", registered.GetProperty("version").GetString());
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariffs/ROAM-KWH", Tariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await _pair.CpoApi.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-OCPI-1\",\"tariffId\":\"ROAM-KWH\"}"), HttpStatusCode.OK);
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/APP-USER-8", "{\"type\":\"APP_USER\",\"contractId\":\"DE-EMS-C00000008-1\",\"whitelist\":\"ALLOWED\"}"),
            HttpStatusCode.OK);

        // Locations and the tariff arrive as 2.1.1 objects and are stored in the one form the API shows.
        JsonElement location = await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC1", _ => true);
        Assert.Equal("EVSE-1", location.GetProperty("evses")[0].GetProperty("uid").GetString());
        JsonElement tariff = await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/tariffs/NL/CPO/ROAM-KWH", _ => true);
        Assert.Equal(0.30m, tariff.GetProperty("elements")[0].GetProperty("price_components")[0].GetProperty("price").GetDecimal());

        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");
        Task<HttpResponseMessage> start = _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session",
            "{\"locationId\":\"LOC1\",\"evseUid\":\"EVSE-1\",\"tokenUid\":\"APP-USER-8\",\"tokenType\":\"APP_USER\",\"waitSeconds\":20}");
        (string messageId, JsonElement remoteStart) = await ExpectCallAsync(charger, "RemoteStartTransaction");
        Assert.Equal("APP-USER-8", remoteStart.GetProperty("idTag").GetString());
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");
        Assert.Equal("ACCEPTED", (await ApiClient.JsonAsync(await start, HttpStatusCode.OK)).GetProperty("result").GetString());

        int transactionId = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "APP-USER-8", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();
        string sessionUrl = "api/v1/ocpi/sessions/NL/CPO/" + transactionId.ToString(CultureInfo.InvariantCulture);

        JsonElement session = await OcpiPair.PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("status").GetString() == "ACTIVE");
        Assert.Equal("2026-11-24T10:00:00Z", session.GetProperty("start_date_time").GetString());

        // The 2.1.1 auth_id is the contract id, by which the eMSP finds its own token again.
        Assert.Equal("APP-USER-8", session.GetProperty("cdr_token").GetProperty("uid").GetString());
        Assert.Equal("DE-EMS-C00000008-1", session.GetProperty("cdr_token").GetProperty("contract_id").GetString());

        await MeterAsync(charger, transactionId, "2026-11-24T10:30:00Z", 6000);
        await OcpiPair.PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("kwh").GetDecimal() == 5m);
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 13000, timestamp = "2026-11-24T11:15:00Z", reason = "Local" }), "StopTransaction");

        // 2.1.1 amounts exclude VAT: 12 kWh × 0.30 = 3.60.
        string cdrId = _pair.Cpo.CdrIdOf(transactionId);
        JsonElement cdr = await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/cdrs/NL/CPO/" + cdrId, _ => true);
        Assert.Equal(12m, cdr.GetProperty("total_energy").GetDecimal());
        Assert.Equal(3.60m, cdr.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal("2026-11-24T11:15:00Z", cdr.GetProperty("end_date_time").GetString());
        session = await OcpiPair.PollAsync(_pair.EmspApi, sessionUrl, s => s.GetProperty("status").GetString() == "COMPLETED" && s.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal() == 3.60m);
        Assert.Equal(12m, session.GetProperty("kwh").GetDecimal());

        // Everything delivered (the session's last PATCH, with the CDR's price, may still be on its way), nothing refused.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            while ((await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox"), HttpStatusCode.OK)).GetArrayLength() > 0)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        Assert.Equal(0, (await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox/dead-letters"), HttpStatusCode.OK)).GetArrayLength());
    }

    private static async Task MeterAsync(RawCharger charger, int transactionId, string timestamp, int wh) =>
        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp, sampledValue = new[] { new { value = wh.ToString(CultureInfo.InvariantCulture), measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        }), "MeterValues");
}

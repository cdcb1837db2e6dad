using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class CdrPipelineTests : IAsyncLifetime
{
    /// <summary>Night rate 23:00–07:00 local, day rate otherwise, parking fee per hour (billed per minute), all with 21% VAT.</summary>
    private const string NightTariff = """
        {"country_code":"NL","party_id":"EVC","id":"NIGHT-PARK","currency":"EUR",
         "elements":[
           {"price_components":[{"type":"ENERGY","price":0.20,"vat":21.0,"step_size":1}],"restrictions":{"start_time":"23:00","end_time":"07:00"}},
           {"price_components":[{"type":"ENERGY","price":0.30,"vat":21.0,"step_size":1}]},
           {"price_components":[{"type":"PARKING_TIME","price":6.00,"vat":21.0,"step_size":60}]}],
         "last_updated":"2026-11-01T00:00:00Z"}
        """;

    private static readonly string[] Args = ApiClient.ServerArgs("--Cdr:Locations:CP-NIGHT:TimeZone=Europe/Amsterdam", "--Cdr:Locations:CP-NIGHT:City=Utrecht");

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Args);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChargeAcrossTheNightRateBoundary_ThenParking_GivesTheHandCalculatedCdr()
    {
        using var api = new ApiClient(_server);
        await DefineTariffAsync(api);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?types=cdr.created");
        int transactionId = await ChargeAsync();

        ServerSentEvent created = await events.NextAsync();
        Assert.Equal(_server.CdrIdOf(transactionId), created.Data.GetProperty("cdrId").GetString());
        JsonElement detail = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + _server.CdrIdOf(transactionId)), HttpStatusCode.OK);
        JsonElement cdr = detail.GetProperty("cdr");

        // By hand (Amsterdam is UTC+1 in November): 21:30–22:00Z is 22:30–23:00 local, 5 kWh at the day rate 0.30 = 1.50;
        // 22:00–22:30Z is after 23:00 local, 5 kWh at the night rate 0.20 = 1.00; 22:30–23:00Z the EV is parked
        // (SuspendedEV), 0.5 h × 6.00 = 3.00. Excl. VAT 5.50; incl. 21% VAT 1.815 + 1.21 + 3.63 = 6.655 → 6.66.
        Assert.Equal(5.50m, cdr.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(6.66m, cdr.GetProperty("total_cost").GetProperty("incl_vat").GetDecimal());
        Assert.Equal(2.50m, cdr.GetProperty("total_energy_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(3.00m, cdr.GetProperty("total_parking_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(10m, cdr.GetProperty("total_energy").GetDecimal());
        Assert.Equal(1.5m, cdr.GetProperty("total_time").GetDecimal());
        Assert.Equal(0.5m, cdr.GetProperty("total_parking_time").GetDecimal());
        Assert.Equal("EUR", cdr.GetProperty("currency").GetString());
        Assert.Equal("TAG-NIGHT", cdr.GetProperty("cdr_token").GetProperty("uid").GetString());
        Assert.Equal("Utrecht", cdr.GetProperty("cdr_location").GetProperty("city").GetString());
        Assert.Equal(
            ["2026-11-24T21:30:00Z", "2026-11-24T22:00:00Z", "2026-11-24T22:30:00Z"],
            cdr.GetProperty("charging_periods").EnumerateArray().Select(p => p.GetProperty("start_date_time").GetString()!).ToArray());
        Assert.Equal("NIGHT-PARK", cdr.GetProperty("charging_periods")[1].GetProperty("tariff_id").GetString());

        JsonElement[] lines = [.. detail.GetProperty("breakdown").EnumerateArray()];
        Assert.Contains(lines, l => l.GetProperty("dimension").GetString() == "ENERGY" && l.GetProperty("unit_price").GetDecimal() == 0.20m && l.GetProperty("quantity").GetDecimal() == 5m);
        Assert.Contains(lines, l => l.GetProperty("dimension").GetString() == "ENERGY" && l.GetProperty("unit_price").GetDecimal() == 0.30m && l.GetProperty("quantity").GetDecimal() == 5m);
        Assert.Contains(lines, l => l.GetProperty("dimension").GetString() == "PARKING_TIME" && l.GetProperty("amount_excl_vat").GetDecimal() == 3.00m);
        Assert.Contains("PARKING_TIME", detail.GetProperty("breakdownText").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrashBetweenStopAndCdr_StillGivesExactlyOneCdr_AndCorrectionsAddACreditAndAReplacement()
    {
        await _server.CrashAsync([.. Args, "--Cdr:Enabled=false"]);
        using (var api = new ApiClient(_server))
        {
            await DefineTariffAsync(api);
        }

        int transactionId = await ChargeAsync();

        // The stop is acknowledged (durable) but this process builds no CDR; it dies.
        await _server.CrashAsync(Args);
        using var after = new ApiClient(_server);
        JsonElement cdr = await WaitForCdrAsync(after, _server.CdrIdOf(transactionId));
        Assert.Equal(5.50m, cdr.GetProperty("cdr").GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());

        // And again, after the CDR exists: replaying the same events never writes a second one.
        await _server.CrashAsync();
        using var again = new ApiClient(_server);
        await WaitForCdrAsync(again, _server.CdrIdOf(transactionId));
        JsonElement page = await ApiClient.JsonAsync(await again.GetAsync("api/v1/cdrs?chargerId=CP-NIGHT"), HttpStatusCode.OK);
        Assert.Single(page.GetProperty("items").EnumerateArray());

        JsonElement corrected = await ApiClient.JsonAsync(await again.PostAsync($"api/v1/cdrs/{_server.CdrIdOf(transactionId)}/corrections", "{}"), HttpStatusCode.Created);
        Assert.Equal(-5.50m, corrected.GetProperty("credit").GetProperty("cdr").GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.True(corrected.GetProperty("credit").GetProperty("cdr").GetProperty("credit").GetBoolean());
        Assert.Equal(_server.CdrIdOf(transactionId), corrected.GetProperty("credit").GetProperty("cdr").GetProperty("credit_reference_id").GetString());
        Assert.Equal(5.50m, corrected.GetProperty("replacement").GetProperty("cdr").GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());

        HttpResponseMessage export = await again.GetAsync("api/v1/cdrs/export?format=csv&chargerId=CP-NIGHT");
        string csv = await export.Content.ReadAsStringAsync();
        string[] rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length); // header, original, credit, replacement
        Assert.StartsWith("id,transaction_id,", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.StartsWith($"{_server.CdrIdOf(transactionId)}-C1,", StringComparison.Ordinal) && r.Contains(",-5.50,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATariffThatFailsWhilePricing_HoldsTheSession_UntilItsFixedVersionIsPut()
    {
        using var api = new ApiClient(_server);
        // Valid only from 2030: pricing a 2026 session throws.
        string later = NightTariff.Replace("\"currency\":\"EUR\",", "\"currency\":\"EUR\",\"start_date_time\":\"2030-01-01T00:00:00Z\",", StringComparison.Ordinal);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariffs/NIGHT-PARK", later), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-NIGHT\",\"tariffId\":\"NIGHT-PARK\"}"), HttpStatusCode.OK);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?types=cdr.held,cdr.created&chargerId=CP-NIGHT");
        int transactionId = await ChargeAsync();

        ServerSentEvent held = await events.NextAsync();
        Assert.Equal("cdr.held", held.Type);
        Assert.Equal(transactionId, held.Data.GetProperty("transactionId").GetInt32());
        Assert.Equal("CP-NIGHT", held.Data.GetProperty("chargerId").GetString());
        Assert.Contains("TariffNotValidException", held.Data.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/v1/cdrs/" + _server.CdrIdOf(transactionId))).StatusCode);
        JsonElement list = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/held"), HttpStatusCode.OK);
        Assert.Equal(_server.CdrIdOf(transactionId), Assert.Single(list.EnumerateArray()).GetProperty("cdrId").GetString());
        using (HttpResponseMessage metrics = await api.Http.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Contains("evcloud_cdr_held", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The fixed tariff: its PUT prices the held session; its one CDR is announced.
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariffs/NIGHT-PARK", NightTariff), HttpStatusCode.OK);
        ServerSentEvent created = await events.NextAsync();
        Assert.Equal("cdr.created", created.Type);
        Assert.Equal(_server.CdrIdOf(transactionId), created.Data.GetProperty("cdrId").GetString());
        JsonElement cdr = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + _server.CdrIdOf(transactionId)), HttpStatusCode.OK);
        Assert.Equal(5.50m, cdr.GetProperty("cdr").GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Empty((await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/held"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"api/v1/cdrs/held/{transactionId}/retry")).StatusCode);
    }

    [Fact]
    public async Task CorrectingTheSameCdrTwice_CreditsTheFirstReplacement_AndTheSessionNetsToTheSecond()
    {
        using var api = new ApiClient(_server);
        await DefineTariffAsync(api);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariffs/FLAT-2", """
            {"country_code":"NL","party_id":"EVC","id":"FLAT-2","currency":"EUR","elements":[{"price_components":[{"type":"FLAT","price":2.00,"vat":21.0,"step_size":1}]}],"last_updated":"2026-11-01T00:00:00Z"}
            """), HttpStatusCode.OK);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?types=cdr.created");
        int transactionId = await ChargeAsync();
        await events.NextAsync();
        string id = _server.CdrIdOf(transactionId);

        JsonElement first = await ApiClient.JsonAsync(await api.PostAsync($"api/v1/cdrs/{id}/corrections", "{\"tariffId\":\"FLAT-2\"}"), HttpStatusCode.Created);
        JsonElement second = await ApiClient.JsonAsync(await api.PostAsync($"api/v1/cdrs/{id}/corrections", "{}"), HttpStatusCode.Created);

        Assert.Equal(id, first.GetProperty("credited").GetString());
        Assert.Equal(id + "-R1", second.GetProperty("credited").GetString());
        Assert.Equal(id + "-R1", second.GetProperty("credit").GetProperty("cdr").GetProperty("credit_reference_id").GetString());
        Assert.Equal(-2.00m, second.GetProperty("credit").GetProperty("cdr").GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());

        // What the API answered is what is stored.
        JsonElement stored = await ApiClient.JsonAsync(await api.GetAsync($"api/v1/cdrs/{id}-R2"), HttpStatusCode.OK);
        Assert.Equal(second.GetProperty("replacement").GetProperty("cdr").GetRawText(), stored.GetProperty("cdr").GetRawText());

        JsonElement page = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs?chargerId=CP-NIGHT"), HttpStatusCode.OK);
        decimal net = page.GetProperty("items").EnumerateArray().Sum(c => c.GetProperty("totalExclVat").GetDecimal());
        Assert.Equal(5.50m, net); // 5.50 − 5.50 + 2.00 − 2.00 + 5.50
    }

    [Fact]
    public async Task RunningSession_IsPricedSoFar()
    {
        using var api = new ApiClient(_server);
        await DefineTariffAsync(api);
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-NIGHT", "ocpp1.6");
        int transactionId = await StartAsync(charger);
        await MeterAsync(charger, transactionId, "2026-11-24T22:00:00Z", 5000);

        JsonElement session = default;
        await CommandApiTests.WaitUntilAsync(() =>
        {
            HttpResponseMessage response = api.GetAsync("api/v1/sessions/" + transactionId).Result;
            session = response.StatusCode == HttpStatusCode.OK ? ApiClient.JsonAsync(response, HttpStatusCode.OK).Result : default;
            return session.ValueKind == JsonValueKind.Object && session.GetProperty("energyKwh").GetDecimal() == 5m;
        });

        Assert.Equal("NIGHT-PARK", session.GetProperty("tariffId").GetString());
        Assert.True(session.GetProperty("costSoFarExclVat").GetDecimal() >= 1.50m);
    }

    // The pricing API re-prices a CDR from its own charging periods: ours, posted back as it is, costs what it says,
    // which is the check an eMSP runs on the CDRs it receives.
    [Fact]
    public async Task OurOwnCdr_PostedToThePricingApi_CostsWhatItSays()
    {
        using var api = new ApiClient(_server);
        await DefineTariffAsync(api);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?types=cdr.created");
        int transactionId = await ChargeAsync();
        await events.NextAsync();
        JsonElement cdr = (await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + _server.CdrIdOf(transactionId)), HttpStatusCode.OK)).GetProperty("cdr");

        var body = System.Text.Json.Nodes.JsonNode.Parse(cdr.GetRawText())!.AsObject();
        body["tariff_id"] = "NIGHT-PARK";
        body["time_zone"] = "Europe/Amsterdam";
        JsonElement priced = await ApiClient.JsonAsync(await api.PostAsync("api/v1/pricing", body.ToJsonString()), HttpStatusCode.OK);

        foreach (string total in new[] { "total_cost", "total_energy_cost", "total_parking_cost" })
        {
            Assert.Equal(cdr.GetProperty(total).GetProperty("excl_vat").GetDecimal(), priced.GetProperty(total).GetProperty("excl_vat").GetDecimal());
            Assert.Equal(cdr.GetProperty(total).GetProperty("incl_vat").GetDecimal(), priced.GetProperty(total).GetProperty("incl_vat").GetDecimal());
        }

        foreach (string quantity in new[] { "total_energy", "total_time", "total_parking_time" })
        {
            Assert.Equal(cdr.GetProperty(quantity).GetDecimal(), priced.GetProperty(quantity).GetDecimal());
        }
    }

    private static async Task DefineTariffAsync(ApiClient api)
    {
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariffs/NIGHT-PARK", NightTariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-NIGHT\",\"tariffId\":\"NIGHT-PARK\"}"), HttpStatusCode.OK);
    }

    private async Task<int> ChargeAsync()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-NIGHT", "ocpp1.6");
        int transactionId = await StartAsync(charger);
        await MeterAsync(charger, transactionId, "2026-11-24T22:00:00Z", 5000);
        await MeterAsync(charger, transactionId, "2026-11-24T22:30:00Z", 10000);
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "SuspendedEV", timestamp = "2026-11-24T22:30:00Z" }), "StatusNotification");
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 10000, timestamp = "2026-11-24T23:00:00Z", reason = "EVDisconnected" }), "StopTransaction");
        return transactionId;
    }

    private static async Task<int> StartAsync(RawCharger charger)
    {
        JsonElement start = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-NIGHT", meterStart = 0, timestamp = "2026-11-24T21:30:00Z" }), "StartTransaction");
        int transactionId = start.GetProperty("transactionId").GetInt32();
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging", timestamp = "2026-11-24T21:30:00Z" }), "StatusNotification");
        return transactionId;
    }

    private static async Task MeterAsync(RawCharger charger, int transactionId, string timestamp, int wh) =>
        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp, sampledValue = new[] { new { value = wh.ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        }), "MeterValues");

    private static async Task<JsonElement> WaitForCdrAsync(ApiClient api, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            HttpResponseMessage response = await api.GetAsync("api/v1/cdrs/" + id);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await ApiClient.JsonAsync(response, HttpStatusCode.OK);
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}

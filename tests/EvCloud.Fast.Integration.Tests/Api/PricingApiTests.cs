using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class PricingApiTests : IAsyncLifetime
{
    /// <summary>OCPI 2.2.1 examples/tariff_14_step_size.json (mod_tariffs "Example Tariff to explain the step_size").</summary>
    private const string StepSizeTariff = """
        {"country_code":"DE","party_id":"ALL","id":"22","currency":"EUR","elements":[
          {"price_components":[{"type":"TIME","price":1.20,"step_size":1800},{"type":"PARKING_TIME","price":1.00,"step_size":900}],"restrictions":{"start_time":"00:00","end_time":"17:00"}},
          {"price_components":[{"type":"TIME","price":2.40,"step_size":900},{"type":"PARKING_TIME","price":1.00,"step_size":900}],"restrictions":{"start_time":"17:00","end_time":"20:00"}},
          {"price_components":[{"type":"TIME","price":2.40,"step_size":900}],"restrictions":{"start_time":"20:00","end_time":"00:00"}}],
         "last_updated":"2018-12-18T17:07:11Z"}
        """;

    /// <summary>Energy by day and night, parking by the minute, a start fee; valid from 2026.</summary>
    private const string CityTariff = """
        {"country_code":"NL","party_id":"EVC","id":"CITY","currency":"EUR","start_date_time":"2026-01-01T00:00:00Z","elements":[
          {"price_components":[{"type":"FLAT","price":0.50,"vat":21.0,"step_size":1}]},
          {"price_components":[{"type":"ENERGY","price":0.20,"vat":21.0,"step_size":1}],"restrictions":{"start_time":"23:00","end_time":"07:00"}},
          {"price_components":[{"type":"ENERGY","price":0.30,"vat":21.0,"step_size":1}]},
          {"price_components":[{"type":"PARKING_TIME","price":6.00,"vat":21.0,"step_size":60}]}],
         "last_updated":"2026-11-01T00:00:00Z"}
        """;

    private static readonly string[] Args = ApiClient.ServerArgs(
        "--Cdr:Locations:CP-CITY:TimeZone=Europe/Amsterdam", "--Cdr:Locations:CP-CITY:LocationId=LOC-CITY");

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Args);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // mod_tariffs "Example: switching to Free-of-Charge Tariff Element": 19:40, 12 min charging, 20 min parking.
    // release-2.2.1-bugfixes states € 0.73, the 2.2.1 release € 0.78; the reading chooses.
    [Theory]
    [InlineData(null, "0.73")]
    [InlineData("session_total_with_last_component", "0.73")]
    [InlineData("combined_time_with_last_component", "0.78")]
    public async Task AReaderPricesASpecExample_AsACdr_UnderTheReadingItAsksFor(string? stepSize, string expected)
    {
        using var api = new ApiClient(_server, ApiClient.ReaderKey);
        string reading = stepSize is null ? "" : $$""","reading":{"step_size":"{{stepSize}}"}""";
        JsonElement priced = await ApiClient.JsonAsync(await api.PostAsync("api/v1/pricing", $$"""
            {"tariff":{{StepSizeTariff}},"time_zone":"Europe/Berlin",
             "start_date_time":"2019-03-04T18:40:00Z","end_date_time":"2019-03-04T19:12:00Z",
             "charging_periods":[
               {"start_date_time":"2019-03-04T18:40:00Z","dimensions":[{"type":"ENERGY","volume":5},{"type":"TIME","volume":0.2}]},
               {"start_date_time":"2019-03-04T18:52:00Z","dimensions":[{"type":"PARKING_TIME","volume":0.3333}]}]{{reading}}}
            """), HttpStatusCode.OK);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), priced.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(stepSize ?? "session_total_with_last_component", priced.GetProperty("reading").GetProperty("step_size").GetString());
        JsonElement parking = priced.GetProperty("breakdown").EnumerateArray().Single(l => l.GetProperty("dimension").GetString() == "PARKING_TIME");
        Assert.Equal(stepSize == "combined_time_with_last_component" ? 0.3m : 0.25m, parking.GetProperty("billed_quantity").GetDecimal());
        Assert.Equal(1.00m, parking.GetProperty("unit_price").GetDecimal());
        Assert.Contains("step_size 900", parking.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>OCPI 2.2.1 examples/cdr_example.json (release-2.2.1-bugfixes), unchanged.</summary>
    private const string SpecCdr = """
        {"country_code":"BE","party_id":"BEC","id":"12345","start_date_time":"2015-06-29T21:39:09Z","end_date_time":"2015-06-29T23:37:32Z",
         "cdr_token":{"country_code":"DE","party_id":"TNM","uid":"012345678","type":"RFID","contract_id":"DE8ACC12E46L89"},"auth_method":"WHITELIST",
         "cdr_location":{"id":"LOC1","name":"Gent Zuid","address":"F.Rooseveltlaan 3A","city":"Gent","postal_code":"9000","country":"BEL",
           "coordinates":{"latitude":"3.729944","longitude":"51.047599"},"evse_uid":"3256","evse_id":"BE*BEC*E041503003","connector_id":"1",
           "connector_standard":"IEC_62196_T2","connector_format":"SOCKET","connector_power_type":"AC_1_PHASE"},
         "currency":"EUR",
         "tariffs":[{"country_code":"BE","party_id":"BEC","id":"12","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":2.00,"vat":10.0,"step_size":300}]}],"last_updated":"2015-02-02T14:15:01Z"}],
         "charging_periods":[{"start_date_time":"2015-06-29T21:39:09Z","dimensions":[{"type":"TIME","volume":1.973}],"tariff_id":"12"}],
         "total_cost":{"excl_vat":4.00,"incl_vat":4.40},"total_energy":15.342,"total_time":1.973,"total_time_cost":{"excl_vat":4.00,"incl_vat":4.40},
         "last_updated":"2015-06-29T22:01:13Z"}
        """;

    // Finance posts the spec's example CDR as it is: priced from its periods with its embedded tariff, € 4.00 / € 4.40.
    [Fact]
    public async Task TheSpecsExampleCdr_PostedAsItIs_CostsItsStatedTotal()
    {
        using var api = new ApiClient(_server, ApiClient.ReaderKey);
        JsonElement priced = await ApiClient.JsonAsync(await api.PostAsync("api/v1/pricing", SpecCdr), HttpStatusCode.OK);

        Assert.Equal("12", priced.GetProperty("tariff_id").GetString());
        Assert.Equal(4.00m, priced.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(4.40m, priced.GetProperty("total_cost").GetProperty("incl_vat").GetDecimal());
        Assert.Equal(1.973m, priced.GetProperty("total_time").GetDecimal());
    }

    [Fact]
    public async Task ATimeVolume_IsAuthoritative_AndTheTariffCanBeHeldHere()
    {
        using var admin = new ApiClient(_server);
        await ApiClient.JsonAsync(await admin.PutAsync("api/v1/tariffs/CITY", CityTariff), HttpStatusCode.OK);
        using var api = new ApiClient(_server, ApiClient.ReaderKey);

        // 30 minutes between the timestamps, but the CDR says 45 minutes of parking: 45 × € 0.10 = € 4.50.
        JsonElement priced = await ApiClient.JsonAsync(await api.PostAsync("api/v1/pricing", """
            {"tariff_id":"CITY","time_zone":"Europe/Amsterdam",
             "start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z",
             "charging_periods":[
               {"start_date_time":"2026-11-24T12:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":0.5}]},
               {"start_date_time":"2026-11-24T12:30:00Z","dimensions":[{"type":"PARKING_TIME","volume":0.75}]}]}
            """), HttpStatusCode.OK);

        Assert.Equal(4.50m, priced.GetProperty("total_parking_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(3.00m, priced.GetProperty("total_energy_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(0.50m, priced.GetProperty("total_fixed_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(8.00m, priced.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(9.69m, priced.GetProperty("total_cost").GetProperty("incl_vat").GetDecimal());
        Assert.Equal(1.25m, priced.GetProperty("total_time").GetDecimal());
        Assert.Equal(0.75m, priced.GetProperty("total_parking_time").GetDecimal());
    }

    [Fact]
    public async Task AnAppGetsAQuote_AtACharger_WithTheTariffThePipelineWouldSelect()
    {
        using var admin = new ApiClient(_server);
        await ApiClient.JsonAsync(await admin.PutAsync("api/v1/tariffs/CITY", CityTariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await admin.PutAsync("api/v1/tariff-assignments", """{"locationId":"LOC-CITY","tariffId":"CITY"}"""), HttpStatusCode.OK);
        using var api = new ApiClient(_server, ApiClient.ReaderKey);

        // 22:30 local (Amsterdam, UTC+1): 30 minutes at the day rate then the night rate from 23:00; 20 kWh over an
        // hour, so 10 kWh × 0.30 + 10 kWh × 0.20 = 5.00, 15 minutes parking 1.50, start fee 0.50.
        JsonElement quote = await ApiClient.JsonAsync(await api.PostAsync("api/v1/tariffs/CITY/quote", """
            {"charger_id":"CP-CITY","connector_id":1,"start_date_time":"2026-11-24T21:30:00Z","energy_kwh":20,"charging_minutes":60,"parking_minutes":15}
            """), HttpStatusCode.OK);

        Assert.Equal(7.00m, quote.GetProperty("total_cost").GetProperty("excl_vat").GetDecimal());
        Assert.Equal(5.00m, quote.GetProperty("total_energy_cost").GetProperty("excl_vat").GetDecimal());
        Assert.True(quote.GetProperty("tariff_applies").GetBoolean());
        Assert.Equal("CITY", quote.GetProperty("selected_tariff_id").GetString());
        Assert.Equal("Europe/Amsterdam", quote.GetProperty("time_zone").GetString());
        Assert.Equal(4, quote.GetProperty("breakdown").GetArrayLength());

        JsonElement elsewhere = await ApiClient.JsonAsync(await api.PostAsync("api/v1/tariffs/CITY/quote", """{"charger_id":"CP-OTHER","energy_kwh":1}"""), HttpStatusCode.OK);
        Assert.False(elsewhere.GetProperty("tariff_applies").GetBoolean());

        await ApiClient.ProblemAsync(await api.PostAsync("api/v1/tariffs/NOPE/quote", "{}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TheServersReadings_ComeFromCdrPricing_ForCdrsAndForRequestsThatNameNone()
    {
        await using TestServer server = await TestServer.StartAsync(ApiClient.ServerArgs("--Cdr:Pricing:StepSize=CombinedTimeWithLastComponent", "--Cdr:Pricing:Rounding=None"));
        Assert.Equal(
            (EvCloud.Fast.Tariffs.StepSizeRule.CombinedTimeWithLastComponent, EvCloud.Fast.Tariffs.MoneyRounding.None),
            (server.Services.GetRequiredService<TariffStore>().Pricing.StepSize, server.Services.GetRequiredService<TariffStore>().Pricing.Rounding));

        using var api = new ApiClient(server, ApiClient.ReaderKey);
        JsonElement priced = await ApiClient.JsonAsync(await api.PostAsync("api/v1/pricing", SpecCdr), HttpStatusCode.OK);
        Assert.Equal("combined_time_with_last_component", priced.GetProperty("reading").GetProperty("step_size").GetString());
        Assert.Equal("none", priced.GetProperty("reading").GetProperty("rounding").GetString());
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        // an unknown dimension
        { """{"tariff_id":"CITY","start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[{"start_date_time":"2026-11-24T12:00:00Z","dimensions":[{"type":"HOURS","volume":1}]}]}""", "charging_periods[0].dimensions[0].type" },
        // a negative volume
        { """{"tariff_id":"CITY","start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[{"start_date_time":"2026-11-24T12:00:00Z","dimensions":[{"type":"ENERGY","volume":-3}]}]}""", "charging_periods[0].dimensions[0].volume" },
        // the second period starts before the first: they overlap
        { """{"tariff_id":"CITY","start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[{"start_date_time":"2026-11-24T12:30:00Z","dimensions":[{"type":"TIME","volume":0.5}]},{"start_date_time":"2026-11-24T12:10:00Z","dimensions":[{"type":"TIME","volume":0.5}]}]}""", "charging_periods[1].start_date_time" },
        // the tariff is valid from 2026 only
        { """{"tariff_id":"CITY","start_date_time":"2025-11-24T12:00:00Z","end_date_time":"2025-11-24T13:00:00Z","charging_periods":[{"start_date_time":"2025-11-24T12:00:00Z","dimensions":[{"type":"TIME","volume":1}]}]}""", "start_date_time" },
        // not an IANA time zone
        { """{"tariff_id":"CITY","time_zone":"Europe/Atlantis","start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[{"start_date_time":"2026-11-24T12:00:00Z","dimensions":[{"type":"TIME","volume":1}]}]}""", "time_zone" },
        // an inline tariff whose price is a string
        { """{"tariff":{"country_code":"NL","party_id":"EVC","id":"X","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":"1","step_size":1}]}]},"start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[]}""", "tariff.elements[0].price_components[0].price" },
        // an inline tariff without elements
        { """{"tariff":{"country_code":"NL","party_id":"EVC","id":"X","currency":"EUR","elements":null},"start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[]}""", "tariff.elements" },
        // a reading that does not exist
        { """{"tariff_id":"CITY","reading":{"step_size":"per_period"},"start_date_time":"2026-11-24T12:00:00Z","end_date_time":"2026-11-24T13:00:00Z","charging_periods":[]}""", "reading.step_size" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_IsAProblemNamingTheField(string body, string field)
    {
        using var admin = new ApiClient(_server);
        await ApiClient.JsonAsync(await admin.PutAsync("api/v1/tariffs/CITY", CityTariff), HttpStatusCode.OK);

        JsonElement problem = await ApiClient.ProblemAsync(await admin.PostAsync("api/v1/pricing", body), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetProperty("errors").ToString());
    }

    [Fact]
    public async Task RandomBodies_NeverGetA500()
    {
        using var admin = new ApiClient(_server);
        await ApiClient.JsonAsync(await admin.PutAsync("api/v1/tariffs/CITY", CityTariff), HttpStatusCode.OK);
        using var api = new ApiClient(_server, ApiClient.ReaderKey);

        // NOTE: the property blocks on HTTP calls, so it runs off the test's synchronisation context.
        Property property = Prop.ForAll(HostileBodies.Arbitrary(), request =>
        {
            using HttpResponseMessage response = api.PostAsync(request.Path, request.Body).GetAwaiter().GetResult();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                $"{(int)response.StatusCode} for {request}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
            return true;
        });
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property));
    }
}

/// <summary>A request to one of the pricing endpoints.</summary>
public sealed record HostileRequest(string Path, string Body)
{
    public override string ToString() => Path + " " + Body;
}

/// <summary>
/// Bodies an attacker or a broken client sends: valid requests with one value replaced by something hostile (wrong
/// types, out-of-range numbers and dates, unknown names, nulls, deep nesting), members dropped, and raw noise.
/// </summary>
public static class HostileBodies
{
    private const string Pricing = """
        {"tariff":{"country_code":"NL","party_id":"EVC","id":"X","currency":"EUR","min_price":{"excl_vat":1},"elements":[
           {"price_components":[{"type":"ENERGY","price":0.3,"vat":21,"step_size":100},{"type":"FLAT","price":1,"step_size":1}],"restrictions":{"start_time":"07:00","end_time":"23:00","min_kwh":5,"max_power":50,"day_of_week":["MONDAY"]}},
           {"price_components":[{"type":"TIME","price":2,"step_size":60},{"type":"PARKING_TIME","price":6,"step_size":300}],"restrictions":{"min_duration":600,"max_current":32,"reservation":"RESERVATION"}}]},
         "time_zone":"Europe/Amsterdam","reading":{"step_size":"each_component_separately","rounding":"none","apply_price_limits":true},
         "start_date_time":"2026-11-24T11:45:00Z","end_date_time":"2026-11-24T13:00:00Z",
         "charging_periods":[
           {"start_date_time":"2026-11-24T11:45:00Z","dimensions":[{"type":"RESERVATION_TIME","volume":0.25}]},
           {"start_date_time":"2026-11-24T12:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":0.5},{"type":"MIN_CURRENT","volume":16},{"type":"MAX_POWER","volume":11}]},
           {"start_date_time":"2026-11-24T12:30:00Z","dimensions":[{"type":"PARKING_TIME","volume":0.5}]}]}
        """;

    private const string Quote = """
        {"charger_id":"CP-CITY","connector_id":1,"id_tag":"T","start_date_time":"2026-11-24T21:30:00Z","energy_kwh":20,"charging_minutes":60,"parking_minutes":15,"power_kw":11,"current_a":16,"reading":{"rounding":"currency_minor_unit"}}
        """;

    private static readonly string[] s_hostile =
    [
        "null", "-1", "0", "1e400", "-1e400", "79228162514264337593543950335", "1e28", "0.0000000000000000000000000001",
        "\"\"", "\"x\"", "\"ENERGY\"", "\"HOURS\"", "\"00:00\"", "\"24:00\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "\"2026-11-24T12:00:00\"", "\"2026-13-45T99:00:00Z\"", "\"Etc/GMT+14\"", "\"../../etc/passwd\"", "true", "[]", "{}", "[null]",
        "[{}]", "99", "2147483648", "-2147483649", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]", "{\"type\":\"TIME\",\"volume\":100001}",
        "{\"excl_vat\":-5}", "\"\\u0000\"", "[\"SUNDAY\",\"FUNDAY\"]",
    ];

    public static Arbitrary<HostileRequest> Arbitrary() =>
        Gen.OneOf(
            Gen.Elements("api/v1/pricing", "api/v1/tariffs/CITY/quote").SelectMany(path =>
                Gen.Choose(0, 10_000).SelectMany(target =>
                    Gen.Elements(s_hostile).SelectMany(value =>
                        Gen.Elements(true, false).Select(drop => new HostileRequest(path, Mutate(path.EndsWith("quote", StringComparison.Ordinal) ? Quote : Pricing, target, value, drop)))))),
            Gen.Elements("api/v1/pricing", "api/v1/tariffs/CITY/quote").SelectMany(path =>
                Gen.ArrayOf(Gen.Elements('{', '}', '[', ']', '"', ':', ',', '1', 'e', '-', 'n', 'u', 'l', ' ', 'a'))
                    .Select(chars => new HostileRequest(path, new string(chars))))).ToArbitrary();

    /// <summary>Replaces (or drops) the <paramref name="target"/>-th value in document order.</summary>
    private static string Mutate(string json, int target, string replacement, bool drop)
    {
        JsonNode root = JsonNode.Parse(json)!;
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        (JsonNode parent, object key) = slots[target % slots.Count];
        JsonNode? value = JsonNode.Parse(replacement);
        if (parent is JsonObject obj)
        {
            if (drop)
            {
                obj.Remove((string)key);
            }
            else
            {
                obj[(string)key] = value;
            }
        }
        else if (parent is JsonArray array)
        {
            if (drop)
            {
                array.RemoveAt((int)key);
            }
            else
            {
                array[(int)key] = value;
            }
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode? node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? child) in obj.ToList())
                {
                    slots.Add((obj, key));
                    Collect(child, slots);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    Collect(array[i], slots);
                }

                break;
        }
    }
}

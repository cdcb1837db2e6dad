using System.Text.Json;
using EvCloud.Fast.Tariffs;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData("\"start_time\":\"24:00\"")] // 2.2.1 regex allows hours 00-23 only; midnight as end is "00:00"
    [InlineData("\"start_time\":\"7:00\"")] // no leading zero
    [InlineData("\"end_time\":\"17:00:00\"")] // seconds are not part of the format
    [InlineData("\"start_date\":\"2024-13-01\"")] // month 13
    [InlineData("\"start_date\":\"12-06-2024\"")] // not ISO order
    [InlineData("\"day_of_week\":[\"MON\"]")] // not an OCPI DayOfWeek
    [InlineData("\"reservation\":\"RESERVED\"")] // not an OCPI ReservationRestrictionType
    [InlineData("\"min_kwh\":\"20\"")] // a number written as a string
    public void ParseTariff_Rejects_AnInvalidRestriction(string restriction)
        => Assert.Throws<JsonException>(() => TariffOf("""{"price_components":[{"type":"ENERGY","price":0.25,"step_size":1}],"restrictions":{""" + restriction + "}}"));

    [Theory]
    [InlineData("""{"type":"HOURLY","price":1,"step_size":1}""")] // not an OCPI TariffDimensionType
    [InlineData("""{"type":"energy","price":1,"step_size":1}""")] // OCPI enums are upper case
    [InlineData("""{"type":"ENERGY","step_size":1}""")] // price is required
    [InlineData("""{"type":"ENERGY","price":1}""")] // step_size is required
    public void ParseTariff_Rejects_AnInvalidPriceComponent(string component)
        => Assert.Throws<JsonException>(() => TariffOf($$"""{"price_components":[{{component}}]}"""));

    [Theory]
    [InlineData("""{"country_code":"NL","party_id":"EVC","id":"1","currency":"EUR","elements":[],"last_updated":"yesterday"}""")] // not an RFC 3339 DateTime
    [InlineData("""{"country_code":"NL","party_id":"EVC","id":"1","elements":[],"last_updated":"2024-01-01T00:00:00Z"}""")] // currency is required
    public void ParseTariff_Rejects_AnInvalidTariff(string json)
        => Assert.Throws<JsonException>(() => ParseTariff(json));

    [Fact]
    public void ParseTariff_ReadsADateTimeWithoutOffset_AsUtc()
        => Assert.Equal(Utc(2019, 1, 28, 12, 0), ParseTariff("""{"country_code":"NL","party_id":"EVC","id":"1","currency":"EUR","elements":[],"last_updated":"2019-01-28T12:00:00"}""").LastUpdated);

    [Theory]
    [InlineData(0, 10, 5, 5)] // energy goes down: the pricer takes cumulative import readings
    [InlineData(10, 0, 0, 5)] // second point before the first
    [InlineData(0, 0, 0, 5)] // two points at the same instant
    public void SessionUsage_Rejects_InconsistentMeterPoints(int firstMinute, int secondMinute, double firstKwh, double secondKwh)
    {
        var t0 = Utc(2024, 6, 12, 12, 0);
        var points = new MeterPoint[]
        {
            new(t0 + TimeSpan.FromMinutes(firstMinute), firstKwh == 0 ? 0m : 10m, true),
            new(t0 + TimeSpan.FromMinutes(secondMinute), (decimal)secondKwh, true),
        };
        Assert.Throws<ArgumentException>(() => SessionUsage.Create(t0, t0 + TimeSpan.FromHours(1), "UTC", points));
    }

    [Fact]
    public void SessionUsage_Rejects_AnEndBeforeTheStart()
        => Assert.Throws<ArgumentException>(() => SessionUsage.Create(Utc(2024, 6, 12, 12), Utc(2024, 6, 12, 11), "UTC", [new(Utc(2024, 6, 12, 12), 0m, true)]));

    [Fact]
    public void SessionUsageBuilder_Rejects_AnOlderReading()
    {
        var builder = new SessionUsageBuilder(Utc(2024, 6, 12, 12), "UTC").Add(Utc(2024, 6, 12, 12, 10), 1m, true);
        Assert.Throws<ArgumentException>(() => builder.Add(Utc(2024, 6, 12, 12, 5), 2m, true));
    }
}

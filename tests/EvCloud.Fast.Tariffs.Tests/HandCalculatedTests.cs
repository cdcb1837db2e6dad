using EvCloud.Fast.Tariffs;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

/// <summary>Sessions at a location in Europe/Amsterdam, priced by hand.</summary>
public sealed class HandCalculatedTests
{
    private static readonly Tariff s_nightDay = TariffOf("""
        {"price_components":[{"type":"ENERGY","price":0.20,"vat":21,"step_size":1}],"restrictions":{"start_time":"23:00","end_time":"07:00"}},
        {"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1}]}
        """);

    private static SessionUsage Linear(DateTimeOffset start, TimeSpan duration, decimal kwh, string zone = Amsterdam)
        => SessionUsage.Create(start, start + duration, zone, [new(start, 0m, true), new(start + duration, kwh, true)]);

    [Fact]
    public void Price_SplitsThePeriod_AtTheNightRateBoundary()
    {
        // 06:00-08:00, 10 kWh at an even pace: 5 kWh at night (1.00) and 5 kWh by day (1.50).
        var start = Local(Amsterdam, 2024, 6, 12, 6, 0);
        var priced = Price(s_nightDay, Linear(start, TimeSpan.FromHours(2), 10m), Exact);
        Assert.Equal(2.50m, priced.TotalCost.ExclVat);
        Assert.Equal(3.025m, priced.TotalCost.InclVat);
        Assert.Equal([start, Local(Amsterdam, 2024, 6, 12, 7, 0)], priced.ChargingPeriods.Select(p => p.StartDateTime));
        Assert.Equal(5m, priced.ChargingPeriods[0].Dimensions.Single(d => d.Type == CdrDimensionType.Energy).Volume);
    }

    [Fact]
    public void Price_AppliesTheNightRate_InAWindowThatWrapsPastMidnight()
    {
        // 22:00-01:00, 6 kWh: 2 kWh by day (0.60) then 4 kWh at night (0.80) across midnight.
        var priced = Price(s_nightDay, Linear(Local(Amsterdam, 2024, 6, 12, 22, 0), TimeSpan.FromHours(3), 6m), Exact);
        Assert.Equal(1.40m, priced.TotalCost.ExclVat);
        Assert.Equal(2, priced.ChargingPeriods.Count);
    }

    // 2024-03-31 the clocks go 02:00 -> 03:00 in Amsterdam, 2024-10-27 they go 03:00 -> 02:00: a 01:00-03:00 window
    // lasts one real hour in spring and three in autumn. 00:00-06:00 local, € 1 per hour inside the window.
    [Theory]
    [InlineData(3, 31, 1.00)]
    [InlineData(10, 27, 3.00)]
    [InlineData(6, 12, 2.00)]
    public void Price_FollowsLocalTime_OnDaylightSavingTransitionDays(int month, int day, double expected)
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"TIME","price":1.00,"step_size":1}],"restrictions":{"start_time":"01:00","end_time":"03:00"}},
            {"price_components":[{"type":"TIME","price":0,"step_size":1}]}
            """);
        var start = Local(Amsterdam, 2024, month, day, 0, 0);
        var end = Local(Amsterdam, 2024, month, day, 6, 0);
        var session = SessionUsage.Create(start, end, Amsterdam, [new(start, 0m, true), new(end, 30m, true)]);
        Assert.Equal((decimal)expected, Price(tariff, session, Exact).TotalCost.ExclVat);
    }

    [Fact]
    public void Price_SplitsAtTheKwhThreshold_InsideAMeterInterval()
    {
        // 20 kWh in one hour with readings only at both ends: the first 10 kWh (until 30 min) at 0.10, the rest at 0.40;
        // TIME is free until 10 kWh and € 6/h after, so 30 interpolated minutes cost € 3.
        var tariff = TariffOf("""
            {"price_components":[{"type":"ENERGY","price":0.10,"step_size":1},{"type":"TIME","price":0,"step_size":1}],"restrictions":{"max_kwh":10}},
            {"price_components":[{"type":"ENERGY","price":0.40,"step_size":1},{"type":"TIME","price":6,"step_size":1}],"restrictions":{"min_kwh":10}}
            """);
        var start = Local(Amsterdam, 2024, 6, 12, 12, 0);
        var priced = Price(tariff, Linear(start, TimeSpan.FromHours(1), 20m), Exact);
        Assert.Equal(1.00m + 4.00m + 3.00m, priced.TotalCost.ExclVat);
        Assert.Equal(start + TimeSpan.FromMinutes(30), priced.ChargingPeriods[1].StartDateTime);
    }

    [Fact]
    public void Price_ChargesTimeOnlyAfterMinDuration_AndStopsTheFirstElementAtMaxDuration()
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"TIME","price":0,"step_size":1}],"restrictions":{"max_duration":1800}},
            {"price_components":[{"type":"TIME","price":2.00,"step_size":1}],"restrictions":{"min_duration":1800,"max_duration":5400}},
            {"price_components":[{"type":"TIME","price":4.00,"step_size":1}]}
            """);
        // 2 h: 30 min free, 60 min at € 2, 30 min at € 4.
        var priced = Price(tariff, Linear(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(2), 20m), Exact);
        Assert.Equal(4.00m, priced.TotalCost.ExclVat);
        Assert.Equal(3, priced.ChargingPeriods.Count);
    }

    [Theory]
    [InlineData(15, 0.00)] // Saturday: the weekend element is free
    [InlineData(17, 3.00)] // Monday: the fallback at € 3/h parking
    public void Price_PicksTheElement_ByLocalDayOfWeek(int day, double expected)
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"PARKING_TIME","price":0,"step_size":1}],"restrictions":{"day_of_week":["SATURDAY","SUNDAY"]}},
            {"price_components":[{"type":"PARKING_TIME","price":3,"step_size":1}]}
            """);
        var start = Local(Amsterdam, 2024, 6, day, 10, 0);
        var priced = Price(tariff, ChargeThenPark(start, TimeSpan.FromHours(1), 10m, TimeSpan.FromHours(1), Amsterdam), Exact);
        Assert.Equal((decimal)expected, priced.TotalCost.ExclVat);
    }

    [Fact]
    public void Price_ChangesTheWeekdayElement_AtLocalMidnight_NotUtcMidnight()
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"TIME","price":6,"step_size":1}],"restrictions":{"day_of_week":["SATURDAY"]}},
            {"price_components":[{"type":"TIME","price":0,"step_size":1}]}
            """);
        // Friday 23:00 to Saturday 01:00 Amsterdam (21:00-23:00 UTC, still Friday in UTC): one paid hour.
        var priced = Price(tariff, Linear(Local(Amsterdam, 2024, 6, 14, 23, 0), TimeSpan.FromHours(2), 10m), Exact);
        Assert.Equal(6m, priced.TotalCost.ExclVat);
    }

    [Fact]
    public void Price_ChargesTheFlatFeeOnce_EvenWhenItsElementMatchesAgainLater()
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"FLAT","price":1.00,"step_size":1}],"restrictions":{"start_time":"08:00","end_time":"09:00"}},
            {"price_components":[{"type":"FLAT","price":0.50,"step_size":1},{"type":"ENERGY","price":0.25,"step_size":1}]}
            """);
        // Starts 07:00 (the fallback's € 0.50 applies from the first moment) and runs through two 08:00 windows.
        var priced = Price(tariff, Linear(Local(Amsterdam, 2024, 6, 12, 7, 0), TimeSpan.FromHours(26), 40m), Exact);
        var flat = Assert.Single(priced.Breakdown, l => l.Dimension == TariffDimensionType.Flat);
        Assert.Equal((1, 0.50m), (flat.ElementIndex, flat.AmountExclVat));
        Assert.Equal(10.50m, priced.TotalCost.ExclVat);
    }

    [Fact]
    public void Price_BillsParkingAfterCharging_AndReportsItAsParkingTime()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1},{"type":"PARKING_TIME","price":2.40,"vat":21,"step_size":60}]}""");
        var priced = Price(tariff, ChargeThenPark(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(2), 22m, TimeSpan.FromMinutes(90), Amsterdam));
        // Incl. VAT: energy 6.60 × 1.21 = 7.986 → 7.99, parking 3.60 × 1.21 = 4.356 → 4.36; the total is their sum,
        // 12.35 (rounding the exact 12.342 would give 12.34, a cent off the two totals printed beside it).
        Assert.Equal(new Price(10.20m, 12.35m), priced.TotalCost);
        Assert.Equal(new Price(6.60m, 7.99m), priced.TotalEnergyCost);
        Assert.Equal(new Price(3.60m, 4.36m), priced.TotalParkingCost);
        Assert.Equal(1.5m, priced.TotalParkingTime);
        Assert.Equal(3.5m, priced.TotalTime);
        Assert.Equal(1.5m, priced.ChargingPeriods[1].Dimensions.Single(d => d.Type == CdrDimensionType.ParkingTime).Volume);
        Assert.DoesNotContain(priced.ChargingPeriods[1].Dimensions, d => d.Type is CdrDimensionType.Time or CdrDimensionType.Energy);
    }

    [Fact]
    public void Price_WithoutVat_ReportsInclEqualToExcl()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}""");
        Assert.Equal(new Price(3.00m, 3.00m), Price(tariff, Linear(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(1), 10m)).TotalCost);
    }

    [Fact]
    public void Price_MixesVatRates_PerComponent()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"FLAT","price":1.00,"vat":9,"step_size":1},{"type":"ENERGY","price":0.30,"vat":21,"step_size":1}]}""");
        Assert.Equal(new Price(4.00m, 4.72m), Price(tariff, Linear(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(1), 10m)).TotalCost);
    }

    // min_price / max_price bounds excl. and incl. VAT separately; a limit without incl_vat scales the incl. total.
    [Theory]
    [InlineData("\"min_price\":{\"excl_vat\":5.00,\"incl_vat\":6.00},", 5.00, 6.00)]
    [InlineData("\"min_price\":{\"excl_vat\":5.00},", 5.00, 6.05)]
    [InlineData("\"max_price\":{\"excl_vat\":2.00,\"incl_vat\":2.20},", 2.00, 2.20)]
    [InlineData("\"max_price\":{\"excl_vat\":3.10,\"incl_vat\":3.50},", 3.00, 3.50)]
    [InlineData("\"max_price\":{\"excl_vat\":2.00},", 2.00, 2.42)]
    public void Price_ClampsTheTotal_ToMinAndMaxPrice(string limit, double excl, double incl)
    {
        var tariff = TariffOf("""{"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1}]}""", limit);
        var priced = Price(tariff, Linear(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(1), 10m));
        Assert.Equal(new Price((decimal)excl, (decimal)incl), priced.TotalCost);
        Assert.Equal(new Price(3.00m, 3.63m), priced.TotalCostBeforeLimits);
    }

    [Fact]
    public void Price_RefusesATariff_OutsideItsValidityWindow()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}""", "\"end_date_time\":\"2024-01-31T23:00:00Z\",");
        var session = Linear(Local(Amsterdam, 2024, 6, 12, 12, 0), TimeSpan.FromHours(1), 10m);
        Assert.Throws<TariffNotValidException>(() => Price(tariff, session));
        Assert.Equal(3.00m, Price(tariff, session, new TariffPricingOptions { EnforceValidityWindow = false }).TotalCost.ExclVat);
    }

    [Fact]
    public void StepSizeOptions_ChangeOnlyWhatTheySay()
    {
        // 16:55-17:05 charging (element 1 step 30 min, element 2 step 15 min), then 2 min parking.
        var tariff = LoadExample("tariff_14_step_size.json");
        var session = ChargeThenPark(Local("Europe/Berlin", 2019, 3, 4, 16, 55), TimeSpan.FromMinutes(10), 5m, TimeSpan.FromMinutes(2), "Europe/Berlin");
        Assert.Equal(0.55m, Price(tariff, session, Exact).TotalCost.ExclVat);
        // Each element rounds its own: 30 min × 1.20 + 15 min × 2.40 + 15 min parking × 1.00.
        Assert.Equal(0.60m + 0.60m + 0.25m, Price(tariff, session, Exact with { StepSize = StepSizeRule.EachComponentSeparately }).TotalCost.ExclVat);
        // TIME rounded too (10 min -> 15 at the last TIME step, the 10 extra min at 2.40).
        Assert.Equal(0.10m + 0.40m + 0.25m, Price(tariff, session, Exact with { RoundTimeAndParkingSeparately = true }).TotalCost.ExclVat);
        // Exact quantities: 5 + 5 min charging, 2 min parking.
        Assert.Equal(0.10m + 0.20m, decimal.Round(Price(tariff, session, Exact with { StepSize = StepSizeRule.Ignore }).TotalCost.ExclVat - (2m / 60), 20));
    }

    [Fact]
    public void Breakdown_ExplainsEachLine_ForTheSupportDesk()
    {
        var priced = Price(s_nightDay, Linear(Local(Amsterdam, 2024, 6, 12, 6, 0), TimeSpan.FromHours(2), 10m));
        Assert.Equal(2, priced.Breakdown.Count);
        Assert.Contains("element #1 (start_time 23:00, end_time 07:00)", priced.Breakdown[0].Reason, StringComparison.Ordinal);
        Assert.Contains("element #2 (no restrictions)", priced.Breakdown[1].Reason, StringComparison.Ordinal);
        var text = priced.ToBreakdownText();
        Assert.Contains("Total 2.50 excl. VAT, 3.03 incl. VAT", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_BuildsTheSameSession_AsTheConstructor_AndReplacesARepeatedReading()
    {
        var start = Local(Amsterdam, 2024, 6, 12, 6, 0);
        var builder = new SessionUsageBuilder(start, Amsterdam)
            .Add(start, 100m, true)
            .Add(start + TimeSpan.FromHours(1), 104m, true)
            .Add(start + TimeSpan.FromHours(2), 109m, true)
            .Add(start + TimeSpan.FromHours(2), 110m, true);
        var priced = Price(s_nightDay, builder.Build(start + TimeSpan.FromHours(2)), Exact);
        Assert.Equal(10m, priced.TotalEnergy);
        Assert.Equal(0.20m * 4 + 0.30m * 6, priced.TotalCost.ExclVat);
    }
}

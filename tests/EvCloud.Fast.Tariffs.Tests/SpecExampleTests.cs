using System.Text.Json;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.V211;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

/// <summary>
/// The examples of OCPI 2.2.1 mod_tariffs and mod_cdrs (release-2.2.1-bugfixes), priced as their prose describes.
/// Sessions run in UTC unless the example involves local time; none of the examples depends on the date.
/// </summary>
public sealed class SpecExampleTests
{
    private static readonly DateTimeOffset s_monday = Utc(2019, 3, 4, 9, 30);

    public static TheoryData<string> AllExamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "SpecExamples"), "tariff*.json"))
        {
            data.Add(Path.GetFileName(file));
        }
        data.Add("v221-tag_tariff_7_first_hour_kwh_free.json");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllExamples))]
    public void EverySpecTariffExample_Parses_AndSurvivesARoundTrip(string file)
    {
        var tariff = LoadExample(file);
        Assert.NotEmpty(tariff.Elements);
        Assert.All(tariff.Elements, e => Assert.NotEmpty(e.PriceComponents));

        var json = JsonSerializer.Serialize(tariff, OcpiTariffJsonContext.Default.Tariff);
        var again = JsonSerializer.Deserialize(json, OcpiTariffJsonContext.Default.Tariff)!;
        Assert.Equal(json, JsonSerializer.Serialize(again, OcpiTariffJsonContext.Default.Tariff));
        Assert.DoesNotContain("\"ExclVat\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ComplexExample_ReadsEveryOcpiFieldName()
    {
        var t = LoadExample("tariff_4_complex.json");
        Assert.Equal(TariffType.Regular, t.Type);
        Assert.Equal("https://company.com/tariffs/14", t.TariffAltUrl);
        Assert.Equal(TariffDimensionType.Flat, t.Elements[0].PriceComponents[0].Type);
        Assert.Equal(15.0m, t.Elements[0].PriceComponents[0].Vat);
        Assert.Equal(32.00m, t.Elements[1].Restrictions!.MaxCurrent);
        Assert.Equal([OcpiDayOfWeek.Saturday, OcpiDayOfWeek.Sunday], t.Elements[3].Restrictions!.DayOfWeek);
        Assert.Equal(new TimeOnly(9, 0), t.Elements[4].Restrictions!.StartTime);
        Assert.Equal(300, t.Elements[5].PriceComponents[0].StepSize);

        var max = LoadExample("tariff_6_025kwh_start_max_price.json");
        Assert.Equal(new Price(10.00m, 11.00m), max.MaxPrice);
        Assert.Equal(Utc(2019, 6, 30, 23, 59, 59), max.EndDateTime);

        var reservation = LoadExample("tariff_17_reservation_with_expire_fee.json");
        Assert.Equal(ReservationRestrictionType.ReservationExpires, reservation.Elements[0].Restrictions!.Reservation);
        Assert.Equal("en", LoadExample("tariff_2_alt_text.json").TariffAltText![0].Language);
    }

    // mod_tariffs "Simple Tariff example € 0.25 per kWh": 20 kWh cost € 5.00 excl., € 5.50 incl.
    // "€ 0.25 per kWh + start fee": € 5.50 / € 6.10. "+ minimum price": € 5.00 / € 5.50 for 20 kWh, € 0.50 / € 0.55 below 2 kWh.
    [Theory]
    [InlineData("tariff_8_simple_025kwh.json", "20", "5.00", "5.50")]
    [InlineData("tariff_9_025kwh_start.json", "20", "5.50", "6.10")]
    [InlineData("tariff_12_025kwh_min_price.json", "20", "5.00", "5.50")]
    [InlineData("tariff_12_025kwh_min_price.json", "1", "0.50", "0.55")]
    [InlineData("tariff_6_025kwh_start_max_price.json", "50", "10.00", "11.00")]
    [InlineData("tariff_6_025kwh_start_max_price.json", "30", "8.00", "8.85")]
    public void EnergyExamples_CostWhatTheSpecSays(string file, string kwh, string excl, string incl)
    {
        var session = ChargeThenPark(s_monday, TimeSpan.FromHours(2), decimal.Parse(kwh), TimeSpan.Zero);
        var priced = Price(LoadExample(file), session);
        Assert.Equal(new Price(decimal.Parse(excl), decimal.Parse(incl)), priced.TotalCost);
    }

    [Fact]
    public void MaxPriceExample_SaysTheLimitApplied()
    {
        var priced = Price(LoadExample("tariff_6_025kwh_start_max_price.json"), ChargeThenPark(s_monday, TimeSpan.FromHours(3), 50m, TimeSpan.Zero));
        Assert.True(priced.MaxPriceApplied);
        Assert.Equal(new Price(13.00m, 14.35m), priced.TotalCostBeforeLimits);
    }

    // "€ 0.25 per kWh + parking fee + start fee": 20 kWh and 40 minutes parking, billed as 45: € 7.00 / € 7.90.
    [Fact]
    public void ParkingAndStartFeeExample_BillsFortyFiveMinutesOfParking()
    {
        var priced = Price(LoadExample("tariff_10_025kwh_parking_start.json"), ChargeThenPark(s_monday, TimeSpan.FromHours(2), 20m, TimeSpan.FromMinutes(40)));
        Assert.Equal(new Price(7.00m, 7.90m), priced.TotalCost);
        var parking = Assert.Single(priced.Breakdown, l => l.Dimension == TariffDimensionType.ParkingTime);
        Assert.Equal(0.75m, parking.BilledQuantity);
    }

    // "Simple Tariff example € 2 per hour": 2.5 h charging cost € 5.00 / € 5.50.
    // "€ 3 per hour, € 5 per hour parking": 150 min charging + 42 min parking (billed 45) cost € 11.25 / € 12.75.
    // "Ad-Hoc simple Tariff example": 2.5 h at € 1.90 + 5.2 % VAT cost € 4.75 / € 5.00 (4.997 rounded).
    [Theory]
    [InlineData("tariff_1_simple_2hour.json", 150, 0, "5.00", "5.50")]
    [InlineData("tariff_13_simple_3hour_5parking.json", 150, 42, "11.25", "12.75")]
    [InlineData("tariff_2_alt_text.json", 150, 0, "4.75", "5.00")]
    public void TimeExamples_CostWhatTheSpecSays(string file, int chargingMinutes, int parkingMinutes, string excl, string incl)
    {
        var session = ChargeThenPark(s_monday, TimeSpan.FromMinutes(chargingMinutes), 30m, TimeSpan.FromMinutes(parkingMinutes));
        Assert.Equal(new Price(decimal.Parse(excl), decimal.Parse(incl)), Price(LoadExample(file), session).TotalCost);
    }

    // "Simple Tariff example with alternative URL": 20.45 kWh billed per 100 Wh as 20.5 kWh:
    // flat € 0.50 / € 0.60, energy € 5.13 / € 5.64, total € 5.63 / € 6.24.
    [Fact]
    public void AltUrlExample_RoundsEnergyUpToTheStep_AndTotalsAsTheSpecTable()
    {
        var priced = Price(LoadExample("tariff_3_alt_url.json"), ChargeThenPark(s_monday, TimeSpan.FromHours(2), 20.45m, TimeSpan.Zero));
        Assert.Equal(new Price(0.50m, 0.60m), priced.TotalFixedCost);
        Assert.Equal(new Price(5.13m, 5.64m), priced.TotalEnergyCost);
        Assert.Equal(new Price(5.63m, 6.24m), priced.TotalCost);
        Assert.Equal(20.5m, Assert.Single(priced.Breakdown, l => l.Dimension == TariffDimensionType.Energy).BilledQuantity);
    }

    // "Complex Tariff example", Monday 09:30, 165 min at 16 A, 42 min parking: € 9.00 / € 10.30
    // (flat 2.50 / 2.875, charging 2.75 / 3.30 not rounded because parking follows, parking 45 min 3.75 / 4.125).
    [Fact]
    public void ComplexExample_MondayMorning_CostsNineEuro()
    {
        var session = ChargeThenPark(s_monday, TimeSpan.FromMinutes(165), 30m, TimeSpan.FromMinutes(42), currentA: 16m);
        var priced = Price(LoadExample("tariff_4_complex.json"), session, Exact);
        Assert.Equal(new Price(9.00m, 10.30m), priced.TotalCost);
        Assert.Equal(new Price(2.75m, 3.30m), priced.TotalTimeCost);
        Assert.Equal(new Price(3.75m, 4.125m), priced.TotalParkingCost);
        Assert.Equal(new Price(2.50m, 2.875m), priced.TotalFixedCost);
    }

    // Same example, Saturday 13:30, 114 min at >= 43 A, 71 min parking. The spec's table bills the charging time as
    // 2.28 (114 min at € 1.20/h), but the weekend element it names costs € 1.25/h: 114 min = € 2.375. With parking
    // 75 min × € 6 = 7.50 and flat 2.50 the total is € 12.375 / € 13.975, not the printed € 12.28 / € 13.861.
    [Fact]
    public void ComplexExample_SaturdayAfternoon_UsesTheWeekendRate_NotTheSpecTablesArithmeticSlip()
    {
        var session = ChargeThenPark(Utc(2019, 3, 9, 13, 30), TimeSpan.FromMinutes(114), 60m, TimeSpan.FromMinutes(71), currentA: 43m);
        var priced = Price(LoadExample("tariff_4_complex.json"), session, Exact);
        Assert.Equal(new Price(2.375m, 2.85m), priced.TotalTimeCost);
        Assert.Equal(new Price(7.50m, 8.25m), priced.TotalParkingCost);
        Assert.Equal(new Price(12.375m, 13.975m), priced.TotalCost);
    }

    [Fact]
    public void FreeOfChargeExample_CostsNothing()
    {
        var priced = Price(LoadExample("tariff_5_free_of_charge.json"), ChargeThenPark(s_monday, TimeSpan.FromHours(3), 40m, TimeSpan.FromHours(1)));
        Assert.Equal(new Price(0m, 0m), priced.TotalCost);
    }

    // "Tariff example with reservation price": 15 min reservation, 20 kWh: € 6.75 / € 7.60.
    // "... reservation price and fee": 13 min (billed 15) + € 2 fee: € 8.75 / € 10.00.
    // "... reservation price and expire fee": 22 min (billed 30): € 6.50 / € 7.30.
    // "... reservation time and expire time": 22 min (billed 30) at € 3/h: € 7.00 / € 7.90.
    [Theory]
    [InlineData("tariff_15_reservation_5_euro_per_hour.json", 15, "6.75", "7.60")]
    [InlineData("tariff_16_reservation_2_euro_fee_5_euro_per_hour.json", 13, "8.75", "10.00")]
    [InlineData("tariff_17_reservation_with_expire_fee.json", 22, "6.50", "7.30")]
    [InlineData("tariff_18_reservation_with_expire_time.json", 22, "7.00", "7.90")]
    public void ReservationExamples_CostWhatTheSpecSays(string file, int reservedMinutes, string excl, string incl)
    {
        var reservation = new SessionReservation(s_monday - TimeSpan.FromMinutes(reservedMinutes));
        var session = ChargeThenPark(s_monday, TimeSpan.FromHours(2), 20m, TimeSpan.Zero, reservation: reservation);
        var priced = Price(LoadExample(file), session);
        Assert.Equal(new Price(decimal.Parse(excl), decimal.Parse(incl)), priced.TotalCost);
        Assert.Equal(reservation.ReservedAt, priced.StartDateTime);
        Assert.Equal(CdrDimensionType.ReservationTime, priced.ChargingPeriods[0].Dimensions[0].Type);
    }

    // Expired reservations: example 17, 1 h: € 4 expire fee + 60 min at € 2/h = € 6.00 / € 7.20;
    // example 18, 1.5 h at the RESERVATION_EXPIRES rate € 6/h = € 9.00 / € 10.80.
    [Theory]
    [InlineData("tariff_17_reservation_with_expire_fee.json", 60, "6.00", "7.20")]
    [InlineData("tariff_18_reservation_with_expire_time.json", 90, "9.00", "10.80")]
    public void ExpiredReservationExamples_CostWhatTheSpecSays(string file, int reservedMinutes, string excl, string incl)
    {
        var expiry = s_monday;
        var session = SessionUsage.Create(expiry, expiry, "UTC", [], new SessionReservation(expiry - TimeSpan.FromMinutes(reservedMinutes), Expired: true));
        var priced = Price(LoadExample(file), session);
        Assert.Equal(new Price(decimal.Parse(excl), decimal.Parse(incl)), priced.TotalCost);
        Assert.Equal(new Price(0m, 0m), priced.TotalFixedCost);
    }

    // mod_tariffs "Tariff with max_power": 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW: € 20.30.
    [Fact]
    public void MaxPowerExample_CostsTwentyThirty()
    {
        var t0 = s_monday;
        var t1 = t0 + TimeSpan.FromMinutes(10);
        var t2 = t1 + TimeSpan.FromMinutes(50);
        var t3 = t2 + TimeSpan.FromMinutes(7.5);
        var session = SessionUsage.Create(t0, t3, "UTC",
        [
            new(t0, 0m, true, PowerKw: 6m),
            new(t1, 1m, true, PowerKw: 48m),
            new(t2, 41m, true, PowerKw: 4m),
            new(t3, 41.5m, true, PowerKw: 4m),
        ]);
        Assert.Equal(20.30m, Price(LoadExample("tariffrestriction_example_max_power.json"), session).TotalCost.ExclVat);
    }

    [Fact]
    public void MaxPowerExample_DerivesPowerFromTheMeter_WhenTheChargerReportsNone()
    {
        var t0 = s_monday;
        var session = SessionUsage.Create(t0, t0 + TimeSpan.FromMinutes(67.5), "UTC",
        [
            new(t0, 0m, true),
            new(t0 + TimeSpan.FromMinutes(10), 1m, true),
            new(t0 + TimeSpan.FromMinutes(60), 41m, true),
            new(t0 + TimeSpan.FromMinutes(67.5), 41.5m, true),
        ]);
        Assert.Equal(20.30m, Price(LoadExample("tariffrestriction_example_max_power.json"), session).TotalCost.ExclVat);
    }

    // mod_tariffs "Tariff with max_duration": 40 min, 5 kWh in the first 30 (free), 1.2 kWh after at € 0.25: € 0.30.
    [Fact]
    public void MaxDurationExample_CostsThirtyCents()
    {
        var t0 = s_monday;
        var session = SessionUsage.Create(t0, t0 + TimeSpan.FromMinutes(40), "UTC",
        [
            new(t0, 100m, true),
            new(t0 + TimeSpan.FromMinutes(30), 105m, true),
            new(t0 + TimeSpan.FromMinutes(40), 106.2m, true),
        ]);
        var priced = Price(LoadExample("tariffrestriction_example_max_duration.json"), session);
        Assert.Equal(new Price(0.30m, 0.36m), priced.TotalCost);
        Assert.Equal(6.2m, priced.TotalEnergy);
    }

    // mod_tariffs PriceComponent step_size note: 115.2 Wh at € 0.25/kWh is billed as 116 Wh (€ 0.029) with step 1,
    // 125 Wh (€ 0.031, exactly 0.03125) with step 25, 500 Wh (€ 0.125) with step 500.
    [Theory]
    [InlineData(1, "0.029")]
    [InlineData(25, "0.03125")]
    [InlineData(500, "0.125")]
    public void EnergyStepSizeNote_BillsWholeSteps(int stepSize, string amount)
    {
        var tariff = TariffOf($$"""{"price_components":[{"type":"ENERGY","price":0.25,"step_size":{{stepSize}}}]}""");
        var priced = Price(tariff, ChargeThenPark(s_monday, TimeSpan.FromMinutes(5), 0.1152m, TimeSpan.Zero), Exact);
        Assert.Equal(decimal.Parse(amount), priced.TotalCost.ExclVat);
    }

    // mod_tariffs "Example Tariff" for step_size (tariff_14): #1 16:55, 10 min charging, 2 min parking: € 0.55;
    // #2 16:35, 35 min charging, billed 45 with the 17:00 element's step: € 1.30;
    // #3 19:40, 12 min charging, 20 min parking of which 8 before 20:00 are paid, billed 15: € 0.73.
    [Theory]
    [InlineData(16, 55, 10, 2, "0.55")]
    [InlineData(16, 35, 35, 0, "1.30")]
    [InlineData(19, 40, 12, 20, "0.73")]
    public void StepSizeExamples_BillTheLastTimeBasedComponentsStep(int hour, int minute, int chargingMinutes, int parkingMinutes, string excl)
    {
        var start = Local("Europe/Berlin", 2019, 3, 4, hour, minute);
        var session = ChargeThenPark(start, TimeSpan.FromMinutes(chargingMinutes), 5m, TimeSpan.FromMinutes(parkingMinutes), "Europe/Berlin");
        var priced = Price(LoadExample("tariff_14_step_size.json"), session, Exact);
        Assert.Equal(decimal.Parse(excl), priced.TotalCost.ExclVat);
    }

    [Fact]
    public void StepSizeExample2_PutsTheRoundedUpMinutesOnTheLastElement()
    {
        var start = Local("Europe/Berlin", 2019, 3, 4, 16, 35);
        var priced = Price(LoadExample("tariff_14_step_size.json"), ChargeThenPark(start, TimeSpan.FromMinutes(35), 5m, TimeSpan.Zero, "Europe/Berlin"), Exact);
        Assert.Collection(priced.Breakdown,
            before => Assert.Equal((25m / 60, 25m / 60, 0.50m), (before.Quantity, before.BilledQuantity, decimal.Round(before.AmountExclVat, 20))),
            after => Assert.Equal((10m / 60, 20m / 60, 0.80m), (after.Quantity, after.BilledQuantity, decimal.Round(after.AmountExclVat, 20))));
        Assert.Contains("step_size 900", priced.Breakdown[1].Reason, StringComparison.Ordinal);
    }

    // mod_cdrs "step_size": charging and parking both step 5 min; 21 min charging + 7 min parking bill 21 + 10 min.
    [Fact]
    public void CdrStepSizeExample_ChargingFollowedByParking_RoundsOnlyTheParking()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"TIME","price":6.00,"step_size":300},{"type":"PARKING_TIME","price":6.00,"step_size":300}]}""");
        var priced = Price(tariff, ChargeThenPark(s_monday, TimeSpan.FromMinutes(21), 5m, TimeSpan.FromMinutes(7)), Exact);
        Assert.Equal(2.10m, priced.TotalTimeCost.ExclVat);
        Assert.Equal(1.00m, priced.TotalParkingCost.ExclVat);
    }

    // mod_cdrs "step_size": energy € 0.20 before 17:00 and € 0.27 after, step 500 Wh; 4.3 + 1.1 kWh bill 5.5 kWh in total,
    // the extra 0.1 kWh after 17:00: 0.86 + 1.2 × 0.27 = € 1.184.
    // Time € 5/h before 17:00 and € 7/h after, step 10 min; 6 + 22 min bill 30 min: 0.50 + 24 min × 7/h = € 3.30.
    [Fact]
    public void CdrStepSizeExamples_RoundTheSessionTotal_NotTheLastPeriod()
    {
        var energy = TariffOf("""
            {"price_components":[{"type":"ENERGY","price":0.20,"step_size":500}],"restrictions":{"end_time":"17:00"}},
            {"price_components":[{"type":"ENERGY","price":0.27,"step_size":500}]}
            """);
        var t0 = Utc(2019, 3, 4, 16, 0);
        var session = SessionUsage.Create(t0, t0 + TimeSpan.FromHours(2), "UTC",
            [new(t0, 0m, true), new(t0 + TimeSpan.FromHours(1), 4.3m, true), new(t0 + TimeSpan.FromHours(2), 5.4m, true)]);
        Assert.Equal(1.184m, Price(energy, session, Exact).TotalCost.ExclVat);

        var time = TariffOf("""
            {"price_components":[{"type":"TIME","price":5,"step_size":600}],"restrictions":{"end_time":"17:00"}},
            {"price_components":[{"type":"TIME","price":7,"step_size":600}]}
            """);
        var priced = Price(time, ChargeThenPark(Utc(2019, 3, 4, 16, 54), TimeSpan.FromMinutes(28), 5m, TimeSpan.Zero), Exact);
        Assert.Equal(3.30m, decimal.Round(priced.TotalCost.ExclVat, 20));
    }

    // mod_cdrs "step_size": charging € 1/h and parking € 2/h, both step 10 min; 21 min charging + 16 parking:
    // charging billed 21 min, parking 20 min.
    [Fact]
    public void CdrStepSizeExample_TimeThenParking_BillsTwentyOneAndTwentyMinutes()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"TIME","price":1.00,"step_size":600},{"type":"PARKING_TIME","price":2.00,"step_size":600}]}""");
        var priced = Price(tariff, ChargeThenPark(s_monday, TimeSpan.FromMinutes(21), 5m, TimeSpan.FromMinutes(16)), Exact);
        Assert.Equal(0.35m, priced.TotalTimeCost.ExclVat);
        Assert.Equal(decimal.Round(2m / 3, 20), decimal.Round(priced.TotalParkingCost.ExclVat, 20));
    }

    [Fact]
    public void V211ComplexExample_MapsTo221_AndPricesTheMondaySession()
    {
        var v211 = JsonSerializer.Deserialize(File.ReadAllText(ExamplePath("v211_tariff_complex.json")), OcpiTariffJsonContext.Default.Tariff211)!;
        var tariff = Tariff211Mapper.ToV221(v211, "NL", "EVC");
        Assert.Equal(("NL", "EVC", "11"), (tariff.CountryCode, tariff.PartyId, tariff.Id));
        Assert.Null(tariff.Elements[1].PriceComponents[0].Vat);
        Assert.Equal(32.00m, tariff.Elements[1].Restrictions!.MaxPower);

        var session = ChargeThenPark(s_monday, TimeSpan.FromMinutes(165), 30m, TimeSpan.FromMinutes(42), powerKw: 11m);
        Assert.Equal(new Price(9.00m, 9.00m), Price(tariff, session).TotalCost);
    }
}

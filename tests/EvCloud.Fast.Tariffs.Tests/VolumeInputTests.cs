using EvCloud.Fast.Tariffs;
using FsCheck.Xunit;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

/// <summary>Sessions given in the CDR form: charging periods whose dimension volumes are authoritative.</summary>
public sealed class VolumeInputTests
{
    private static readonly TimeZoneInfo s_utc = TimeZoneInfo.Utc;
    private static readonly DateTimeOffset s_t0 = Utc(2024, 3, 4, 10, 0);

    private static ChargingPeriod Period(DateTimeOffset at, params (CdrDimensionType Type, decimal Volume)[] dimensions)
        => new() { StartDateTime = at, Dimensions = [.. dimensions.Select(d => new CdrDimension(d.Type, d.Volume))] };

    private static PricedSession PriceVolumes(Tariff tariff, DateTimeOffset start, DateTimeOffset end, params ChargingPeriod[] periods)
        => Price(tariff, SessionUsage.FromChargingPeriods(start, end, s_utc, periods), Exact);

    [Fact]
    public void ATimeVolume_IsBilled_EvenWhereItDisagreesWithTheTimestamps()
    {
        var tariff = TariffOf("""{"price_components":[{"type":"TIME","price":2.00,"step_size":1},{"type":"PARKING_TIME","price":4.00,"step_size":1}]}""");

        // One hour between the timestamps, but the CDR says 1.5 h charging and 0.25 h parking.
        var priced = PriceVolumes(tariff, s_t0, s_t0.AddHours(1),
            Period(s_t0, (CdrDimensionType.Energy, 10m), (CdrDimensionType.Time, 1.5m)),
            Period(s_t0.AddMinutes(45), (CdrDimensionType.ParkingTime, 0.25m)));

        Assert.Equal(3.00m, priced.TotalTimeCost.ExclVat);
        Assert.Equal(1.00m, priced.TotalParkingCost.ExclVat);
        Assert.Equal(1.75m, priced.TotalTime);
        Assert.Equal(0.25m, priced.TotalParkingTime);
        Assert.Equal(10m, priced.TotalEnergy);
    }

    [Fact]
    public void APeriodWithTimeAndParking_ChargesFirst_ThenParks_AcrossATimeOfDayBoundary()
    {
        // Parking is paid only before 12:00; the period 11:00-13:00 has 1 h TIME then 1 h PARKING_TIME, so its parking
        // falls after 12:00 and is free.
        var tariff = TariffOf("""
            {"price_components":[{"type":"PARKING_TIME","price":6.00,"step_size":1}],"restrictions":{"end_time":"12:00"}},
            {"price_components":[{"type":"TIME","price":1.00,"step_size":1}]}
            """);
        var start = Utc(2024, 3, 4, 11, 0);
        var priced = PriceVolumes(tariff, start, start.AddHours(2),
            Period(start, (CdrDimensionType.Energy, 20m), (CdrDimensionType.Time, 1m), (CdrDimensionType.ParkingTime, 1m)));

        Assert.Equal(1.00m, priced.TotalCost.ExclVat);
        Assert.Equal(0m, priced.TotalParkingCost.ExclVat);
        Assert.Equal(1m, priced.TotalParkingTime);
    }

    [Fact]
    public void EnergyVolumes_CrossAKwhThreshold_InsideAPeriod()
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"ENERGY","price":0.20,"step_size":1}],"restrictions":{"max_kwh":10}},
            {"price_components":[{"type":"ENERGY","price":0.50,"step_size":1}]}
            """);
        var priced = PriceVolumes(tariff, s_t0, s_t0.AddHours(2),
            Period(s_t0, (CdrDimensionType.Energy, 6m), (CdrDimensionType.Time, 1m)),
            Period(s_t0.AddHours(1), (CdrDimensionType.Energy, 8m), (CdrDimensionType.Time, 1m)));

        // 10 kWh at 0.20, the 4 kWh beyond at 0.50.
        Assert.Equal(4.00m, priced.TotalEnergyCost.ExclVat);
    }

    [Theory]
    [InlineData("16", "20", "1.00")] // the whole period at or above 16 A: the min_current element
    [InlineData("8", "12", "2.00")] // the whole period below 16 A: the max_current element
    [InlineData("8", "20", "1.00")] // straddles 16 A: the first element that could apply, as the CPO splits where it stops
    public void CurrentRestrictions_ApplyWhenTheRangeOfAPeriodReachesThem(string minCurrent, string maxCurrent, string expected)
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"TIME","price":1.00,"step_size":1}],"restrictions":{"min_current":16}},
            {"price_components":[{"type":"TIME","price":2.00,"step_size":1}],"restrictions":{"max_current":16}}
            """);
        var priced = PriceVolumes(tariff, s_t0, s_t0.AddHours(1),
            Period(s_t0, (CdrDimensionType.Time, 1m), (CdrDimensionType.MinCurrent, decimal.Parse(minCurrent)), (CdrDimensionType.MaxCurrent, decimal.Parse(maxCurrent))));
        Assert.Equal(decimal.Parse(expected), priced.TotalCost.ExclVat);
    }

    [Fact]
    public void PowerRestrictions_ReadMinAndMaxPower_OrTheAveragePower()
    {
        var tariff = LoadExample("tariffrestriction_example_max_power.json");
        // The spec's max_power example as a CDR: 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW: € 20.30.
        var t1 = s_t0.AddMinutes(10);
        var t2 = t1.AddMinutes(50);
        var stated = PriceVolumes(tariff, s_t0, t2.AddMinutes(7.5),
            Period(s_t0, (CdrDimensionType.Energy, 1m), (CdrDimensionType.Time, 1m / 6), (CdrDimensionType.MaxPower, 6m)),
            Period(t1, (CdrDimensionType.Energy, 40m), (CdrDimensionType.Time, 5m / 6), (CdrDimensionType.MinPower, 48m), (CdrDimensionType.MaxPower, 48m)),
            Period(t2, (CdrDimensionType.Energy, 0.5m), (CdrDimensionType.Time, 0.125m), (CdrDimensionType.MaxPower, 4m)));
        var averaged = PriceVolumes(tariff, s_t0, t2.AddMinutes(7.5),
            Period(s_t0, (CdrDimensionType.Energy, 1m), (CdrDimensionType.Time, 1m / 6)),
            Period(t1, (CdrDimensionType.Energy, 40m), (CdrDimensionType.Time, 5m / 6)),
            Period(t2, (CdrDimensionType.Energy, 0.5m), (CdrDimensionType.Time, 0.125m)));

        Assert.Equal(20.30m, decimal.Round(stated.TotalCost.ExclVat, 2));
        Assert.Equal(20.30m, decimal.Round(averaged.TotalCost.ExclVat, 2));
    }

    [Fact]
    public void ReservationPeriods_ArePricedAsTheReservation_AndOnlyReservationPeriods_AsAnExpiredOne()
    {
        var tariff = LoadExample("tariff_15_reservation_5_euro_per_hour.json");
        var reserved = s_t0.AddMinutes(-15);
        var session = SessionUsage.FromChargingPeriods(reserved, s_t0.AddHours(2), s_utc,
        [
            Period(reserved, (CdrDimensionType.ReservationTime, 0.25m)),
            Period(s_t0, (CdrDimensionType.Energy, 20m), (CdrDimensionType.Time, 2m)),
        ]);
        Assert.Equal(new Price(6.75m, 7.60m), Price(LoadExample("tariff_15_reservation_5_euro_per_hour.json"), session).TotalCost);

        var expired = SessionUsage.FromChargingPeriods(reserved, reserved.AddHours(1), s_utc, [Period(reserved, (CdrDimensionType.ReservationTime, 1m))]);
        Assert.Equal(new Price(6.00m, 7.20m), Price(LoadExample("tariff_17_reservation_with_expire_fee.json"), expired).TotalCost);
        Assert.Equal(new Price(0m, 0m), Price(tariff, expired).TotalFixedCost);
    }

    [Theory]
    [InlineData(-1, 0, 0, "charging_periods[0].dimensions[0].volume")] // negative energy
    [InlineData(0, -1, 0, "charging_periods[1].dimensions[0].volume")] // negative time
    [InlineData(0, 0, -30, "charging_periods[1].start_date_time")] // the second period starts before the first: overlap
    [InlineData(0, 0, 200, "charging_periods[1].start_date_time")] // starts after the session ended
    public void BadPeriods_AreRefused_NamingTheField(int energySign, int timeSign, int secondStartMinutes, string field)
    {
        var second = secondStartMinutes == 0 ? s_t0.AddMinutes(30) : s_t0.AddMinutes(secondStartMinutes);
        var e = Assert.Throws<PricingInputException>(() => SessionUsage.FromChargingPeriods(s_t0, s_t0.AddHours(2), s_utc,
        [
            Period(s_t0, (CdrDimensionType.Energy, energySign < 0 ? -1m : 5m), (CdrDimensionType.Time, 0.5m)),
            Period(second, (CdrDimensionType.Time, timeSign < 0 ? -0.5m : 0.5m)),
        ]));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void ARepeatedDimension_OrAReservationAfterCharging_IsRefused()
    {
        var twice = Assert.Throws<PricingInputException>(() => SessionUsage.FromChargingPeriods(s_t0, s_t0.AddHours(1), s_utc,
            [Period(s_t0, (CdrDimensionType.Time, 0.5m), (CdrDimensionType.Time, 0.5m))]));
        Assert.Equal("charging_periods[0].dimensions[1].type", twice.Field);

        var late = Assert.Throws<PricingInputException>(() => SessionUsage.FromChargingPeriods(s_t0, s_t0.AddHours(1), s_utc,
            [Period(s_t0, (CdrDimensionType.Time, 0.5m)), Period(s_t0.AddMinutes(30), (CdrDimensionType.ReservationTime, 0.5m))]));
        Assert.Equal("charging_periods[1].dimensions", late.Field);
    }

    public static TheoryData<string, int, int, int> Examples() => new()
    {
        { "tariff_4_complex.json", 165, 42, 16 },
        { "tariff_13_simple_3hour_5parking.json", 150, 42, 0 },
        { "tariff_10_025kwh_parking_start.json", 120, 40, 0 },
        { "tariff_3_alt_url.json", 120, 0, 0 },
    };

    // The CDR our pricer writes, priced again from its charging periods, costs what it says: the link between the
    // CDRs a CPO sends and the check an eMSP runs on them.
    [Theory]
    [MemberData(nameof(Examples))]
    public void ACdrsOwnChargingPeriods_PriceToItsOwnTotals(string file, int chargingMinutes, int parkingMinutes, int currentA)
    {
        var tariff = LoadExample(file);
        var metered = ChargeThenPark(Utc(2019, 3, 4, 9, 30), TimeSpan.FromMinutes(chargingMinutes), 20.45m, TimeSpan.FromMinutes(parkingMinutes), currentA: currentA == 0 ? null : currentA);
        var cdr = Price(tariff, metered);
        var again = Price(tariff, SessionUsage.FromChargingPeriods(cdr.StartDateTime, cdr.EndDateTime, s_utc, cdr.ChargingPeriods));

        Assert.Equal(cdr.TotalCost, again.TotalCost);
        Assert.Equal((cdr.TotalEnergyCost, cdr.TotalTimeCost, cdr.TotalParkingCost, cdr.TotalFixedCost), (again.TotalEnergyCost, again.TotalTimeCost, again.TotalParkingCost, again.TotalFixedCost));
        Assert.Equal((cdr.TotalEnergy, cdr.TotalTime, cdr.TotalParkingTime), (again.TotalEnergy, again.TotalTime, again.TotalParkingTime));
    }
}

[FsCheck.Xunit.Properties(Arbitrary = [typeof(PricingArbitraries)], MaxTest = 300)]
public sealed class VolumeRepricingPropertyTests
{
    private const decimal Tolerance = 0.000000000000001m;

    [Property]
    public bool AnySessionPricedFromItsOwnChargingPeriods_CostsTheSame(Scenario s)
    {
        var cdr = Price(s.Tariff, s.Session, Exact);
        var again = Price(s.Tariff, SessionUsage.FromChargingPeriods(cdr.StartDateTime, cdr.EndDateTime, s.Session.TimeZone, cdr.ChargingPeriods), Exact);
        return Math.Abs(cdr.TotalCost.ExclVat - again.TotalCost.ExclVat) < Tolerance
            && Math.Abs(cdr.TotalCost.InclVat!.Value - again.TotalCost.InclVat!.Value) < Tolerance
            && Math.Abs(cdr.TotalEnergyCost.ExclVat - again.TotalEnergyCost.ExclVat) < Tolerance
            && Math.Abs(cdr.TotalTimeCost.ExclVat - again.TotalTimeCost.ExclVat) < Tolerance
            && Math.Abs(cdr.TotalParkingCost.ExclVat - again.TotalParkingCost.ExclVat) < Tolerance
            && cdr.TotalFixedCost == again.TotalFixedCost
            && Math.Abs(cdr.TotalTime - again.TotalTime) < Tolerance;
    }
}

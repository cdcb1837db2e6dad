using EvCloud.Fast.Tariffs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

/// <summary>A random session: whole-second meter points, charging then maybe parking, current and power reported.</summary>
public sealed record Scenario(Tariff Tariff, SessionUsage Session, int SplitInterval, int SplitPermille)
{
    public override string ToString()
        => $"{Session.Start:O} +{(Session.End - Session.Start).TotalMinutes} min, {Session.Points.Length} points, split {SplitInterval}@{SplitPermille}";
}

public static class PricingArbitraries
{
    // Restriction sets a generated element may carry; none has max_price, so cost can only grow with use.
    private static readonly string[] s_restrictions =
    [
        "",
        "\"start_time\":\"07:00\",\"end_time\":\"23:00\"",
        "\"start_time\":\"23:00\",\"end_time\":\"07:00\"",
        "\"min_kwh\":5",
        "\"max_kwh\":12.5",
        "\"min_duration\":3600",
        "\"max_duration\":1800",
        "\"day_of_week\":[\"SATURDAY\",\"SUNDAY\"]",
        "\"min_power\":11",
        "\"max_current\":32",
    ];

    private static readonly string[] s_dimensions = ["ENERGY", "TIME", "PARKING_TIME", "FLAT"];

    private static Gen<string> Element() =>
        from restriction in Gen.Elements(s_restrictions)
        from dims in Gen.SubListOf(s_dimensions)
        from prices in Gen.ArrayOf(Gen.Choose(0, 500), 4)
        from steps in Gen.ArrayOf(Gen.Elements(1, 60, 300, 900), 4)
        select "{\"price_components\":[" + string.Join(',', (dims.Count == 0 ? ["ENERGY"] : dims).Select((d, i) =>
            $"{{\"type\":\"{d}\",\"price\":{prices[i] / 100m},\"vat\":21,\"step_size\":{(d == "ENERGY" ? steps[i] / 10 + 1 : steps[i])}}}"))
            + "]" + (restriction.Length == 0 ? "" : ",\"restrictions\":{" + restriction + "}") + "}";

    private static Gen<Tariff> TariffGen() =>
        from elements in Gen.ListOf(Element(), 1).SelectMany(_ => Gen.Choose(1, 4)).SelectMany(n => Gen.ArrayOf(Element(), n))
        select TariffOf(string.Join(',', elements) + ",{\"price_components\":[{\"type\":\"ENERGY\",\"price\":0.3,\"step_size\":1}]}");

    private static Gen<SessionUsage> SessionGen() =>
        from dayOffset in Gen.Choose(0, 400)
        from startMinute in Gen.Choose(0, 24 * 60 - 1)
        from count in Gen.Choose(1, 30)
        from gaps in Gen.ArrayOf(Gen.Choose(1, 3600), count)
        from energy in Gen.ArrayOf(Gen.Choose(0, 5000), count)
        from currents in Gen.ArrayOf(Gen.Choose(0, 64), count)
        from chargingUntil in Gen.Choose(1, count)
        select Build(dayOffset, startMinute, gaps, energy, currents, chargingUntil);

    private static SessionUsage Build(int dayOffset, int startMinute, int[] gaps, int[] energy, int[] currents, int chargingUntil)
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(dayOffset).AddMinutes(startMinute);
        var points = new MeterPoint[gaps.Length];
        var t = start;
        var e = 1000m;
        for (var i = 0; i < gaps.Length; i++)
        {
            var charging = i < chargingUntil;
            points[i] = new MeterPoint(t, e, charging, charging ? currents[i] : 0m, charging ? currents[i] * 0.23m : 0m);
            t = t.AddSeconds(gaps[i]);
            if (charging)
            {
                e += energy[i] / 1000m;
            }
        }
        return SessionUsage.Create(start, t, Amsterdam, points);
    }

    public static Arbitrary<Scenario> Scenarios() =>
        (from tariff in TariffGen()
         from session in SessionGen()
         from splitInterval in Gen.Choose(0, 1000)
         from permille in Gen.Choose(1, 999)
         select new Scenario(tariff, session, splitInterval, permille)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(PricingArbitraries)], MaxTest = 300)]
public sealed class PricingPropertyTests
{
    private const decimal Tolerance = 0.000000000000000001m;

    [Property]
    public bool PeriodQuantities_SumToTheTotals(Scenario s)
    {
        var priced = Price(s.Tariff, s.Session, Exact);
        decimal energy = 0, time = 0, parking = 0;
        foreach (var period in priced.ChargingPeriods)
        {
            foreach (var d in period.Dimensions)
            {
                switch (d.Type)
                {
                    case CdrDimensionType.Energy: energy += d.Volume; break;
                    case CdrDimensionType.Time: time += d.Volume; break;
                    case CdrDimensionType.ParkingTime: parking += d.Volume; break;
                }
            }
        }
        var points = s.Session.Points;
        return Math.Abs(energy - priced.TotalEnergy) < Tolerance
            && Math.Abs(priced.TotalEnergy - (points[^1].EnergyKwh - points[0].EnergyKwh)) < Tolerance
            && Math.Abs(parking - priced.TotalParkingTime) < Tolerance
            && Math.Abs(time + parking - priced.TotalTime) < Tolerance;
    }

    [Property]
    public bool DimensionCosts_SumToTheTotal_BeforeLimits(Scenario s)
    {
        var priced = Price(s.Tariff, s.Session, Exact);
        var lines = priced.Breakdown.Sum(l => l.AmountExclVat);
        var dims = priced.TotalEnergyCost.ExclVat + priced.TotalTimeCost.ExclVat + priced.TotalParkingCost.ExclVat
            + priced.TotalFixedCost.ExclVat + priced.TotalReservationCost.ExclVat;
        var dimsIncl = priced.TotalEnergyCost.InclVat + priced.TotalTimeCost.InclVat + priced.TotalParkingCost.InclVat
            + priced.TotalFixedCost.InclVat + priced.TotalReservationCost.InclVat;
        // Exact up to decimal's 28 digits: sums of repeating hour fractions depend on the order they are added in.
        return Math.Abs(dims - priced.TotalCostBeforeLimits.ExclVat) < Tolerance && Math.Abs(lines - dims) < Tolerance
            && Math.Abs(dimsIncl!.Value - priced.TotalCostBeforeLimits.InclVat!.Value) < Tolerance;
    }

    [Property]
    public bool RoundedComponentTotals_AddUpToTheTotalCost_ExclAndInclVat(Scenario s)
    {
        // The default rounding; the generated tariffs have no min_price / max_price.
        var priced = Price(s.Tariff, s.Session);
        Price[] components = [priced.TotalEnergyCost, priced.TotalTimeCost, priced.TotalParkingCost, priced.TotalFixedCost, priced.TotalReservationCost];
        return components.Sum(c => c.ExclVat) == priced.TotalCost.ExclVat
            && components.Sum(c => c.InclVat!.Value) == priced.TotalCost.InclVat
            && components.Append(priced.TotalCost).All(c => c.ExclVat == Math.Round(c.ExclVat, 2) && c.InclVat == Math.Round(c.InclVat!.Value, 2));
    }

    [Property]
    public bool Cost_NeverDecreases_WhenTheSessionGoesOnLonger(Scenario s)
    {
        var session = s.Session;
        var last = session.Points[^1];
        var extra = TimeSpan.FromMinutes(1 + (s.SplitPermille % 90));
        var longer = SessionUsage.Create(session.Start, session.End + extra, Amsterdam,
            [.. session.Points.ToArray(), new MeterPoint(session.End + extra, last.EnergyKwh + (s.SplitInterval / 100m), last.IsCharging, last.CurrentA, last.PowerKw)]);
        var before = Price(s.Tariff, session, Exact).TotalCost;
        var after = Price(s.Tariff, longer, Exact).TotalCost;
        // Growth can move a later part of the session to a cheaper element, but never lowers what was already owed
        // when every element's restriction set is one-sided in time, energy and duration as generated here.
        return after.ExclVat >= before.ExclVat || HasUpperBound(s.Tariff);
    }

    [Property]
    public bool Price_IsUnchanged_ByAnExtraInterpolatedPoint(Scenario s)
    {
        var points = s.Session.Points.ToArray();
        if (points.Length < 2)
        {
            return true;
        }
        var k = s.SplitInterval % (points.Length - 1);
        var a = points[k];
        var b = points[k + 1];
        var seconds = (long)(b.Timestamp - a.Timestamp).TotalSeconds;
        var offset = Math.Max(1, seconds * s.SplitPermille / 1000);
        if (offset >= seconds)
        {
            return true;
        }
        var t = a.Timestamp.AddSeconds(offset);
        var mid = a with { Timestamp = t, EnergyKwh = a.EnergyKwh + ((b.EnergyKwh - a.EnergyKwh) * (t - a.Timestamp).Ticks / (b.Timestamp - a.Timestamp).Ticks) };
        var split = SessionUsage.Create(s.Session.Start, s.Session.End, Amsterdam, [.. points[..(k + 1)], mid, .. points[(k + 1)..]]);
        var whole = Price(s.Tariff, s.Session);
        var parts = Price(s.Tariff, split);
        return whole.TotalCost == parts.TotalCost && whole.TotalEnergyCost == parts.TotalEnergyCost
            && whole.TotalTimeCost == parts.TotalTimeCost && whole.TotalParkingCost == parts.TotalParkingCost;
    }

    private static bool HasUpperBound(Tariff tariff)
        => tariff.Elements.Any(e => e.Restrictions is { } r && (r.MaxKwh is not null || r.MaxDuration is not null || r.StartTime is not null || r.DayOfWeek is not null || r.MinPower is not null || r.MaxCurrent is not null));
}

/// <summary>Monotonicity where it must hold exactly: tariffs whose restrictions only ever switch elements on.</summary>
public sealed class MonotonicityTests
{
    [Property(MaxTest = 300)]
    public bool Cost_NeverDecreases_WhenEnergyOrTimeGrows_UnderOnlyMinimumRestrictions(PositiveInt minutes, PositiveInt extraMinutes, NonNegativeInt kwhTenths, NonNegativeInt extraKwhTenths, bool park)
    {
        var tariff = TariffOf("""
            {"price_components":[{"type":"ENERGY","price":0.45,"vat":21,"step_size":100},{"type":"TIME","price":3,"step_size":300}],"restrictions":{"min_kwh":20}},
            {"price_components":[{"type":"PARKING_TIME","price":6,"step_size":600}],"restrictions":{"min_duration":7200}},
            {"price_components":[{"type":"FLAT","price":0.5,"step_size":1},{"type":"ENERGY","price":0.30,"vat":21,"step_size":1},{"type":"TIME","price":1,"step_size":60},{"type":"PARKING_TIME","price":2,"step_size":60}]}
            """);
        var start = Local(Amsterdam, 2024, 6, 12, 10, 0);
        var m = minutes.Get % 600;
        var kwh = kwhTenths.Get % 800 / 10m;
        var small = ChargeThenPark(start, TimeSpan.FromMinutes(m + 1), kwh, park ? TimeSpan.FromMinutes(m) : TimeSpan.Zero, Amsterdam);
        var bigger = ChargeThenPark(start, TimeSpan.FromMinutes(m + 1 + (extraMinutes.Get % 300)), kwh + (extraKwhTenths.Get % 300 / 10m),
            park ? TimeSpan.FromMinutes(m + (extraMinutes.Get % 7)) : TimeSpan.Zero, Amsterdam);
        return Price(tariff, bigger, Exact).TotalCost.ExclVat >= Price(tariff, small, Exact).TotalCost.ExclVat;
    }
}

using EvCloud.Fast.Tariffs;
using static EvCloud.Fast.Tariffs.Tests.TestData;

namespace EvCloud.Fast.Tariffs.Tests;

/// <summary>
/// Each restriction at its edge, as OCPI 2.2.1 mod_tariffs TariffRestrictions states it. The probed element charges
/// € 60/h of TIME; a fallback charges nothing, so one minute costs € 1 exactly when the element applies.
/// </summary>
public sealed class RestrictionBoundaryTests
{
    private static Tariff Probe(string restrictions) => TariffOf(
        """{"price_components":[{"type":"TIME","price":60,"step_size":1}],"restrictions":{""" + restrictions + """}},"""
        + """{"price_components":[{"type":"TIME","price":0,"step_size":1}]}""");

    private static decimal OneMinuteAt(Tariff tariff, DateTimeOffset start, decimal? currentA = null, decimal? powerKw = null)
    {
        var session = SessionUsage.Create(start, start + TimeSpan.FromMinutes(1), Amsterdam,
            [new(start, 0m, true, currentA, powerKw), new(start + TimeSpan.FromMinutes(1), 0.1m, true, currentA, powerKw)]);
        return Price(tariff, session, Exact).TotalCost.ExclVat;
    }

    [Theory]
    [InlineData("17:00", "20:00", 17, 0, true)] // start_time is inclusive
    [InlineData("17:00", "20:00", 16, 59, false)] // a minute before the window
    [InlineData("17:00", "20:00", 19, 59, true)] // last minute inside
    [InlineData("17:00", "20:00", 20, 0, false)] // end_time is exclusive
    [InlineData("22:00", "06:00", 23, 30, true)] // end before start wraps past midnight
    [InlineData("22:00", "06:00", 3, 0, true)] // the wrapped part after midnight
    [InlineData("22:00", "06:00", 6, 0, false)] // wrapped end is exclusive too
    [InlineData("20:00", "00:00", 23, 59, true)] // 00:00 as end_time means end of day
    [InlineData("20:00", "00:00", 0, 0, false)] // ... and midnight itself is outside
    public void TimeOfDay_HasAnInclusiveStart_AndAnExclusiveEnd(string from, string to, int hour, int minute, bool applies)
    {
        var tariff = Probe($"\"start_time\":\"{from}\",\"end_time\":\"{to}\"");
        Assert.Equal(applies ? 1m : 0m, OneMinuteAt(tariff, Local(Amsterdam, 2024, 6, 12, hour, minute)));
    }

    [Theory]
    [InlineData(12, true)] // start_date is inclusive
    [InlineData(11, false)] // the day before
    [InlineData(13, true)] // a day inside
    [InlineData(14, false)] // end_date is exclusive
    public void Dates_HaveAnInclusiveStart_AndAnExclusiveEnd(int day, bool applies)
    {
        var tariff = Probe("\"start_date\":\"2024-06-12\",\"end_date\":\"2024-06-14\"");
        Assert.Equal(applies ? 1m : 0m, OneMinuteAt(tariff, Local(Amsterdam, 2024, 6, day, 0, 0)));
    }

    [Theory]
    [InlineData("\"min_current\":16", 16, true)] // "more than, or equal to" applies
    [InlineData("\"min_current\":16", 15.9, false)] // below the minimum
    [InlineData("\"max_current\":16", 15.9, true)] // "less than" applies
    [InlineData("\"max_current\":16", 16, false)] // equal to the maximum does not
    public void Current_MinIsInclusive_MaxIsExclusive(string restriction, double currentA, bool applies)
        => Assert.Equal(applies ? 1m : 0m, OneMinuteAt(Probe(restriction), Local(Amsterdam, 2024, 6, 12, 12, 0), currentA: (decimal)currentA));

    [Theory]
    [InlineData("\"min_power\":11", 11, true)] // "more than, or equal to" applies
    [InlineData("\"min_power\":11", 10.99, false)] // below the minimum
    [InlineData("\"max_power\":11", 10.99, true)] // "less than" applies
    [InlineData("\"max_power\":11", 11, false)] // equal to the maximum does not
    public void Power_MinIsInclusive_MaxIsExclusive(string restriction, double powerKw, bool applies)
        => Assert.Equal(applies ? 1m : 0m, OneMinuteAt(Probe(restriction), Local(Amsterdam, 2024, 6, 12, 12, 0), powerKw: (decimal)powerKw));

    [Fact]
    public void CurrentRestriction_DoesNotApply_WhenTheChargerReportedNoCurrent()
        => Assert.Equal(0m, OneMinuteAt(Probe("\"max_current\":16"), Local(Amsterdam, 2024, 6, 12, 12, 0)));

    // 20 min charging: an element with min_duration 600 applies from minute 10 (inclusive), one with max_duration 600
    // until minute 10 (exclusive); either way 10 of the 20 minutes at € 60/h.
    [Theory]
    [InlineData("\"min_duration\":600")]
    [InlineData("\"max_duration\":600")]
    public void Duration_SplitsExactlyAtTheThreshold(string restriction)
    {
        var start = Local(Amsterdam, 2024, 6, 12, 12, 0);
        var session = SessionUsage.Create(start, start + TimeSpan.FromMinutes(20), Amsterdam,
            [new(start, 0m, true), new(start + TimeSpan.FromMinutes(10), 1m, true), new(start + TimeSpan.FromMinutes(20), 2m, true)]);
        Assert.Equal(10m, Price(Probe(restriction), session, Exact).TotalCost.ExclVat);
    }

    // 10 kWh over 10 min at an even pace: min_kwh 5 applies from the 5th kWh on (inclusive), max_kwh 5 until it (exclusive).
    [Theory]
    [InlineData("ENERGY", "\"min_kwh\":5")]
    [InlineData("ENERGY", "\"max_kwh\":5")]
    public void Kwh_SplitsExactlyAtTheThreshold(string dimension, string restriction)
    {
        var tariff = TariffOf(
            $$"""{"price_components":[{"type":"{{dimension}}","price":1,"step_size":1}],"restrictions":{""" + restriction + "}},"
            + $$"""{"price_components":[{"type":"{{dimension}}","price":0,"step_size":1}]}""");
        var start = Local(Amsterdam, 2024, 6, 12, 12, 0);
        var session = SessionUsage.Create(start, start + TimeSpan.FromMinutes(10), Amsterdam,
            [new(start, 0m, true), new(start + TimeSpan.FromMinutes(5), 5m, true), new(start + TimeSpan.FromMinutes(10), 10m, true)]);
        Assert.Equal(5m, Price(tariff, session, Exact).TotalCost.ExclVat);
    }

    [Theory]
    [InlineData(OcpiDayOfWeek.Wednesday, true)] // 2024-06-12 is a Wednesday
    [InlineData(OcpiDayOfWeek.Tuesday, false)] // another day
    public void DayOfWeek_IsTheLocalWeekday(OcpiDayOfWeek day, bool applies)
    {
        var tariff = Probe($"\"day_of_week\":[\"{day.ToString().ToUpperInvariant()}\"]");
        Assert.Equal(applies ? 1m : 0m, OneMinuteAt(tariff, Local(Amsterdam, 2024, 6, 12, 0, 30)));
    }
}

using System.Text.Json;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Tariffs.Tests;

internal static class TestData
{
    public const string Amsterdam = "Europe/Amsterdam";

    public static readonly TariffPricingOptions Exact = new() { Rounding = MoneyRounding.None };

    public static string ExamplePath(string file) => Path.Combine(AppContext.BaseDirectory, "SpecExamples", file);

    public static Tariff LoadExample(string file)
        => JsonSerializer.Deserialize(File.ReadAllText(ExamplePath(file)), OcpiTariffJsonContext.Default.Tariff)!;

    public static Tariff ParseTariff(string json)
        => JsonSerializer.Deserialize(json, OcpiTariffJsonContext.Default.Tariff)!;

    /// <summary>A tariff from elements written as JSON, e.g. <c>{"price_components":[...]}</c>.</summary>
    public static Tariff TariffOf(string elementsJson, string extra = "")
        => ParseTariff($$"""{"country_code":"NL","party_id":"EVC","id":"T1","currency":"EUR",{{extra}}"elements":[{{elementsJson}}],"last_updated":"2024-01-01T00:00:00Z"}""");

    /// <summary>Local wall-clock time at the location, as the instant it is there.</summary>
    public static DateTimeOffset Local(string zone, int y, int mo, int d, int h, int mi = 0, int s = 0)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var wall = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, tz.GetUtcOffset(wall));
    }

    public static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    /// <summary>Charges <paramref name="kwh"/> linearly for <paramref name="charging"/>, then parks for <paramref name="parking"/>.</summary>
    public static SessionUsage ChargeThenPark(DateTimeOffset start, TimeSpan charging, decimal kwh, TimeSpan parking, string zone = "UTC", decimal? currentA = null, decimal? powerKw = null, SessionReservation? reservation = null)
    {
        var points = new List<MeterPoint> { new(start, 0m, true, currentA, powerKw) };
        var endCharge = start + charging;
        if (parking > TimeSpan.Zero)
        {
            points.Add(new MeterPoint(endCharge, kwh, false, 0m, 0m));
        }
        var end = endCharge + parking;
        if (parking == TimeSpan.Zero)
        {
            points.Add(new MeterPoint(end, kwh, true, currentA, powerKw));
        }
        return SessionUsage.Create(start, end, zone, [.. points], reservation);
    }

    public static PricedSession Price(Tariff tariff, SessionUsage session, TariffPricingOptions? options = null)
        => new TariffPricer(tariff, options).Price(session);
}

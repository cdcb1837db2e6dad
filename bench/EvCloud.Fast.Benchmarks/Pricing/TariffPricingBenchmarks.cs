using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Benchmarks.Pricing;

/// <summary>
/// Prices one realistic session: 4 h at a location in Europe/Amsterdam, 21:00-01:00 local, charging at 11 kW / 16 A
/// for 3 h 20 min (36.7 kWh) then parking 40 min, with a meter point every <see cref="MeterIntervalMinutes"/> minutes
/// (1: 241 points, 15: 17 points). The 3-element tariff splits it at the 23:00 night rate (time of day), at 30 kWh and
/// at 3.5 h (duration). <c>SingleElement</c> (baseline) prices the same session under one unrestricted element.
/// </summary>
[MemoryDiagnoser]
public class TariffPricingBenchmarks
{
    private const string ThreeElements = """
        {"country_code":"NL","party_id":"EVC","id":"BENCH-3","currency":"EUR","last_updated":"2024-01-01T00:00:00Z","elements":[
          {"price_components":[{"type":"ENERGY","price":0.22,"vat":21,"step_size":1}],"restrictions":{"start_time":"23:00","end_time":"07:00"}},
          {"price_components":[{"type":"ENERGY","price":0.35,"vat":21,"step_size":1},{"type":"TIME","price":1.20,"vat":21,"step_size":300}],"restrictions":{"min_kwh":30}},
          {"price_components":[{"type":"FLAT","price":0.50,"vat":21,"step_size":1},{"type":"ENERGY","price":0.30,"vat":21,"step_size":1},{"type":"PARKING_TIME","price":2.40,"vat":21,"step_size":300}],"restrictions":{"max_duration":12600}}
        ]}
        """;

    private const string OneElement = """
        {"country_code":"NL","party_id":"EVC","id":"BENCH-1","currency":"EUR","last_updated":"2024-01-01T00:00:00Z","elements":[
          {"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1},{"type":"PARKING_TIME","price":2.40,"vat":21,"step_size":300}]}
        ]}
        """;

    private TariffPricer _threeElements = null!;
    private TariffPricer _oneElement = null!;
    private SessionUsage _session = null!;

    [Params(1, 15)]
    public int MeterIntervalMinutes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _threeElements = new TariffPricer(JsonSerializer.Deserialize(ThreeElements, OcpiTariffJsonContext.Default.Tariff)!);
        _oneElement = new TariffPricer(JsonSerializer.Deserialize(OneElement, OcpiTariffJsonContext.Default.Tariff)!);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var start = new DateTimeOffset(2024, 6, 12, 21, 0, 0, TimeSpan.FromHours(2));
        var builder = new SessionUsageBuilder(start, zone);
        var chargingMinutes = 200;
        for (var minute = 0; minute <= 240; minute += MeterIntervalMinutes)
        {
            var charging = minute < chargingMinutes;
            var kwh = 1000m + (Math.Min(minute, chargingMinutes) * 11m / 60m);
            builder.Add(start.AddMinutes(minute), decimal.Round(kwh, 3), charging, charging ? 16m : 0m, charging ? 11m : 0m);
        }
        _session = builder.Build(start.AddHours(4));
    }

    [Benchmark(Baseline = true)]
    public decimal SingleElement() => _oneElement.Price(_session).TotalCost.ExclVat;

    [Benchmark]
    public decimal ThreeElementsWithRestrictions() => _threeElements.Price(_session).TotalCost.ExclVat;
}

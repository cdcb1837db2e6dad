using System.Text;
using System.Text.Json;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.Tests;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>What settlement readers get: OCPI numbers they can parse, CSV cells a spreadsheet does not run.</summary>
public sealed class SettlementFormatTests
{
    [Theory]
    [InlineData("5.50", "5.50")]
    [InlineData("1.33333333333333333333", "1.3333")]
    [InlineData("0.00005", "0.0001")] // half away from zero
    [InlineData("0.00001", "0")] // would be 1E-05 as a double
    [InlineData("-0.00004", "0")] // rounds to a negative zero
    [InlineData("0.0000000000000000000000000001", "0")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")] // decimal.MaxValue, no exponent
    [InlineData("-5.50", "-5.50")]
    public void AnOcpiNumber_HasAtMostFourDecimals_AndNoExponent(string value, string expected)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            new OcpiNumberConverter().Write(writer, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), JsonSerializerOptions.Default);
        }

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task EveryNumberOfAStoredCdrAndItsTariff_IsAnOcpiNumber()
    {
        await using PipelineHarness harness = await PipelineHarness.OpenAsync();
        // 1/3 kWh steps and a price that makes every amount a repeating fraction before rounding.
        Tariff tariff = await harness.DefaultTariffAsync("THIRDS", 0.3333m);
        StoredCdr cdr = await harness.OriginalAsync(1, tariff);

        using JsonDocument document = JsonDocument.Parse(cdr.CdrJson);
        List<string> numbers = [];
        Collect(document.RootElement, numbers);
        Assert.NotEmpty(numbers);
        Assert.All(numbers, n => Assert.Matches(@"^-?\d+(\.\d{1,4})?$", n));
    }

    [Theory]
    [InlineData("0.12345")] // five decimals: would be published as 0.1235 and billed as 0.12345
    [InlineData("0.000001")]
    public async Task ATariffWithMoreThanFourDecimals_IsRefused(string price)
    {
        await using PipelineHarness harness = await PipelineHarness.OpenAsync();
        Tariff tariff = TestData.TariffOf($$"""{"price_components":[{"type":"ENERGY","price":{{price}},"step_size":1}]}""");
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Tariffs.SaveAsync(tariff).AsTask());
        Assert.Null(harness.Tariffs.Get(tariff.Id));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"click\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"")]
    [InlineData("+31612345678", "\"'+31612345678\"")] // + starts a formula
    [InlineData("-2+3", "\"'-2+3\"")] // - starts a formula in a text column
    [InlineData("@SUM(A1:A2)", "\"'@SUM(A1:A2)\"")]
    [InlineData("\tTAB", "\"'\tTAB\"")]
    [InlineData("\rCR", "\"'\rCR\"")]
    [InlineData("TAG-1", "TAG-1")] // harmless: unchanged
    [InlineData("A,B", "\"A,B\"")] // harmless but needs RFC 4180 quoting
    public void ACsvTextCell_StartingLikeAFormula_IsNeutralised(string idTag, string expectedCell)
    {
        string row = CdrExport.CsvRow(Summary(idTag, -5.50m, null));
        Assert.Contains("," + expectedCell + ",", row, StringComparison.Ordinal);
    }

    [Fact]
    public void ACsvNegativeAmount_StaysANumber()
    {
        string row = CdrExport.CsvRow(Summary("TAG-1", -5.50m, -6.66m));
        Assert.Contains(",EUR,-5.50,-6.66,", row, StringComparison.Ordinal);
    }

    private static CdrSummary Summary(string idTag, decimal excl, decimal? incl) =>
        new("CDR-1-C1", 0, 1, "CP-1", 1, idTag, 0, 3_600_000, 3_600_000, "EUR", excl, incl, 10m, true, "CDR-1", "T1");

    private static void Collect(JsonElement element, List<string> numbers)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                numbers.Add(element.GetRawText());
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Collect(property.Value, numbers);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Collect(item, numbers);
                }

                break;
        }
    }
}

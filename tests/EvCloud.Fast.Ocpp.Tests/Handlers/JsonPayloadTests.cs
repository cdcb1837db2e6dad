using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Handlers;

public class JsonPayloadTests
{
    [Theory]
    [InlineData("12.3456", "12.3456")]
    [InlineData("0", "0")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("1234567", "1234567")]
    [InlineData(" 42 ", "42")] // surrounding spaces
    [InlineData("1.5E3", "1500")]
    [InlineData("1.5e+3", "1500")]
    [InlineData("1E-3", "0.001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")] // decimal.MaxValue
    public void TryParseDecimal_ReadsPlainAndExponentNumbers(string text, string expected)
    {
        Assert.True(JsonPayload.TryParseDecimal(Encoding.UTF8.GetBytes(text), out decimal value));
        Assert.Equal(decimal.Parse(expected, NumberStyles.Float, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")] // empty
    [InlineData("   ")] // only spaces
    [InlineData("abc")] // not a number
    [InlineData("1,5")] // decimal comma
    [InlineData("1.2.3")] // two decimal points
    [InlineData("12a")] // trailing garbage
    [InlineData("0x10")] // hexadecimal
    [InlineData("1E")] // exponent without digits
    [InlineData("--1")] // two signs
    [InlineData("1e99")] // beyond decimal
    [InlineData("\t5")] // only spaces are trimmed
    public void TryParseDecimal_RefusesWhatIsNotADecimal(string text)
    {
        Assert.False(JsonPayload.TryParseDecimal(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("2024-03-01T08:30:00Z", 1_709_281_800_000)]
    [InlineData("2024-03-01T08:30:00.123Z", 1_709_281_800_123)]
    [InlineData("2024-03-01T08:30:00.1239999Z", 1_709_281_800_123)] // sub-millisecond digits are dropped
    [InlineData("2024-03-01T09:30:00+01:00", 1_709_281_800_000)] // an offset
    [InlineData("2024-03-01T03:00:00-05:30", 1_709_281_800_000)]
    [InlineData("2024-03-01T08:30:00", 1_709_281_800_000)] // no offset: taken as UTC
    [InlineData("2024-03-01T08:30:00\\u005A", 1_709_281_800_000)] // an escaped 'Z'
    [InlineData("1970-01-01T00:00:00Z", 0)]
    public void TryGetUnixMs_ReadsRfc3339Timestamps_InEveryShape(string timestamp, long expected)
    {
        foreach ((string shape, ReadOnlySequence<byte> json) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""{"timestamp":"{{timestamp}}"}""")))
        {
            Utf8JsonReader reader = OnValue(json);

            Assert.True(JsonPayload.TryGetUnixMs(ref reader, out long unixMs), shape);
            Assert.Equal(expected, unixMs);
        }
    }

    [Theory]
    [InlineData("\"yesterday\"")] // not a date
    [InlineData("\"2024-02-30T08:30:00Z\"")] // no such day
    [InlineData("\"\"")] // empty
    [InlineData("1709281800")] // Unix seconds as a number
    [InlineData("null")]
    public void TryGetUnixMs_IsFalse_ForAnythingElse(string value)
    {
        Utf8JsonReader reader = OnValue(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($$"""{"timestamp":{{value}}}""")));

        Assert.False(JsonPayload.TryGetUnixMs(ref reader, out long unixMs));
        Assert.Equal(0, unixMs);
    }

    [Theory]
    [InlineData("04A2B3C4D5E680", "04A2B3C4D5E680")]
    [InlineData("\\u0030\\u0034A2B3C4", "04A2B3C4")] // escaped
    [InlineData("caf\\u00e9 \\\"quoted\\\"", "café \"quoted\"")] // escaped non-ASCII and quotes
    [InlineData("", "")]
    [InlineData("12345678901234567890", "12345678901234567890")] // exactly the scratch
    public void Utf8_ReturnsTheUnescapedValue_InEveryShape(string raw, string expected)
    {
        Span<byte> scratch = stackalloc byte[20];
        foreach ((string shape, ReadOnlySequence<byte> json) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""{"idTag":"{{raw}}"}""")))
        {
            Utf8JsonReader reader = OnValue(json);

            Assert.True(expected == Encoding.UTF8.GetString(JsonPayload.Utf8(in reader, scratch)), $"{shape}: {Encoding.UTF8.GetString(JsonPayload.Utf8(in reader, scratch))}");
        }
    }

    [Fact]
    public void Utf8_ReturnsTheTokenItself_WhenItIsContiguousAndUnescaped()
    {
        byte[] json = """{"idTag":"04A2B3C4D5E680"}"""u8.ToArray();
        Utf8JsonReader reader = OnValue(new ReadOnlySequence<byte>(json));

        ReadOnlySpan<byte> value = JsonPayload.Utf8(in reader, stackalloc byte[20]);

        Assert.True(json.AsSpan().Overlaps(value));
    }

    [Theory]
    [InlineData("1234567890123456789012345", "12345678901234567890")] // split across segments: copied, so cut to the scratch
    [InlineData("\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0039\\u0030\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0039\\u0030\\u0031", "\\u0031\\u0032\\u0033\\u")] // too long once unescaped: its first 20 bytes as sent
    public void Utf8_CutsACopyThatDoesNotFitTheScratch_InsteadOfThrowing(string raw, string expected)
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"idTag":"{{raw}}"}""");
        Span<byte> scratch = stackalloc byte[20];

        foreach ((string shape, ReadOnlySequence<byte> sequence) in new[] { ("one byte per segment", TestSegment.OneBytePerSegment(json)), ("split in the value", TestSegment.SplitAt(json, 14)) })
        {
            Utf8JsonReader reader = OnValue(sequence);

            Assert.True(expected == Encoding.UTF8.GetString(JsonPayload.Utf8(in reader, scratch)), $"{shape}: {Encoding.UTF8.GetString(JsonPayload.Utf8(in reader, scratch))}");
        }
    }

    [Fact]
    public void RawValue_ReturnsTheValuesJson_AndSkipsIt()
    {
        byte[] json = """{"a":1,"meterValue":[{"x":[1,2]},{}],"b":2}"""u8.ToArray();

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(json))
        {
            var reader = new Utf8JsonReader(message, isFinalBlock: true, state: default);
            reader.Read();
            reader.Read();
            reader.Read();
            reader.Read();
            reader.Read();

            ReadOnlySequence<byte> raw = JsonPayload.RawValue(ref reader, message);

            Assert.True("""[{"x":[1,2]},{}]""" == Encoding.UTF8.GetString(raw), shape);
            Assert.True(reader.Read() && reader.ValueTextEquals("b"u8), shape);
        }
    }

    /// <summary>A reader over <c>{"name":value}</c>, on the value.</summary>
    private static Utf8JsonReader OnValue(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        reader.Read();
        reader.Read();
        reader.Read();
        return reader;
    }
}

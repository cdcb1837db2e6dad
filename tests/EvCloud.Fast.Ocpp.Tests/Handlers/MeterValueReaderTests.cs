using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Handlers.Ocpp16;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Handlers;

public class MeterValueReaderTests
{
    /// <summary>The time the message arrived: what the handler passes in as the sample time.</summary>
    private static readonly long Now = Ms("2024-03-01T09:00:00Z");

    [Fact]
    public void ReadsTheRegisterOfARealMeterValues_AmongPowerCurrentAndVoltage()
    {
        const string meterValue = """
            [{"timestamp":"2024-03-01T08:30:00.000Z","sampledValue":[
              {"value":"12345.67","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"kWh"},
              {"value":"7360","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},
              {"value":"16.02","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},
              {"value":"231.4","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"}]}]
            """;

        (long sampleMs, long energy) = Read(meterValue);

        Assert.Equal(Ms("2024-03-01T08:30:00Z"), sampleMs);
        Assert.Equal(12_345_670_000, energy);
    }

    [Theory]
    [InlineData("""{"value":"12.3456","measurand":"Energy.Active.Import.Register","unit":"kWh"}""", 12_345_600)] // kWh → mWh exactly
    [InlineData("""{"value":"1234.5"}""", 1_234_500)] // measurand defaults to the register, unit to Wh
    [InlineData("""{"value":"1234.5","unit":"Wh"}""", 1_234_500)]
    [InlineData("""{"value":"1234","context":"Sample.Clock","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet"}""", 1_234_000)] // every default spelled out
    [InlineData("""{"unit":"kWh","measurand":"Energy.Active.Import.Register","value":"3"}""", 3_000_000)] // value last
    [InlineData("""{"value":"0"}""", 0)] // a new meter reads zero: still a reading
    [InlineData("""{"value":"1.5E3"}""", 1_500_000)] // exponent
    [InlineData("""{"value":"1.5e3"}""", 1_500_000)] // lower-case exponent
    [InlineData("""{"value":"1.2345E+4","unit":"kWh"}""", 12_345_000_000)] // signed exponent
    [InlineData("""{"value":"2E-3","unit":"kWh"}""", 2_000)] // negative exponent
    [InlineData("""{"value":"0.0005"}""", 1)] // half a mWh rounds away from zero
    [InlineData("""{"value":"0.0004"}""", 0)]
    [InlineData("""{"value":" 42 "}""", 42_000)] // padded with spaces by some firmware
    [InlineData("""{"value":"9223372036854.775807","unit":"kWh"}""", long.MaxValue)] // the largest register in mWh
    [InlineData("""{"value":"\u0031\u0032.5"}""", 12_500)] // escaped digits
    [InlineData("""{"value":"10","measurand":"\u0045nergy.Active.Import.Register","unit":"\u006BWh"}""", 10_000_000)] // escaped measurand and unit
    [InlineData("""{"value":"10","customData":{"vendorId":"x","phase":"L1","unit":"kWh"},"extra":[1,{"value":"99"}]}""", 10_000)] // unknown properties skipped whole
    [InlineData("""{"value":"10","phase":"L1"}""", -1)] // a per-phase register, not the total
    [InlineData("""{"value":"10","phase":"N"}""", -1)] // the neutral conductor
    [InlineData("""{"value":"10","format":"SignedData"}""", -1)] // an opaque signature, not a number
    [InlineData("""{"value":"10","location":"Inlet"}""", -1)] // grid side of the charger
    [InlineData("""{"value":"10","location":"EV"}""", -1)] // the vehicle's meter
    [InlineData("""{"value":"10","location":"Body"}""", -1)]
    [InlineData("""{"value":"10","location":"Cable"}""", -1)]
    [InlineData("""{"value":"7360","measurand":"Power.Active.Import","unit":"W"}""", -1)] // power, not energy
    [InlineData("""{"value":"10","measurand":"Energy.Active.Export.Register"}""", -1)] // energy fed back to the grid
    [InlineData("""{"value":"10","measurand":"Energy.Active.Import.Interval"}""", -1)] // an interval, not the register
    [InlineData("""{"value":"10","measurand":"Energy.Reactive.Import.Register","unit":"varh"}""", -1)] // reactive energy
    [InlineData("""{"value":"10","measurand":"energy.active.import.register"}""", -1)] // enumerations are case-sensitive
    [InlineData("""{"value":"10","unit":"kW"}""", -1)] // a unit that is not energy
    [InlineData("""{"value":"10","unit":"kwh"}""", -1)] // units are case-sensitive
    [InlineData("""{"value":"-5"}""", -1)] // a register never goes negative
    [InlineData("""{"value":"abc"}""", -1)] // not a number
    [InlineData("""{"value":""}""", -1)] // empty
    [InlineData("""{"value":"1,5"}""", -1)] // decimal comma
    [InlineData("""{"value":"1.5.0"}""", -1)]
    [InlineData("""{"value":"1e40"}""", -1)] // beyond decimal
    [InlineData("""{"value":"1e14","unit":"kWh"}""", -1)] // 10^20 mWh does not fit a long
    [InlineData("""{"value":"7E28"}""", -1)] // fits a decimal, but not once converted to mWh
    [InlineData("""{"measurand":"Energy.Active.Import.Register","unit":"Wh"}""", -1)] // no value at all
    public void ReadsOneSampledValue(string sampledValue, long expectedMilliWh)
    {
        (long sampleMs, long energy) = Read($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{{sampledValue}}]}]""");

        Assert.Equal(expectedMilliWh, energy);
        Assert.Equal(expectedMilliWh >= 0 ? Ms("2024-03-01T08:30:00Z") : Now, sampleMs);
    }

    [Fact]
    public void PicksTheTotal_AmongPerPhaseAndSignedRegisters()
    {
        const string meterValue = """
            [{"timestamp":"2024-03-01T08:30:00+01:00","sampledValue":[
              {"value":"4100","measurand":"Energy.Active.Import.Register","phase":"L1","unit":"Wh"},
              {"value":"4200","measurand":"Energy.Active.Import.Register","phase":"L2","unit":"Wh"},
              {"value":"12345.67","measurand":"Energy.Active.Import.Register","unit":"kWh"},
              {"value":"61","measurand":"SoC","location":"EV","unit":"Percent"},
              {"value":"12340","measurand":"Energy.Active.Import.Register","location":"Inlet","unit":"Wh"},
              {"value":"OCMF|{\"FV\":\"1.0\",\"RD\":[{\"RV\":12345.67,\"RU\":\"kWh\"}]}|{\"SD\":\"3045022100\"}",
               "context":"Sample.Clock","format":"SignedData","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]
            """;

        (long sampleMs, long energy) = Read(meterValue);

        Assert.Equal(12_345_670_000, energy);
        Assert.Equal(Ms("2024-03-01T07:30:00Z"), sampleMs);
    }

    [Theory]
    [InlineData("08:30", "100", "08:45", "200", "08:45", 200_000)] // in time order
    [InlineData("08:45", "200", "08:30", "100", "08:45", 200_000)] // newest first
    [InlineData("08:30", "100", "08:30", "200", "08:30", 200_000)] // the same time: the later entry
    [InlineData("08:45", null, "08:30", "100", "08:30", 100_000)] // the newer entry has no register
    [InlineData("08:30", "100", "08:45", null, "08:30", 100_000)] // the register's time, not the newer entry's
    public void TheLatestRegister_WinsAcrossEntries(string firstTime, string? firstWh, string secondTime, string? secondWh, string expectedTime, long expectedMilliWh)
    {
        string meterValue = $"[{Entry(firstTime, firstWh)},{Entry(secondTime, secondWh)}]";

        (long sampleMs, long energy) = Read(meterValue);

        Assert.Equal(expectedMilliWh, energy);
        Assert.Equal(Ms($"2024-03-01T{expectedTime}:00Z"), sampleMs);

        static string Entry(string time, string? wh) =>
            $$"""{"timestamp":"2024-03-01T{{time}}:00Z","sampledValue":[{"value":"7360","measurand":"Power.Active.Import","unit":"W"}""" +
            (wh is null ? "" : $$""",{"value":"{{wh}}","unit":"Wh"}""") + "]}";
    }

    [Theory]
    [InlineData("""[]""")] // no entries
    [InlineData("""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"16.02","measurand":"Current.Import","phase":"L1","unit":"A"}]}]""")]
    [InlineData("""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"10","phase":"L1"}]},{"timestamp":"2024-03-01T08:31:00Z","sampledValue":[{"value":"10","location":"EV"}]}]""")]
    public void LeavesTheRegisterAtMinusOne_AndTheTimeAlone_WhenNoEntryCarriesIt(string meterValue)
    {
        (long sampleMs, long energy) = Read(meterValue);

        Assert.Equal(-1, energy);
        Assert.Equal(Now, sampleMs);
    }

    [Fact]
    public void ReadsTimestampsWithoutAnOffset_AsUtc()
    {
        (long sampleMs, _) = Read("""[{"timestamp":"2024-03-01T08:30:00.250","sampledValue":[{"value":"1"}]}]""");

        Assert.Equal(Ms("2024-03-01T08:30:00.250Z"), sampleMs);
    }

    [Theory]
    [InlineData("""{"value":"0000000000000000000000000000000000000000000000000000000000001234"}""", 1_234_000)] // 64 bytes: the longest value read
    [InlineData("""{"value":"1","measurand":"Power.Active.Import","unit":"W","customData":{"vendorId":"v"}}""", -1)] // not the register
    public void ReadsARegisterValueUpToTheLimit(string sampledValue, long expectedMilliWh)
    {
        Assert.Equal(expectedMilliWh, Read($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{{sampledValue}}]}]""").EnergyMilliWh);
    }

    [Theory]
    [InlineData("""{"value":"00000000000000000000000000000000000000000000000000000000000001234"}""")] // 65 bytes: a 64-byte prefix would read 123 Wh
    [InlineData("""{"value":"12345678901234567890123456789012345678901234567890123456789012345.6","unit":"kWh"}""")] // its prefix is another number
    [InlineData("""{"value":"12345678901234567890123456789012345678901234567890123456789012345"}""")] // 65 digits, escaped
    public void RefusesARegisterValueLongerThanTheLimit_RatherThanReadingAPrefix(string sampledValue)
    {
        OcppPayloadException refused = Refused($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{{sampledValue}}]}]""", ocpp2: false);

        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, refused.Code);
    }

    [Fact]
    public void ALongSignedValue_IsNotTheRegister_AndIsNotRefused()
    {
        string signature = new('A', 600);

        Assert.Equal(-1, Read($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"{{signature}}","format":"SignedData"}]}]""").EnergyMilliWh);
    }

    [Theory]
    [InlineData("""{"value":12.3456,"unitOfMeasure":{"unit":"kWh"}}""", 12_345_600)] // kWh → mWh exactly
    [InlineData("""{"value":1234.5}""", 1_234_500)] // Wh by default
    [InlineData("""{"value":5,"unitOfMeasure":{"unit":"Wh","multiplier":3}}""", 5_000_000)] // 5 kWh written as 5 × 10^3 Wh
    [InlineData("""{"value":5,"unitOfMeasure":{"unit":"kWh","multiplier":-3}}""", 5_000)] // 5 Wh written as 5 × 10^-3 kWh
    [InlineData("""{"value":5,"unitOfMeasure":{"unit":"Wh","multiplier":9}}""", 5_000_000_000_000)] // the largest multiplier
    [InlineData("""{"value":5000000,"unitOfMeasure":{"unit":"Wh","multiplier":-9}}""", 5)] // the smallest multiplier
    [InlineData("""{"value":1,"unitOfMeasure":{"unit":"Wh","multiplier":-4}}""", 0)] // 0.1 mWh rounds to 0
    [InlineData("""{"value":5000,"unitOfMeasure":{"unit":"kWh","multiplier":-9}}""", 5)] // 5000 × 10^-9 kWh is exactly 5 mWh
    [InlineData("""{"value":9223372036854775807,"unitOfMeasure":{"unit":"Wh","multiplier":-3}}""", long.MaxValue)] // the largest register in mWh
    [InlineData("""{"value":9223372036854775808,"unitOfMeasure":{"unit":"Wh","multiplier":-3}}""", -1)] // one more: no reading, nothing billed
    [InlineData("""{"value":10,"unitOfMeasure":{"unit":"kWh","multiplier":9}}""", 10_000_000_000_000_000)] // 10^16 mWh fits
    [InlineData("""{"value":10000,"unitOfMeasure":{"unit":"kWh","multiplier":9}}""", -1)] // 10^19 mWh does not fit a long: no reading
    [InlineData("""{"value":-5}""", -1)] // a register never goes negative
    [InlineData("""{"value":5,"phase":"L1"}""", -1)] // a per-phase register
    [InlineData("""{"value":5,"unitOfMeasure":{"unit":"W","multiplier":3}}""", -1)] // power, not energy
    public void Reads2xSampledValues_WithTheirMultiplier(string sampledValue, long expectedMilliWh)
    {
        Assert.Equal(expectedMilliWh, Read($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{{sampledValue}}]}]""", ocpp2: true).EnergyMilliWh);
    }

    [Theory]
    [InlineData("""{"value":5000,"unitOfMeasure":{"unit":"Wh","multiplier":127}}""")] // would bill 5 × 10^12 kWh, or be clamped into another number
    [InlineData("""{"value":5000,"unitOfMeasure":{"unit":"Wh","multiplier":10}}""")] // one above the bound
    [InlineData("""{"value":5000,"unitOfMeasure":{"unit":"Wh","multiplier":-10}}""")] // one below the bound
    [InlineData("""{"value":5000,"unitOfMeasure":{"unit":"Wh","multiplier":-2147483648}}""")] // int32 minimum
    [InlineData("""{"value":7360,"measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W","multiplier":40}}""")] // not the register, but no measurement is scaled by 10^40
    [InlineData("""{"unitOfMeasure":{"multiplier":99},"value":5}""")] // multiplier before the value
    public void RefusesAMultiplierOutOfRange_InsteadOfClampingIt(string sampledValue)
    {
        OcppPayloadException refused = Refused($$"""[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{{sampledValue}}]}]""", ocpp2: true);

        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, refused.Code);
    }

    /// <summary>Every buffer shape refuses the meter value the same way.</summary>
    private static OcppPayloadException Refused(string meterValue, bool ocpp2)
    {
        OcppPayloadException? first = null;
        foreach ((string shape, ReadOnlySequence<byte> bytes) in SequenceShapes.Of(Payload(meterValue)))
        {
            try
            {
                var reader = OnMeterValue(bytes, shape);
                long sampleMs = Now, energy = -1;
                MeterValueReader.ReadBillingRegister(ref reader, ref sampleMs, ref energy, ocpp2);
                Assert.Fail($"{shape}: read {energy} mWh instead of refusing");
            }
            catch (OcppPayloadException ex)
            {
                first ??= ex;
                Assert.Equal(first.Code, ex.Code);
            }
        }

        return first!;
    }

    private static byte[] Payload(string meterValue) =>
        Encoding.UTF8.GetBytes($$"""{"connectorId":1,"transactionId":184467,"meterValue":{{meterValue}},"after":true}""");

    private static Utf8JsonReader OnMeterValue(ReadOnlySequence<byte> bytes, string shape)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: true, state: default);
        Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        while (reader.Read() && !reader.ValueTextEquals("meterValue"u8))
        {
            reader.Read();
            reader.Skip();
        }

        Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartArray, shape);
        return reader;
    }

    /// <summary>
    /// Reads the <c>meterValue</c> array of a MeterValues payload as the handler does, in every buffer shape,
    /// checks the reader is left on the array's end, and returns what every shape agreed on.
    /// </summary>
    private static (long SampleMs, long EnergyMilliWh) Read(string meterValue, bool ocpp2 = false)
    {
        byte[] payload = Payload(meterValue);
        (long, long)? agreed = null;

        foreach ((string shape, ReadOnlySequence<byte> bytes) in SequenceShapes.Of(payload))
        {
            var reader = OnMeterValue(bytes, shape);
            long sampleMs = Now, energy = -1;

            MeterValueReader.ReadBillingRegister(ref reader, ref sampleMs, ref energy, ocpp2);

            Assert.True(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 1, $"{shape}: left on {reader.TokenType}");
            Assert.True(reader.Read() && reader.ValueTextEquals("after"u8), shape);
            agreed ??= (sampleMs, energy);
            Assert.True(agreed == (sampleMs, energy), $"{shape}: ({sampleMs}, {energy}), other shapes read {agreed}");
        }

        return agreed!.Value;
    }

    private static long Ms(string timestamp) => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class OcppSchemaValidatorReaderTests
{
    // OCPP-J CALL: [2,"<messageId>","<Action>",{...}]; a trailing element checks the reader can go on past the payload.
    private static readonly byte[] Call = Encoding.UTF8.GetBytes(
        $$"""[2,"19223201","MeterValues",{{Samples.Ocpp16MeterValues}},"after"]""");

    // OCPP-J CALLRESULT: [3,"<messageId>",{...}]
    private static readonly byte[] CallResult = Encoding.UTF8.GetBytes(
        $$"""[3,"19223201",{{Samples.Ocpp201TransactionEventResponse}}]""");

    [Fact]
    public void AfterACall_TheReaderSitsOnThePayloadsEndObject_AndTheArrayReadsOn()
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp16, "MeterValues");

        foreach ((string shape, ReadOnlySequence<byte> frame) in SchemaFixture.Shapes(Call))
        {
            var reader = new Utf8JsonReader(frame, isFinalBlock: true, state: default);
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartArray, shape);
            Assert.True(reader.Read() && reader.GetInt32() == 2, shape);
            Assert.True(reader.Read() && reader.ValueTextEquals("19223201"u8), shape);
            Assert.True(reader.Read() && reader.ValueTextEquals("MeterValues"u8), shape);
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartObject, shape);

            Assert.True(OcppSchemaValidator.TryValidate(schema, ref reader, out OcppValidationError error), $"{shape}: {error}");

            Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
            Assert.Equal(1, reader.CurrentDepth);
            Assert.True(reader.Read() && reader.ValueTextEquals("after"u8), shape);
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.EndArray, shape);
            Assert.False(reader.Read(), shape);
        }
    }

    [Fact]
    public void AfterACallResult_TheReaderSitsOnThePayloadsEndObject_AndTheArrayEnds()
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp201, "TransactionEvent", response: true);

        foreach ((string shape, ReadOnlySequence<byte> frame) in SchemaFixture.Shapes(CallResult))
        {
            var reader = new Utf8JsonReader(frame, isFinalBlock: true, state: default);
            reader.Read();
            reader.Read();
            reader.Read();
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartObject, shape);

            Assert.True(schema.TryValidate(ref reader, out OcppValidationError error), $"{shape}: {error}");

            Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.EndArray, shape);
            Assert.False(reader.Read(), shape);
        }
    }

    [Fact]
    public void AReaderThatHasNotReadYet_IsAdvancedToThePayload()
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Samples.Ocpp16BootNotification));

        Assert.True(OcppSchemaValidator.TryValidate(SchemaFixture.Schema(OcppVersion.Ocpp16, "BootNotification"), ref reader, out _));

        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.Equal(0, reader.CurrentDepth);
        Assert.False(reader.Read());
    }

    [Fact]
    public void AnEmptyPayload_IsAFormatViolation()
    {
        var reader = new Utf8JsonReader(ReadOnlySpan<byte>.Empty);

        Assert.False(OcppSchemaValidator.TryValidate(SchemaFixture.Schema(OcppVersion.Ocpp16, "Heartbeat"), ref reader, out OcppValidationError error));

        Assert.Equal(OcppErrorCode.FormatViolation, error.Code);
    }

    [Fact]
    public void UnknownPropertiesOfAnOpenObject_AreSkippedWholly_SoTheNextPropertyIsStillChecked()
    {
        // customData allows extension properties; the skipped value holds a "vendorId"-like decoy and nesting.
        const string json = """
            {"vendorId":"com.example","customData":{"vendorId":"com.example","x":{"vendorId":1,"y":[{"z":{}}]}},"messageId":12}
            """;
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp201, "DataTransfer");

        foreach ((string shape, ReadOnlySequence<byte> payload) in SchemaFixture.Shapes(Encoding.UTF8.GetBytes(json)))
        {
            Assert.False(SchemaFixture.Validate(schema, payload, out OcppValidationError error), shape);
            Assert.Equal("messageId: expected string, got number", error.Description);
        }
    }
}

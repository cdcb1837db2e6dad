using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Rpc;

public class OcppMessageWriterTests
{
    [Fact]
    public void CallResult_IsWrittenAsTheOcppJArray()
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.StartCallResult("19223201"u8);
        writer.Json.WriteStartObject();
        writer.Json.WriteString("status"u8, "Accepted"u8);
        writer.Json.WriteString("currentTime"u8, "2013-02-01T20:53:32.486Z"u8);
        writer.Json.WriteNumber("interval"u8, 300);
        writer.Json.WriteEndObject();
        writer.EndMessage();

        Assert.Equal(
            """[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","interval":300}]""",
            Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Call_CarriesItsPayloadVerbatim()
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.WriteCall("a4f3c2e1"u8, "RemoteStartTransaction", """{"connectorId":1,"idTag":"04A2B3C4D5E680"}"""u8);

        Assert.Equal(
            """[2,"a4f3c2e1","RemoteStartTransaction",{"connectorId":1,"idTag":"04A2B3C4D5E680"}]""",
            Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, OcppErrorCode.FormatViolation, """[4,"19223201","FormationViolation","Payload is not valid JSON",{}]""")]
    [InlineData(OcppVersion.Ocpp201, OcppErrorCode.FormatViolation, """[4,"19223201","FormatViolation","Payload is not valid JSON",{}]""")]
    [InlineData(OcppVersion.Ocpp16, OcppErrorCode.OccurrenceConstraintViolation, """[4,"19223201","OccurenceConstraintViolation","Payload is not valid JSON",{}]""")]
    [InlineData(OcppVersion.Ocpp21, OcppErrorCode.OccurrenceConstraintViolation, """[4,"19223201","OccurrenceConstraintViolation","Payload is not valid JSON",{}]""")]
    [InlineData(OcppVersion.Ocpp201, OcppErrorCode.RpcFrameworkError, """[4,"19223201","RpcFrameworkError","Payload is not valid JSON",{}]""")]
    public void CallError_SpellsTheCodeForTheVersion_AndHasEmptyDetails(OcppVersion version, OcppErrorCode code, string expected)
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.WriteCallError("19223201"u8, code, version, "Payload is not valid JSON");

        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void CallError_WithoutADescription_SendsAnEmptyString()
    {
        // OCPP-J 1.6 §4.2.3: "Should be filled in if possible, otherwise a clear empty string".
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.WriteCallError("1"u8, OcppErrorCode.NotImplemented, OcppVersion.Ocpp16, null);

        Assert.Equal("""[4,"1","NotImplemented","",{}]""", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void CallError_TruncatesTheDescriptionTo255Characters()
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.WriteCallError("1"u8, OcppErrorCode.InternalError, OcppVersion.Ocpp201, new string('d', 300));

        Assert.Equal($$"""[4,"1","InternalError","{{new string('d', 255)}}",{}]""", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void CallError_KeepsADescriptionOfExactly255Characters()
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        string description = new('d', 255);

        writer.WriteCallError("1"u8, OcppErrorCode.InternalError, OcppVersion.Ocpp201, description);

        Assert.Equal($$"""[4,"1","InternalError","{{description}}",{}]""", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void CallError_TruncatingBeforeASurrogatePair_StillWritesValidJson()
    {
        // The 255th and 256th UTF-16 units are one emoji: a cut between them must not break the message.
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        string description = new string('d', 254) + "\U0001F50C plug";

        writer.WriteCallError("1"u8, OcppErrorCode.InternalError, OcppVersion.Ocpp201, description);

        using JsonDocument message = JsonDocument.Parse(writer.WrittenSpan.ToArray());
        string written = message.RootElement[3].GetString()!;
        Assert.StartsWith(new string('d', 254), written, StringComparison.Ordinal);
        Assert.True(written.Length <= 255);
    }

    [Fact]
    public void CallError_LeavesPlusAndAngleBracketsReadable_ButEscapesQuotes()
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();

        writer.WriteCallError("1"u8, OcppErrorCode.PropertyConstraintViolation, OcppVersion.Ocpp16, "value \"+49\" <> é & co");

        Assert.Equal("""[4,"1","PropertyConstraintViolation","value \"+49\" <> é & co",{}]""", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void CallError_ReplacesAHalfWrittenCallResult()
    {
        // The dispatcher starts the CALLRESULT before the handler runs; a handler that fails answers with a CALLERROR.
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        writer.StartCallResult("42"u8);
        writer.Json.WriteStartObject();
        writer.Json.WriteString("status"u8, "Accep"u8);

        writer.WriteCallError("42"u8, OcppErrorCode.InternalError, OcppVersion.Ocpp16, "The server could not process Authorize");

        Assert.Equal("""[4,"42","InternalError","The server could not process Authorize",{}]""", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Rent_ReturnsTheThreadsWriter_Reset()
    {
        OcppMessageWriter first = OcppMessageWriter.Rent();
        first.WriteCall("1"u8, "Reset", """{"type":"Soft"}"""u8);

        OcppMessageWriter second = OcppMessageWriter.Rent();

        Assert.Same(first, second);
        Assert.Equal(0, second.WrittenSpan.Length);
    }

    [Theory]
    [InlineData(125, "817d")]
    [InlineData(126, "817e007e")]
    [InlineData(65_535, "817effff")]
    [InlineData(65_536, "817f0000000000010000")]
    public void CopyFramedTo_WritesOneUnmaskedTextFrame_WithTheRightLengthEncoding(int messageLength, string expectedHeaderHex)
    {
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        // [2,"1","DataTransfer",{"data":"xxx"}]: 34 bytes around the data.
        string data = new('x', messageLength - 34);
        writer.WriteCall("1"u8, "DataTransfer", Encoding.UTF8.GetBytes($$"""{"data":"{{data}}"}"""));
        Assert.Equal(messageLength, writer.WrittenSpan.Length);
        var output = new ArrayBufferWriter<byte>();

        writer.CopyFramedTo(output);

        int headerLength = expectedHeaderHex.Length / 2;
        Assert.Equal(expectedHeaderHex, Convert.ToHexStringLower(output.WrittenSpan[..headerLength]));
        Assert.Equal(headerLength + messageLength, output.WrittenCount);
        Assert.True(writer.WrittenSpan.SequenceEqual(output.WrittenSpan[headerLength..]));
        Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(new ReadOnlySequence<byte>(output.WrittenMemory), out WebSocketFrameHeader header, out _));
        Assert.Equal(WebSocketOpcode.Text, header.Opcode);
        Assert.False(header.Masked);
        Assert.Equal(messageLength, header.PayloadLength);
    }

    [Fact]
    public void CopyFramedTo_AppendsToWhatTheOutputAlreadyHolds()
    {
        var output = new ArrayBufferWriter<byte>();
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        writer.WriteCall("1"u8, "Heartbeat", "{}"u8);
        writer.CopyFramedTo(output);
        writer = OcppMessageWriter.Rent();
        writer.WriteCall("2"u8, "Heartbeat", "{}"u8);

        writer.CopyFramedTo(output);

        int first = 2 + BinaryPrimitives.ReadUInt16BigEndian([0, output.WrittenSpan[1]]);
        Assert.Equal("""[2,"1","Heartbeat",{}]""", Encoding.UTF8.GetString(output.WrittenSpan[2..first]));
        Assert.Equal("""[2,"2","Heartbeat",{}]""", Encoding.UTF8.GetString(output.WrittenSpan[(first + 2)..]));
    }
}

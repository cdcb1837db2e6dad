using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Rpc;

public class OcppJFrameReaderTests
{
    private const string Id64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Id65 = Id64 + "0";

    [Theory]
    [InlineData(WireSamples.BootNotification, OcppMessageType.Call, "19223201", "BootNotification", "")]
    [InlineData(WireSamples.StatusNotification, OcppMessageType.Call, "2f1c3a9e-6b0d-4c41-9a57-5e1d2c3b4a10", "StatusNotification", "")]
    [InlineData(WireSamples.MeterValues, OcppMessageType.Call, "7", "MeterValues", "")]
    [InlineData("""[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","interval":300}]""", OcppMessageType.CallResult, "19223201", "", "")]
    [InlineData("""[3,"19223201",{}]""", OcppMessageType.CallResult, "19223201", "", "")]
    [InlineData("""[4,"162376037","NotSupported","SetDisplayMessageRequest not implemented",{}]""", OcppMessageType.CallError, "162376037", "NotSupported", "SetDisplayMessageRequest not implemented")]
    [InlineData("""[4,"5","PropertyConstraintViolation","connectorId 3 does not exist",{"connectorCount":2}]""", OcppMessageType.CallError, "5", "PropertyConstraintViolation", "connectorId 3 does not exist")]
    [InlineData("""[4,"5","GenericError","",{}]""", OcppMessageType.CallError, "5", "GenericError", "")]
    [InlineData("""[5,"8f7c","FormatViolation","interval must be an integer",{"field":"interval"}]""", OcppMessageType.CallResultError, "8f7c", "FormatViolation", "interval must be an integer")]
    [InlineData("""[6,"a1b2","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2024-03-01T08:00:00Z","data":[{"t":0,"v":"230.1"}]}]""", OcppMessageType.Send, "a1b2", "NotifyPeriodicEventStream", "")]
    [InlineData("""[2,"\u0031\u0039223201","\u0041uthorize",{"idTag":"04A2B3C4D5E680"}]""", OcppMessageType.Call, "19223201", "Authorize", "")] // escaped id and action
    [InlineData("""[4,"x\/1","Internal\u0045rror","Connector \u00e9 \"3\" is faulted\n",{}]""", OcppMessageType.CallError, "x/1", "InternalError", "Connector é \"3\" is faulted\n")] // escapes everywhere
    [InlineData("[ 2 ,\r\n\t\"1\" , \"Heartbeat\" ,\n { } ]", OcppMessageType.Call, "1", "Heartbeat", "")] // whitespace between the elements
    [InlineData("""[2,"charger-é-1","Heartbeat",{}]""", OcppMessageType.Call, "charger-é-1", "Heartbeat", "")] // a UTF-8 message id
    [InlineData("[2,\"" + Id64 + "\",\"Heartbeat\",{}]", OcppMessageType.Call, Id64, "Heartbeat", "")] // the longest id
    [InlineData("[2,\"1\",\"" + Id64 + "\",{}]", OcppMessageType.Call, "1", Id64, "")] // the longest action
    [InlineData("""[4,"5","GenericError","bad \ud800 text",{}]""", OcppMessageType.CallError, "5", "GenericError", "bad \\ud800 text")] // a lone surrogate escape: the description is kept as sent
    [InlineData("""[4,"5","GenericError","\u00e9\udc00",{}]""", OcppMessageType.CallError, "5", "GenericError", "\\u00e9\\udc00")] // a lone low surrogate after a valid escape
    public void TryReadHeader_ReadsTheEnvelope_AndStopsOnThePayload_InEveryShape(string json, OcppMessageType type, string id, string action, string description)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(json)))
        {
            Envelope envelope = Read(message);

            Assert.True(envelope.Error == OcppFrameError.None, $"{shape}: {envelope.Error}");
            Assert.Equal(type, envelope.Type);
            Assert.Equal(id, envelope.Id);
            Assert.Equal(action, envelope.Action);
            Assert.Equal(description, envelope.Description);
            Assert.Equal(JsonTokenType.StartObject, envelope.TokenAfter);
            Assert.True(envelope.EndsAfterPayload, shape);
        }
    }

    [Fact]
    public void TryReadHeader_ReadsAMessageIdOf64BytesWrittenAsEscapes_InEveryShape()
    {
        // 384 bytes on the wire, 64 once unescaped: the longest escaped id that fits.
        string escaped = string.Concat(Enumerable.Repeat("\\u0041", 64));

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""[3,"{{escaped}}",{}]""")))
        {
            Envelope envelope = Read(message);

            Assert.True(envelope.Error == OcppFrameError.None, shape);
            Assert.Equal(new string('A', 64), envelope.Id);
        }
    }

    [Theory]
    [InlineData("aaaaaaaaa\\u007f", 54)] // an escape early in a 64-byte id: written longer than the buffer, fits once unescaped
    [InlineData("\\u00e9", 62)] // a two-byte character escaped at the start of a 64-byte id
    public void TryReadHeader_ReadsA64ByteIdAndAction_WithAnEscapeBeforeTheirEnd_InEveryShape(string escapedHead, int tail)
    {
        string text = escapedHead + new string('b', tail);
        string expected = System.Text.RegularExpressions.Regex.Unescape(escapedHead) + new string('b', tail);
        Assert.Equal(OcppJFrameReader.MaxMessageIdBytes, Encoding.UTF8.GetByteCount(expected));

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""[2,"{{text}}","{{text}}",{}]""")))
        {
            Envelope envelope = Read(message);

            Assert.True(envelope.Error == OcppFrameError.None, $"{shape}: {envelope.Error}");
            Assert.Equal(expected, envelope.Id);
            Assert.Equal(expected, envelope.Action);
        }
    }

    [Theory]
    [InlineData("""{"messageTypeId":2}""", OcppFrameError.NotAnArray)] // an object
    [InlineData("\"[2,\\\"1\\\",\\\"Heartbeat\\\",{}]\"", OcppFrameError.NotAnArray)] // a whole CALL inside a JSON string
    [InlineData("2", OcppFrameError.NotAnArray)] // a bare number
    [InlineData("null", OcppFrameError.NotAnArray)] // null
    [InlineData("[]", OcppFrameError.UnknownMessageType)] // an empty array: no type
    [InlineData("""["2","1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // type as a string, not a number
    [InlineData("""[2.0,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // type not an integer
    [InlineData("""[null,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // type null
    [InlineData("""[4294967298,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // 2 + 2^32: must not wrap to a CALL
    [InlineData("""[7,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // type 7 is not defined
    [InlineData("""[1,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // type 1 is not defined
    [InlineData("""[-2,"1","Heartbeat",{}]""", OcppFrameError.UnknownMessageType)] // negative type
    [InlineData("[2]", OcppFrameError.BadMessageId)] // no message id
    [InlineData("""[2,19223201,"Heartbeat",{}]""", OcppFrameError.BadMessageId)] // id is a number, not a string
    [InlineData("""[2,null,"Heartbeat",{}]""", OcppFrameError.BadMessageId)] // id null
    [InlineData("""[2,{"id":"1"},"Heartbeat",{}]""", OcppFrameError.BadMessageId)] // id an object
    [InlineData("[2,\"" + Id65 + "\",\"Heartbeat\",{}]", OcppFrameError.BadMessageId)] // id longer than 64 bytes
    [InlineData("[2,\"" + Id64 + "\\u0041\",\"Heartbeat\",{}]", OcppFrameError.BadMessageId)] // 65 bytes once unescaped
    [InlineData("""[7]""", OcppFrameError.BadMessageId)] // an unknown type without an id: the id problem comes first
    [InlineData("""[2,"\ud800","Heartbeat",{}]""", OcppFrameError.BadMessageId)] // a lone high surrogate escape is not Unicode
    [InlineData("""[2,"a\udc00b","Heartbeat",{}]""", OcppFrameError.BadMessageId)] // a lone low surrogate escape
    [InlineData("""[2,"1"]""", OcppFrameError.BadAction)] // no action and no payload
    [InlineData("""[2,"1",{}]""", OcppFrameError.BadAction)] // missing action: a CALL shaped like a CALLRESULT
    [InlineData("""[2,"1",42,{}]""", OcppFrameError.BadAction)] // action is a number
    [InlineData("""[2,"1","Heart\ud800beat",{}]""", OcppFrameError.BadAction)] // a lone surrogate escape in the action
    [InlineData("""[4,"1","\udfff","x",{}]""", OcppFrameError.BadAction)] // a lone surrogate escape in a CALLERROR's code
    [InlineData("""[6,"1",null,{}]""", OcppFrameError.BadAction)] // SEND without an action
    [InlineData("[2,\"1\",\"" + Id65 + "\",{}]", OcppFrameError.BadAction)] // action longer than 64 bytes
    [InlineData("""[4,"1",{}]""", OcppFrameError.BadAction)] // CALLERROR without an error code
    [InlineData("""[5,"1",3,"x",{}]""", OcppFrameError.BadAction)] // CALLRESULTERROR with a numeric error code
    [InlineData("""[2,"1","Heartbeat"]""", OcppFrameError.BadPayload)] // missing payload
    [InlineData("""[2,"1","Heartbeat",[]]""", OcppFrameError.BadPayload)] // payload is an array
    [InlineData("""[2,"1","Heartbeat","{}"]""", OcppFrameError.BadPayload)] // payload is a string holding JSON
    [InlineData("""[2,"1","Heartbeat",null]""", OcppFrameError.BadPayload)] // payload null
    [InlineData("""[3,"1"]""", OcppFrameError.BadPayload)] // CALLRESULT without a payload
    [InlineData("""[3,"1",true]""", OcppFrameError.BadPayload)] // CALLRESULT payload not an object
    [InlineData("""[4,"1","GenericError",{}]""", OcppFrameError.BadPayload)] // CALLERROR without a description
    [InlineData("""[4,"1","GenericError",7,{}]""", OcppFrameError.BadPayload)] // description is a number
    [InlineData("""[4,"1","GenericError","failed"]""", OcppFrameError.BadPayload)] // CALLERROR without error details
    [InlineData("""[4,"1","GenericError","failed",null]""", OcppFrameError.BadPayload)] // error details null
    public void TryReadHeader_ReturnsTheProblem_ForABadEnvelope(string json, OcppFrameError expected)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(json)))
        {
            Assert.True(expected == Read(message).Error, shape);
        }
    }

    [Theory]
    [InlineData("""[2,"abc",42,{}]""", OcppMessageType.Call)] // bad action
    [InlineData("""[2,"abc","Heartbeat",[]]""", OcppMessageType.Call)] // bad payload
    [InlineData("""[9,"abc","Heartbeat",{}]""", OcppMessageType.Unknown)] // unknown type
    public void TryReadHeader_KeepsTheMessageId_WhenALaterElementIsBad_SoTheErrorCanNameIt(string json, OcppMessageType type)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(json)))
        {
            Envelope envelope = Read(message);

            Assert.NotEqual(OcppFrameError.None, envelope.Error);
            Assert.Equal(type, envelope.Type);
            Assert.True(envelope.Id == "abc", shape);
        }
    }

    [Theory]
    [InlineData("""[4,"\udfff","GenericError","x",{}]""", OcppMessageType.CallError)] // a CALLERROR must not be answered, even when its id is unusable
    [InlineData("""[3,42,{}]""", OcppMessageType.CallResult)] // nor a CALLRESULT
    [InlineData("""[2,null,"Heartbeat",{}]""", OcppMessageType.Call)] // a CALL is answered (with id "-1")
    public void TryReadHeader_KeepsTheType_WhenTheMessageIdIsBad_SoAnAnswerIsNeverAnswered(string json, OcppMessageType type)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(json)))
        {
            Envelope envelope = Read(message);

            Assert.True(envelope.Error == OcppFrameError.BadMessageId, shape);
            Assert.Equal(type, envelope.Type);
        }
    }

    [Theory]
    [InlineData("")] // nothing at all
    [InlineData("hello")] // not JSON
    [InlineData("[2,'1','Heartbeat',{}]")] // single quotes
    [InlineData("""[2,"1" "Heartbeat",{}]""")] // a missing comma
    [InlineData("""[2,"1",""")] // cut off in the middle of the envelope
    [InlineData("""[2,"1\x","Heartbeat",{}]""")] // an invalid escape in the message id
    public void TryReadHeader_ThrowsJsonException_ForTextThatIsNotJson(string text)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(text)))
        {
            Assert.ThrowsAny<JsonException>(() => Read(message));
        }
    }

    [Theory]
    [InlineData("""[3,"1",{}]""", true)]
    [InlineData("[3,\"1\",{\"a\":[1,{}]}] \r\n", true)] // whitespace after the array
    [InlineData("""[3,"1",{},"after"]""", false)] // a trailing element
    [InlineData("""[3,"1",{},{}]""", false)] // a second payload
    [InlineData("""[2,"1","Heartbeat",{},null]""", false)] // a trailing null
    [InlineData("""[4,"1","GenericError","failed",{},{}]""", false)] // CALLERROR with two detail objects
    public void TryReadEnd_IsTrue_OnlyWhenTheArrayEndsAfterThePayload(string json, bool expected)
    {
        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes(json)))
        {
            Envelope envelope = Read(message);

            Assert.Equal(OcppFrameError.None, envelope.Error);
            Assert.True(expected == envelope.EndsAfterPayload, shape);
        }
    }

    [Theory]
    [InlineData("""[3,"1",{}] x""")] // text after the array
    [InlineData("""[3,"1",{}][3,"2",{}]""")] // two messages in one frame
    [InlineData("""[3,"1",{}""")] // the array is never closed
    public void TryReadEnd_ThrowsJsonException_WhenWhatFollowsThePayloadIsNotJson(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void TryReadHeader_TruncatesALongDescriptionToItsBuffer_InEveryShape()
    {
        string description = new('d', 300);

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""[4,"1","InternalError","{{description}}",{}]""")))
        {
            Envelope envelope = Read(message);

            Assert.Equal(OcppFrameError.None, envelope.Error);
            Assert.Equal("InternalError", envelope.Action);
            Assert.True(description[..256] == envelope.Description, shape);
        }
    }

    [Fact]
    public void TryReadHeader_TruncatesALongNonAsciiDescription_AtACharacterBoundary()
    {
        // OCPP 2.0.1 allows 255 characters: "a" and 254 × 'é' are 509 bytes of UTF-8, and byte 256 is half an 'é'.
        string description = "a" + new string('é', 254);

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""[4,"1","InternalError","{{description}}",{}]""")))
        {
            Envelope envelope = Read(message);

            Assert.Equal(OcppFrameError.None, envelope.Error);
            Assert.True(description[..128] == envelope.Description, shape);
        }
    }

    [Fact]
    public void TryReadHeader_TruncatesALongEscapedDescription_AsSent()
    {
        string escaped = string.Concat(Enumerable.Repeat("\\u0041", 300));

        foreach ((string shape, ReadOnlySequence<byte> message) in SequenceShapes.Of(Encoding.UTF8.GetBytes($$"""[4,"1","InternalError","{{escaped}}",{}]""")))
        {
            Envelope envelope = Read(message);

            Assert.Equal(OcppFrameError.None, envelope.Error);
            Assert.True(escaped[..256] == envelope.Description, shape);
        }
    }

    [Fact]
    public void TryReadHeader_PointsIntoTheMessage_WhenTheIdAndActionAreContiguousAndUnescaped()
    {
        byte[] json = Encoding.UTF8.GetBytes(WireSamples.BootNotification);
        var reader = new Utf8JsonReader(json);

        Assert.Equal(OcppFrameError.None, OcppJFrameReader.TryReadHeader(ref reader, new byte[64], new byte[64], new byte[256], out OcppFrameHeader header, out _));

        Assert.True(json.AsSpan().Overlaps(header.MessageId));
        Assert.True(json.AsSpan().Overlaps(header.Action));
    }

    private readonly record struct Envelope(OcppFrameError Error, OcppMessageType Type, string Id, string Action, string Description, JsonTokenType TokenAfter, bool EndsAfterPayload);

    /// <summary>Reads the envelope as the connection does, then skips the payload and checks the end.</summary>
    private static Envelope Read(ReadOnlySequence<byte> message)
    {
        var reader = new Utf8JsonReader(message, isFinalBlock: true, state: default);
        OcppFrameError error = OcppJFrameReader.TryReadHeader(
            ref reader, new byte[OcppJFrameReader.MaxMessageIdBytes], new byte[OcppJFrameReader.MaxActionBytes], new byte[256],
            out OcppFrameHeader header, out ReadOnlySpan<byte> description);
        JsonTokenType tokenAfter = reader.TokenType;
        bool endsAfterPayload = false;
        if (error == OcppFrameError.None)
        {
            reader.Skip();
            endsAfterPayload = OcppJFrameReader.TryReadEnd(ref reader);
        }

        return new Envelope(
            error, header.Type, Encoding.UTF8.GetString(header.MessageId), Encoding.UTF8.GetString(header.Action),
            Encoding.UTF8.GetString(description), tokenAfter, endsAfterPayload);
    }
}

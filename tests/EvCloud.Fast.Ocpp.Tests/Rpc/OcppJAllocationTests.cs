using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Tests.TestSupport;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Rpc;

// NOTE: no Assert.Equal inside a measured loop: comparing enums through it allocates. Outcomes are gathered in a bool.
public class OcppJAllocationTests
{
    [Fact]
    public void ReadingAStatusNotificationFrame_AllocatesNothing()
    {
        byte[] frame = WireSamples.TextFrame(WireSamples.StatusNotification);
        var contiguous = new ReadOnlySequence<byte>(frame);
        ReadOnlySequence<byte> inTwoReads = TestSegment.SplitAt(frame.AsSpan().ToArray(), frame.Length / 2);
        byte[] escapedFrame = WireSamples.TextFrame(WireSamples.StatusNotification.Replace("\"StatusNotification\"", "\"\\u0053tatusNotification\"", StringComparison.Ordinal));
        ReadOnlySequence<byte> escaped = TestSegment.OneBytePerSegment(escapedFrame);
        byte[] id = new byte[OcppJFrameReader.MaxMessageIdBytes];
        byte[] action = new byte[OcppJFrameReader.MaxActionBytes];
        byte[] description = new byte[256];
        bool allRead = true;

        long allocated = AllocationMeter.Measure(() =>
        {
            allRead &= ReadFrame(contiguous, id, action, description);
            allRead &= ReadFrame(inTwoReads, id, action, description);
            allRead &= ReadFrame(escaped, id, action, description);
        });

        Assert.True(allRead);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void WritingAndFramingACallResult_AllocatesNothing()
    {
        var output = new ArrayBufferWriter<byte>(256);
        bool allFramed = true;

        long allocated = AllocationMeter.Measure(() =>
        {
            output.ResetWrittenCount();
            OcppMessageWriter writer = OcppMessageWriter.Rent();
            writer.StartCallResult("19223201"u8);
            Utf8JsonWriter json = writer.Json;
            json.WriteStartObject();
            json.WriteString("status"u8, "Accepted"u8);
            json.WriteString("currentTime"u8, "2024-03-01T08:15:27.482Z"u8);
            json.WriteNumber("interval"u8, 300);
            json.WriteEndObject();
            writer.EndMessage();
            writer.CopyFramedTo(output);
            allFramed &= output.WrittenCount == 2 + 92;
        });

        Assert.True(allFramed, Encoding.UTF8.GetString(output.WrittenSpan[2..]));
        Assert.Equal(0, allocated);
    }

    /// <summary>What the connection does with a received frame, up to the handler; then masks the payload again.</summary>
    private static bool ReadFrame(in ReadOnlySequence<byte> buffer, byte[] id, byte[] action, byte[] description)
    {
        if (WebSocketFrameReader.TryReadHeader(buffer, out WebSocketFrameHeader frame, out _) != FrameReadStatus.Done)
        {
            return false;
        }

        ReadOnlySequence<byte> payload = buffer.Slice(frame.HeaderLength, frame.PayloadLength);
        WebSocketFrameReader.Unmask(payload, frame.MaskKey);

        var reader = new Utf8JsonReader(payload, isFinalBlock: true, state: default);
        bool ok = OcppJFrameReader.TryReadHeader(ref reader, id, action, description, out OcppFrameHeader header, out _) == OcppFrameError.None
            && header.Type == OcppMessageType.Call
            && header.Action.SequenceEqual("StatusNotification"u8)
            && reader.TrySkip()
            && OcppJFrameReader.TryReadEnd(ref reader);

        WebSocketFrameReader.Unmask(payload, frame.MaskKey);
        return ok;
    }
}

using System.Buffers;
using System.Text;
using EvCloud.Fast.Ocpp.Tests.TestSupport;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Transport;

public class WebSocketFrameReaderTests
{
    private sealed record Sample(byte[] Frame, WebSocketOpcode Opcode, bool Fin, bool Masked, uint MaskKey, int HeaderLength, byte[] Payload);

    private static readonly Dictionary<string, Sample> Samples = BuildSamples();

    public static TheoryData<string> SampleNames => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void TryReadHeader_ReadsTheHeader_AndUnmaskYieldsThePayload_InEveryShape(string name)
    {
        Sample sample = Samples[name];
        var expected = (FrameReadStatus.Done, (ushort)0, sample.Opcode, sample.Fin, (byte)0, sample.Masked, sample.MaskKey, sample.HeaderLength, (long)sample.Payload.Length, ((byte)sample.Opcode & 0x8) != 0);

        foreach ((string shape, ReadOnlySequence<byte> frame) in SequenceShapes.Of(sample.Frame))
        {
            FrameReadStatus status = WebSocketFrameReader.TryReadHeader(frame, out WebSocketFrameHeader header, out ushort closeCode);

            // One comparison per shape, and a message only on failure: the 64 KB sample has 64 K shapes.
            var read = (status, closeCode, header.Opcode, header.Fin, header.Reserved, header.Masked, header.MaskKey, header.HeaderLength, header.PayloadLength, header.IsControl);
            if (expected != read || frame.Length != header.HeaderLength + header.PayloadLength)
            {
                Assert.Fail($"{shape}: read {read}, expected {expected}");
            }

            // NOTE: a 64 KB payload cut at each of its 64 K offsets would be unmasked 64 K times (seconds in a Debug
            // build). Cuts within 1 KB of either end already meet every key rotation and every vector-width remainder;
            // the cuts in between only repeat them, so there the header alone is checked.
            long cut = frame.First.Length;
            if (!frame.IsSingleSegment && cut > 1024 && frame.Length - cut > 1024)
            {
                continue;
            }

            ReadOnlySequence<byte> payload = frame.Slice(header.HeaderLength, header.PayloadLength);
            WebSocketFrameReader.Unmask(payload, header.MaskKey);
            SequenceAssert.Equal(sample.Payload, payload, shape);

            // NOTE: masking is an XOR, so a second pass restores the shared sample for the next shape.
            WebSocketFrameReader.Unmask(payload, header.MaskKey);
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void TryReadFrame_ReturnsNeedMoreData_ForEveryPrefixOfAValidFrame(string name)
    {
        byte[] frame = Samples[name].Frame;

        for (int length = 0; length < frame.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.True(FrameReadStatus.NeedMoreData == TryReadFrame(prefix, out _), $"prefix of {length} bytes");
        }

        Assert.Equal(FrameReadStatus.Done, TryReadFrame(new ReadOnlySequence<byte>(frame), out _));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void TryReadHeader_ReturnsNeedMoreData_ForEveryPrefixOfTheHeader_InEveryShape(string name)
    {
        Sample sample = Samples[name];

        for (int length = 0; length < sample.HeaderLength; length++)
        {
            foreach ((string shape, ReadOnlySequence<byte> prefix) in SequenceShapes.Of(sample.Frame[..length]))
            {
                FrameReadStatus status = WebSocketFrameReader.TryReadHeader(prefix, out _, out ushort closeCode);
                Assert.True(status == FrameReadStatus.NeedMoreData, $"{length} bytes, {shape}: {status}");
                Assert.Equal(0, closeCode);
            }
        }
    }

    [Theory]
    [InlineData("c1 80 37fa213d")] // RSV1 set on a text frame: no extension (permessage-deflate) was negotiated
    [InlineData("a1 80 37fa213d")] // RSV2 set
    [InlineData("91 80 37fa213d")] // RSV3 set
    [InlineData("f1 80 37fa213d")] // all three RSV bits set
    [InlineData("83 80 37fa213d")] // opcode 0x3 is reserved for further non-control frames
    [InlineData("84 80 37fa213d")] // opcode 0x4 reserved
    [InlineData("85 80 37fa213d")] // opcode 0x5 reserved
    [InlineData("86 80 37fa213d")] // opcode 0x6 reserved
    [InlineData("87 80 37fa213d")] // opcode 0x7 reserved
    [InlineData("8b 80 37fa213d")] // opcode 0xB is reserved for further control frames
    [InlineData("8c 80 37fa213d")] // opcode 0xC reserved
    [InlineData("8d 80 37fa213d")] // opcode 0xD reserved
    [InlineData("8e 80 37fa213d")] // opcode 0xE reserved
    [InlineData("8f 80 37fa213d")] // opcode 0xF reserved
    [InlineData("09 80 37fa213d")] // ping without FIN: control frames must not be fragmented (§5.5)
    [InlineData("0a 80 37fa213d")] // pong without FIN
    [InlineData("08 82 37fa213d")] // close without FIN
    [InlineData("89 fe 007e 37fa213d")] // ping of 126 bytes: control payloads are at most 125 bytes
    [InlineData("88 fe 00ff 37fa213d")] // close of 255 bytes
    [InlineData("8a ff 0000000000000080 37fa213d")] // pong with a 64-bit length of 128
    [InlineData("88 81 37fa213d")] // close with a 1-byte payload: a status code takes two (§5.5.1)
    [InlineData("81 ff 8000000000000000 37fa213d")] // 64-bit length with the most significant bit set (§5.2)
    [InlineData("82 ff ffffffffffffffff 37fa213d")] // 64-bit length of all ones: negative as a long
    [InlineData("81 7f 8000000000000005")] // MSB set on an unmasked frame: rejected before any mask is read
    public void TryReadHeader_ReturnsInvalidWithProtocolError_ForABadHeader(string hex)
    {
        byte[] bad = WireSamples.Hex(hex);

        foreach ((string shape, ReadOnlySequence<byte> frame) in SequenceShapes.Of(bad))
        {
            Assert.True(FrameReadStatus.Invalid == WebSocketFrameReader.TryReadHeader(frame, out _, out ushort closeCode), shape);
            Assert.Equal(WebSocketCloseCodes.ProtocolError, closeCode);
        }
    }

    [Fact]
    public void TryReadHeader_AcceptsALengthThatIsNotMinimallyEncoded()
    {
        // RFC 6455 §5.2 asks senders for the minimal encoding; the gateway tolerates firmware that always uses 16 bits.
        byte[] frame = [.. WireSamples.Hex("81 fe 0005 37fa213d"), .. WireSamples.Hex("7f9f4d5158")];

        Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(new ReadOnlySequence<byte>(frame), out WebSocketFrameHeader header, out _));
        Assert.Equal(5, header.PayloadLength);
        Assert.Equal(8, header.HeaderLength);
    }

    [Fact]
    public void TryReadHeader_LeavesTheLargestLegalLength_ForTheCallerToRefuse()
    {
        byte[] frame = WireSamples.Hex("81 ff 7fffffffffffffff 37fa213d");

        Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(new ReadOnlySequence<byte>(frame), out WebSocketFrameHeader header, out _));
        Assert.Equal(long.MaxValue, header.PayloadLength);
        Assert.Equal(14, header.HeaderLength);
    }

    [Fact]
    public void TryReadHeader_ReadsOnlyTheFirstFrame_OfSeveralInOneBuffer()
    {
        byte[] ping = WireSamples.ClientFrame(WebSocketOpcode.Ping, "1"u8);
        byte[] boot = WireSamples.TextFrame(WireSamples.BootNotification);
        byte[] both = [.. ping, .. boot];

        foreach ((string shape, ReadOnlySequence<byte> buffer) in SequenceShapes.Of(both))
        {
            Assert.True(FrameReadStatus.Done == TryReadFrame(buffer, out WebSocketFrameHeader first), shape);
            Assert.Equal(WebSocketOpcode.Ping, first.Opcode);
            ReadOnlySequence<byte> rest = buffer.Slice(first.HeaderLength + first.PayloadLength);
            Assert.True(FrameReadStatus.Done == TryReadFrame(rest, out WebSocketFrameHeader second), shape);
            Assert.Equal(WebSocketOpcode.Text, second.Opcode);
            Assert.Equal(rest.Length, second.HeaderLength + second.PayloadLength);
        }
    }

    /// <summary>What the connection loop does with a header: a frame is only taken once all of it has arrived.</summary>
    private static FrameReadStatus TryReadFrame(in ReadOnlySequence<byte> buffer, out WebSocketFrameHeader header)
    {
        FrameReadStatus status = WebSocketFrameReader.TryReadHeader(buffer, out header, out _);
        return status == FrameReadStatus.Done && buffer.Length < header.HeaderLength + header.PayloadLength
            ? FrameReadStatus.NeedMoreData
            : status;
    }

    private static Dictionary<string, Sample> BuildSamples()
    {
        const uint Key = WireSamples.MaskKey;
        var samples = new Dictionary<string, Sample>();

        void Masked(string name, WebSocketOpcode opcode, byte[] payload, bool fin = true)
        {
            int headerLength = WebSocketFrameWriter.ServerHeaderLength(payload.Length) + 4;
            samples.Add(name, new Sample(WireSamples.ClientFrame(opcode, payload, Key, fin), opcode, fin, true, Key, headerLength, payload));
        }

        Masked("BootNotification", WebSocketOpcode.Text, Encoding.UTF8.GetBytes(WireSamples.BootNotification));
        Masked("StatusNotification", WebSocketOpcode.Text, Encoding.UTF8.GetBytes(WireSamples.StatusNotification));
        Masked("MeterValues, 4 sampled values", WebSocketOpcode.Text, Encoding.UTF8.GetBytes(WireSamples.MeterValues));
        Masked("DataTransfer of 126 bytes (16-bit length)", WebSocketOpcode.Text, Encoding.UTF8.GetBytes(WireSamples.DataTransfer(126)));
        Masked("DataTransfer of 65,536 bytes (64-bit length)", WebSocketOpcode.Text, Encoding.UTF8.GetBytes(WireSamples.DataTransfer(65_536)));
        Masked("first fragment", WebSocketOpcode.Text, "[2,\"1\",\"Heart"u8.ToArray(), fin: false);
        Masked("last fragment", WebSocketOpcode.Continuation, "beat\",{}]"u8.ToArray());
        Masked("ping with payload", WebSocketOpcode.Ping, "keepalive 1709280000"u8.ToArray());
        Masked("pong of 125 bytes", WebSocketOpcode.Pong, Encoding.ASCII.GetBytes(new string('p', 125)));
        Masked("close with code and reason", WebSocketOpcode.Close, WireSamples.ClosePayload(1001, "Charger rebooting"));
        Masked("close with code only", WebSocketOpcode.Close, WireSamples.ClosePayload(1000, ""));
        Masked("close without payload", WebSocketOpcode.Close, []);

        // RFC 6455 §5.7, written out by hand rather than by the writer under test.
        samples.Add("RFC 6455 masked Hello", new Sample(
            WireSamples.Hex("81 85 37fa213d 7f9f4d5158"), WebSocketOpcode.Text, true, true, Key, 6, "Hello"u8.ToArray()));
        samples.Add("RFC 6455 unmasked ping", new Sample(
            WireSamples.Hex("89 05 48656c6c6f"), WebSocketOpcode.Ping, true, false, 0, 2, "Hello"u8.ToArray()));
        return samples;
    }
}

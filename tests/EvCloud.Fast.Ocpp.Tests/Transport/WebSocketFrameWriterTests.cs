using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EvCloud.Fast.Ocpp.Tests.TestSupport;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Transport;

public class WebSocketFrameWriterTests
{
    [Theory]
    [InlineData(0, "8100")]
    [InlineData(125, "817d")] // the largest 7-bit length
    [InlineData(126, "817e007e")] // the smallest 16-bit length
    [InlineData(65_535, "817effff")] // the largest 16-bit length
    [InlineData(65_536, "817f0000000000010000")] // the smallest 64-bit length
    [InlineData(1 << 24, "817f0000000001000000")]
    public void WriteHeader_UsesTheShortestLengthEncoding(int payloadLength, string expectedHex)
    {
        byte[] header = new byte[WebSocketFrameWriter.MaxServerHeaderLength];

        int written = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Text, payloadLength);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(header, 0, written));
        Assert.Equal(written, WebSocketFrameWriter.ServerHeaderLength(payloadLength));
    }

    [Fact]
    public void WriteServerFrame_WritesTheRfc6455UnmaskedHello()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteServerFrame(output, WebSocketOpcode.Text, "Hello"u8);

        Assert.Equal("810548656c6c6f", Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void WriteClientFrame_WritesTheRfc6455MaskedHello()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClientFrame(output, WebSocketOpcode.Text, "Hello"u8, WireSamples.MaskKey);

        Assert.Equal("818537fa213d7f9f4d5158", Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void WriteClientFrame_WithoutFin_StartsAFragmentedMessage()
    {
        byte[] frame = WireSamples.ClientFrame(WebSocketOpcode.Text, "Hel"u8, WireSamples.MaskKey, fin: false);

        Assert.Equal("018337fa213d7f9f4d", Convert.ToHexStringLower(frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public void ServerFrames_ReadBackUnmasked_WithTheirLength(int payloadLength)
    {
        byte[] payload = Encoding.ASCII.GetBytes(new string('x', payloadLength));
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteServerFrame(output, WebSocketOpcode.Binary, payload);

        var frame = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(frame, out WebSocketFrameHeader header, out _));
        Assert.False(header.Masked);
        Assert.True(header.Fin);
        Assert.Equal(WebSocketOpcode.Binary, header.Opcode);
        Assert.Equal(payloadLength, header.PayloadLength);
        Assert.Equal(WebSocketFrameWriter.ServerHeaderLength(payloadLength), header.HeaderLength);
        Assert.True(payload.AsSpan().SequenceEqual(output.WrittenSpan[header.HeaderLength..]));
    }

    [Fact]
    public void WriteClose_WritesTheCodeBigEndian_ThenTheReason()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseCodes.PolicyViolation, "Idle timeout"u8);

        Assert.Equal("880e03f0" + Convert.ToHexStringLower("Idle timeout"u8), Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void WriteClose_TruncatesTheReason_SoTheFrameStaysAValidControlFrame()
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] reason = Encoding.ASCII.GetBytes(new string('r', 200));

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseCodes.GoingAway, reason);

        Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(new ReadOnlySequence<byte>(output.WrittenMemory), out WebSocketFrameHeader header, out _));
        Assert.Equal(WebSocketOpcode.Close, header.Opcode);
        Assert.Equal(125, header.PayloadLength);
        Assert.Equal(WebSocketCloseCodes.GoingAway, BinaryPrimitives.ReadUInt16BigEndian(output.WrittenSpan[2..]));
        Assert.True(reason.AsSpan(0, 123).SequenceEqual(output.WrittenSpan[4..]));
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1003, true)]
    [InlineData(1007, true)]
    [InlineData(1014, true)]
    [InlineData(3000, true)]
    [InlineData(4999, true)]
    [InlineData(999, false)] // below the defined range
    [InlineData(1004, false)] // reserved
    [InlineData(1005, false)] // "no status received": only ever reported locally
    [InlineData(1006, false)] // "abnormal closure": only ever reported locally
    [InlineData(1015, false)] // TLS handshake failure: only ever reported locally
    [InlineData(2999, false)] // reserved for future RFC extensions
    [InlineData(5000, false)] // beyond the private-use range
    public void IsValidOnWire_FollowsRfc6455Section7_4(ushort code, bool valid)
    {
        Assert.Equal(valid, WebSocketCloseCodes.IsValidOnWire(code));
    }
}

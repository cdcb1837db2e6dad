using System.Buffers;
using EvCloud.Fast.Ocpp.Tests.TestSupport;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Transport;

public class WebSocketUnmaskTests
{
    // Distinct key bytes, so unmasking with a rotated key cannot pass by accident.
    private const uint Key = WireSamples.MaskKey;

    [Fact]
    public void UnmaskSpan_DecodesTheRfc6455MaskedHello()
    {
        byte[] masked = WireSamples.Hex("7f9f4d5158");

        WebSocketFrameReader.UnmaskSpan(masked, Key, 0);

        Assert.Equal("Hello"u8.ToArray(), masked);
    }

    [Fact]
    public void Unmask_RestoresWhatTheClientWriterMasked_ForLengths0To70_At4KeyOffsets()
    {
        // 70 bytes cover the vector loop (16 or 32 bytes a step), the 8-byte loop and the byte tail.
        for (int length = 0; length <= 70; length++)
        {
            byte[] plain = Payload(length);
            byte[] frame = WireSamples.ClientFrame(WebSocketOpcode.Text, plain, Key);

            for (int keyOffset = 0; keyOffset < 4; keyOffset++)
            {
                for (int alignment = 0; alignment < 4; alignment++)
                {
                    // The frame sits `alignment` bytes into a guarded buffer, so payloads start at every alignment.
                    byte[] buffer = new byte[alignment + frame.Length + 8];
                    buffer.AsSpan().Fill(SequenceShapes.Guard);
                    frame.CopyTo(buffer, alignment);
                    var sequence = new ReadOnlySequence<byte>(buffer, alignment, frame.Length);
                    Assert.Equal(FrameReadStatus.Done, WebSocketFrameReader.TryReadHeader(sequence, out WebSocketFrameHeader header, out _));

                    // The first `keyOffset` bytes arrived earlier and were unmasked then; the rest continues the key.
                    int head = Math.Min(keyOffset, length);
                    ReadOnlySequence<byte> payload = sequence.Slice(header.HeaderLength);
                    WebSocketFrameReader.Unmask(payload.Slice(0, head), header.MaskKey);
                    WebSocketFrameReader.Unmask(payload.Slice(head), header.MaskKey, head);

                    string context = $"length {length}, key offset {keyOffset}, alignment {alignment}";
                    Assert.True(plain.AsSpan().SequenceEqual(payload.ToArray()), context);
                    Assert.True(buffer.AsSpan(0, alignment).IndexOfAnyExcept(SequenceShapes.Guard) < 0, context);
                    Assert.True(buffer.AsSpan(alignment + frame.Length).IndexOfAnyExcept(SequenceShapes.Guard) < 0, context);
                }
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)] // a whole key turn: the same as 0
    [InlineData(1027)] // the byte count of a long continuation: only its remainder mod 4 counts
    public void Unmask_OverTwoSegmentsSplitAtEveryOffset_EqualsUnmaskingTheWhole(int keyOffset)
    {
        byte[] masked = Payload(300);
        byte[] whole = masked.AsSpan().ToArray();
        WebSocketFrameReader.UnmaskSpan(whole, Key, keyOffset);

        foreach ((string shape, ReadOnlySequence<byte> payload) in SequenceShapes.OfCopies(masked))
        {
            WebSocketFrameReader.Unmask(payload, Key, keyOffset);
            SequenceAssert.Equal(whole, payload, shape);
        }
    }

    [Fact]
    public void Unmask_OverThreeSegments_EqualsUnmaskingTheWhole()
    {
        byte[] masked = Payload(80);
        byte[] whole = masked.AsSpan().ToArray();
        WebSocketFrameReader.UnmaskSpan(whole, Key, 0);

        for (int first = 0; first <= masked.Length; first++)
        {
            for (int second = first; second <= masked.Length; second++)
            {
                ReadOnlySequence<byte> payload = TestSegment.Split(masked.AsSpan().ToArray(), first, second);
                WebSocketFrameReader.Unmask(payload, Key);
                SequenceAssert.Equal(whole, payload, $"cut at {first} and {second}");
            }
        }
    }

    [Fact]
    public void Unmask_WithAZeroKey_ChangesNothing()
    {
        byte[] payload = Payload(100);
        byte[] copy = payload.AsSpan().ToArray();

        WebSocketFrameReader.Unmask(TestSegment.SplitAt(copy, 37), 0);

        Assert.Equal(payload, copy);
    }

    private static byte[] Payload(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}

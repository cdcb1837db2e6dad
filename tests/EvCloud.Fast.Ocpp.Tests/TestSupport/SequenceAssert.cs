using System.Buffers;

namespace EvCloud.Fast.Ocpp.Tests.TestSupport;

internal static class SequenceAssert
{
    /// <summary>Compares segment by segment, so a 64 KB payload split 64 K ways is not copied each time.</summary>
    public static void Equal(ReadOnlySpan<byte> expected, in ReadOnlySequence<byte> actual, string shape)
    {
        if (expected.Length != actual.Length)
        {
            Assert.Fail($"{shape}: {actual.Length} bytes, expected {expected.Length}");
        }

        int at = 0;
        foreach (ReadOnlyMemory<byte> segment in actual)
        {
            if (!segment.Span.SequenceEqual(expected.Slice(at, segment.Length)))
            {
                int first = at + segment.Span.CommonPrefixLength(expected.Slice(at, segment.Length));
                Assert.Fail($"{shape}: first difference at byte {first}");
            }

            at += segment.Length;
        }
    }
}

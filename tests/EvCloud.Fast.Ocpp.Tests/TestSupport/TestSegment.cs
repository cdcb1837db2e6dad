using System.Buffers;

namespace EvCloud.Fast.Ocpp.Tests.TestSupport;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands over a frame that crossed reads.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>The bytes in segments of the given lengths (the last segment takes the rest).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var first = new TestSegment(data.AsMemory(0, cuts.Length == 0 ? data.Length : cuts[0]), 0);
        TestSegment last = first;
        for (int i = 0; i < cuts.Length; i++)
        {
            int start = cuts[i];
            int end = i + 1 < cuts.Length ? cuts[i + 1] : data.Length;
            last = last.Append(data.AsMemory(start, end - start));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Two segments, cut before byte <paramref name="offset"/> (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int offset) => Split(data, offset);

    /// <summary>One segment per byte: every token, escape and UTF-8 sequence straddles a boundary.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        int[] cuts = new int[Math.Max(0, data.Length - 1)];
        for (int i = 0; i < cuts.Length; i++)
        {
            cuts[i] = i + 1;
        }

        return Split(data, cuts);
    }

    private TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}

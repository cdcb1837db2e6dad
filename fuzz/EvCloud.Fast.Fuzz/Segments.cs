using System.Buffers;

namespace EvCloud.Fast.Fuzz;

/// <summary>Builds the multi-segment sequences a pipe hands the parsers when a message spans its buffers.</summary>
internal static class Segments
{
    /// <summary><paramref name="data"/> copied into two segments split at <paramref name="at"/> (clamped).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, int at)
    {
        at = Math.Clamp(at, 0, data.Length);
        var first = new Segment(data[..at].ToArray(), 0);
        Segment last = first.Append(data[at..].ToArray());
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="data"/> copied into one-byte segments (the worst case for every split path).</summary>
    public static ReadOnlySequence<byte> Bytewise(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment([data[0]], 0);
        Segment last = first;
        for (int i = 1; i < data.Length; i++)
        {
            last = last.Append([data[i]]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

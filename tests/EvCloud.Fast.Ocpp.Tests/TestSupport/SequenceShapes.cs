using System.Buffers;

namespace EvCloud.Fast.Ocpp.Tests.TestSupport;

/// <summary>The four ways a parser sample is run (STYLE.md, "Tests").</summary>
internal static class SequenceShapes
{
    /// <summary>Value of the guard bytes around a slice: a '#' that no sample starts or ends with.</summary>
    public const byte Guard = (byte)'#';

    /// <summary>
    /// Every way bytes reach a parser: right-sized, inside a larger buffer with guard bytes before and after,
    /// split at every offset into two segments, and one byte per segment.
    /// </summary>
    public static IEnumerable<(string Shape, ReadOnlySequence<byte> Bytes)> Of(byte[] bytes)
    {
        yield return ("right-sized", new ReadOnlySequence<byte>(bytes));
        yield return ("guarded", Guarded(bytes));

        for (int offset = 0; offset <= bytes.Length; offset++)
        {
            yield return ($"split at {offset}", TestSegment.SplitAt(bytes, offset));
        }

        yield return ("one byte per segment", TestSegment.OneBytePerSegment(bytes));
    }

    /// <summary>
    /// Like <see cref="Of"/>, but every shape is built over a fresh copy: for parsers that work in place
    /// (unmasking), so one shape's run cannot leak into the next.
    /// </summary>
    public static IEnumerable<(string Shape, ReadOnlySequence<byte> Bytes)> OfCopies(byte[] bytes)
    {
        yield return ("right-sized", new ReadOnlySequence<byte>(bytes.AsSpan().ToArray()));
        yield return ("guarded", Guarded(bytes));

        for (int offset = 0; offset <= bytes.Length; offset++)
        {
            yield return ($"split at {offset}", TestSegment.SplitAt(bytes.AsSpan().ToArray(), offset));
        }

        yield return ("one byte per segment", TestSegment.OneBytePerSegment(bytes.AsSpan().ToArray()));
    }

    /// <summary>The bytes as a slice of a larger buffer, with 8 guard bytes on each side.</summary>
    public static ReadOnlySequence<byte> Guarded(byte[] bytes)
    {
        byte[] guarded = new byte[bytes.Length + 16];
        guarded.AsSpan().Fill(Guard);
        bytes.CopyTo(guarded, 8);
        return new ReadOnlySequence<byte>(guarded, 8, bytes.Length);
    }
}

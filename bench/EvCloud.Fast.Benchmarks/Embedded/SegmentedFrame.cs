using System.Buffers;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// A masked frame laid out as a pipe would hand it over: in one segment, or split across several (a message
/// that straddles two pipe segments, or a transport that delivers it in small reads). Unmasking works in
/// place, so <see cref="Refill"/> restores the masked bytes before each parse, as a new receive would.
/// </summary>
public sealed class SegmentedFrame
{
    private readonly byte[] _masked;
    private readonly Segment[] _segments;
    private readonly ReadOnlySequence<byte> _sequence;

    /// <param name="frame">The frame as it goes on the wire.</param>
    /// <param name="segmentLength">Bytes per segment; 0 or the frame's length or more gives one segment.</param>
    public SegmentedFrame(ClientFrame frame, int segmentLength = 0)
    {
        _masked = frame.Bytes.ToArray();
        Name = frame.Name;
        int length = segmentLength <= 0 ? _masked.Length : Math.Min(segmentLength, _masked.Length);
        int count = (_masked.Length + length - 1) / length;
        _segments = new Segment[count];
        long running = 0;
        for (int i = 0; i < count; i++)
        {
            int size = Math.Min(length, _masked.Length - (i * length));
            _segments[i] = new Segment(new byte[size], running);
            running += size;
            if (i > 0)
            {
                _segments[i - 1].SetNext(_segments[i]);
            }
        }

        _sequence = count == 1
            ? new ReadOnlySequence<byte>(_segments[0].Array)
            : new ReadOnlySequence<byte>(_segments[0], 0, _segments[^1], _segments[^1].Array.Length);
    }

    /// <summary>The OCPP action, for reports.</summary>
    public string Name { get; }

    /// <summary>How many segments the frame is split across.</summary>
    public int SegmentCount => _segments.Length;

    /// <summary>Copies the masked frame back into the segments and returns it.</summary>
    public ReadOnlySequence<byte> Refill()
    {
        int offset = 0;
        foreach (Segment segment in _segments)
        {
            _masked.AsSpan(offset, segment.Array.Length).CopyTo(segment.Array);
            offset += segment.Array.Length;
        }

        return _sequence;
    }

    /// <inheritdoc />
    public override string ToString() => SegmentCount == 1 ? Name : $"{Name} ×{SegmentCount}";

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] array, long runningIndex)
        {
            Array = array;
            Memory = array;
            RunningIndex = runningIndex;
        }

        public byte[] Array { get; }

        public void SetNext(Segment next) => Next = next;
    }
}

using System.Buffers;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// A contiguous view of a possibly multi-segment sequence: the sequence's own memory when it is one segment,
/// else a copy in a rented array returned on dispose. Lets span-only APIs take pipe data without allocating.
/// </summary>
internal readonly struct PooledSpan : IDisposable
{
    private readonly byte[]? _rented;
    private readonly ReadOnlyMemory<byte> _memory;

    private PooledSpan(byte[]? rented, ReadOnlyMemory<byte> memory)
    {
        _rented = rented;
        _memory = memory;
    }

    public ReadOnlySpan<byte> Span => _memory.Span;

    public static PooledSpan From(in ReadOnlySequence<byte> sequence)
    {
        if (sequence.IsSingleSegment)
        {
            return new PooledSpan(null, sequence.First);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)sequence.Length);
        sequence.CopyTo(rented);
        return new PooledSpan(rented, rented.AsMemory(0, (int)sequence.Length));
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}

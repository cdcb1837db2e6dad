using System.Buffers;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// Presents a pinned span as <see cref="Memory{T}"/> so <see cref="MessagePack.MessagePackReader"/>,
/// which only reads memory or sequences, can parse an event passed as a span. One instance per
/// pooled session, re-pointed for each call, so nothing is allocated per event.
/// </summary>
internal sealed unsafe class PinnedMemory : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    /// <summary>The caller keeps <paramref name="pointer"/> pinned for as long as the memory is read.</summary>
    public void Reset(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => _pointer = null;
}

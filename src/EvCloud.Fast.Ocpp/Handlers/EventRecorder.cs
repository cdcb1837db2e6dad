using System.Buffers;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// Appends an encoded domain event to the event log and applies it to the charger state, the same code
/// path recovery replays. Encoding happens in a per-thread buffer (events are built and recorded without
/// an await in between), so recording allocates nothing.
/// </summary>
public sealed class EventRecorder
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly StorageEngine _storage;

    /// <summary>Creates the recorder.</summary>
    public EventRecorder(StorageEngine storage) => _storage = storage;

    /// <summary>The storage engine events go to.</summary>
    public StorageEngine Storage => _storage;

    /// <summary>An empty per-thread buffer to encode one event into.</summary>
    public static ArrayBufferWriter<byte> Buffer()
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>Appends and applies the event in <paramref name="buffer"/>; returns its log address.</summary>
    public long Record(ArrayBufferWriter<byte> buffer) => _storage.AppendAndApply(buffer.WrittenSpan);
}

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using MessagePack;

namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// Reads events written by <see cref="EventWriter"/>. <see cref="Decode"/> builds immutable records
/// for consumers off the hot path; <see cref="ReadHeader"/> and <see cref="ReadUtf8"/> read fields as
/// spans over the encoded bytes for the zero-allocation state apply.
/// </summary>
public static class EventReader
{
    /// <summary>Decodes one log entry. Throws <see cref="MessagePackSerializationException"/> on a malformed entry.</summary>
    public static DomainEvent Decode(ReadOnlyMemory<byte> encoded) => Decode(encoded, includeRaw: true);

    /// <summary>
    /// Decodes one log entry; without <paramref name="includeRaw"/> the raw OCPP JSON kept in meter and stop events is
    /// skipped (null), which is most of their size: consumers that only need the figures (the CDR pipeline) then
    /// allocate a few dozen bytes per event instead of a copy of the charger's message.
    /// </summary>
    public static DomainEvent Decode(ReadOnlyMemory<byte> encoded, bool includeRaw)
    {
        var reader = new MessagePackReader(encoded);
        var header = ReadHeader(ref reader);
        var chargerId = Encoding.UTF8.GetString(header.ChargerId);
        var timestamp = header.TimestampMs;
        DomainEvent result;
        switch (header.Kind)
        {
            case DomainEventKind.ChargerBooted:
                result = new ChargerBooted(
                    timestamp,
                    chargerId,
                    reader.ReadByte(),
                    reader.ReadByte(),
                    new ChargerIdentity(
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader),
                        ReadString(ref reader)));
                break;
            case DomainEventKind.ChargerConnected:
                result = new ChargerConnected(timestamp, chargerId, reader.ReadByte(), ReadString(ref reader));
                break;
            case DomainEventKind.ChargerDisconnected:
                result = new ChargerDisconnected(timestamp, chargerId, reader.ReadInt32());
                break;
            case DomainEventKind.StatusChanged:
                result = new StatusChanged(
                    timestamp,
                    chargerId,
                    reader.ReadInt32(),
                    reader.ReadByte(),
                    reader.ReadByte(),
                    ReadString(ref reader),
                    ReadString(ref reader),
                    ReadString(ref reader),
                    reader.ReadInt64());
                break;
            case DomainEventKind.AuthorizeRequested:
                result = new AuthorizeRequested(timestamp, chargerId, ReadString(ref reader), reader.ReadByte());
                break;
            case DomainEventKind.TransactionStarted:
                result = new TransactionStarted(
                    timestamp,
                    chargerId,
                    reader.ReadInt32(),
                    reader.ReadInt32(),
                    ReadString(ref reader),
                    reader.ReadInt64(),
                    reader.ReadInt64(),
                    reader.ReadInt32(),
                    reader.ReadByte(),
                    header.ElementCount >= EventFormat.TransactionStartedExtendedLength ? ReadString(ref reader) : null,
                    header.ElementCount >= EventFormat.TransactionStartedExtendedLength ? reader.ReadInt32() : -1);
                break;
            case DomainEventKind.MeterSampled:
                result = new MeterSampled(
                    timestamp,
                    chargerId,
                    reader.ReadInt32(),
                    reader.ReadInt32(),
                    reader.ReadInt64(),
                    reader.ReadInt64(),
                    ReadRaw(ref reader, includeRaw),
                    header.ElementCount >= EventFormat.MeterSampledExtendedLength ? reader.ReadInt32() : -1);
                break;
            case DomainEventKind.TransactionEnded:
                result = new TransactionEnded(
                    timestamp,
                    chargerId,
                    reader.ReadInt32(),
                    reader.ReadInt64(),
                    reader.ReadInt64(),
                    ReadString(ref reader),
                    ReadString(ref reader),
                    ReadRaw(ref reader, includeRaw),
                    header.ElementCount >= EventFormat.TransactionEndedExtendedLength ? reader.ReadInt32() : -1);
                break;
            case DomainEventKind.ChargerNotification:
                result = new ChargerNotification(timestamp, chargerId, ReadString(ref reader), ReadString(ref reader));
                break;
            case DomainEventKind.DocumentPut:
                result = new DocumentPut(timestamp, chargerId, reader.ReadString() ?? "", ReadBytes(ref reader));
                break;
            case DomainEventKind.DocumentDeleted:
                result = new DocumentDeleted(timestamp, chargerId, reader.ReadString() ?? "");
                break;
            case DomainEventKind.CommandCompleted:
                result = new CommandCompleted(
                    timestamp,
                    chargerId,
                    reader.ReadString() ?? "",
                    reader.ReadString() ?? "",
                    reader.ReadString() ?? "",
                    ReadString(ref reader),
                    ReadString(ref reader),
                    ReadString(ref reader),
                    ReadString(ref reader),
                    ReadString(ref reader));
                break;
            case DomainEventKind.CdrRecorded:
                result = new CdrRecorded(
                    timestamp,
                    chargerId,
                    reader.ReadString() ?? "",
                    reader.ReadInt32(),
                    reader.ReadString() ?? "",
                    reader.ReadString() ?? "0",
                    ReadString(ref reader),
                    reader.ReadString() ?? "0",
                    reader.ReadBoolean());
                break;
            default:
                ThrowMalformed($"unknown event kind {(byte)header.Kind}");
                return null;
        }

        return result;
    }

    /// <summary>
    /// Decodes an entry when its kind is one of <paramref name="kinds"/> (all kinds when null); other entries are
    /// skipped after their header, and a malformed entry gives false rather than an exception. For log consumers.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, [NotNullWhen(true)] out DomainEvent? domainEvent, Func<DomainEventKind, bool>? kinds = null, bool includeRaw = true) =>
        TryDecode(encoded, out domainEvent, out _, kinds, includeRaw);

    /// <summary>
    /// As <see cref="TryDecode(ReadOnlyMemory{byte}, out DomainEvent?, Func{DomainEventKind, bool}?, bool)"/>, and says
    /// whether a false means the entry is malformed (<paramref name="malformed"/>) rather than of a kind not asked for:
    /// a follower must report a malformed entry, never skip it silently.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, [NotNullWhen(true)] out DomainEvent? domainEvent, out bool malformed, Func<DomainEventKind, bool>? kinds = null, bool includeRaw = true)
    {
        domainEvent = null;
        malformed = false;
        try
        {
            if (kinds is not null)
            {
                var reader = new MessagePackReader(encoded);
                if (!kinds(ReadHeader(ref reader).Kind))
                {
                    return false;
                }
            }

            domainEvent = Decode(encoded, includeRaw);
            return true;
        }
        catch (MessagePackSerializationException)
        {
            malformed = true;
            return false;
        }
    }

    /// <summary>
    /// Reads <c>[kind, formatVersion, timestampMs, chargerId</c> and leaves the reader on the first
    /// kind-specific field. Checks the array is long enough for the kind, so field reads that follow
    /// cannot run off the end of a well-formed prefix.
    /// </summary>
    public static EventHeader ReadHeader(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        if (count < EventFormat.HeaderLength)
        {
            ThrowMalformed($"event array has {count} elements, the header alone needs {EventFormat.HeaderLength}");
        }

        var kind = (DomainEventKind)reader.ReadByte();
        var version = reader.ReadByte();
        var timestamp = reader.ReadInt64();
        var chargerId = ReadUtf8(ref reader);
        var expected = EventFormat.LengthOf(kind);
        if (expected < 0 || count < expected)
        {
            ThrowMalformed($"event kind {(byte)kind} with {count} elements, expected {expected}");
        }

        return new EventHeader(kind, version, timestamp, chargerId, count);
    }

    /// <summary>A msgpack str as a span over the encoded bytes; nil reads as empty.</summary>
    public static ReadOnlySpan<byte> ReadUtf8(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return default;
        }

        if (!reader.TryReadStringSpan(out var span))
        {
            // NOTE: only a multi-segment sequence gets here; log entries are always one segment.
            var sequence = reader.ReadStringSequence();
            return sequence.HasValue ? sequence.Value.ToArray() : default;
        }

        return span;
    }

    private static string? ReadRaw(ref MessagePackReader reader, bool include)
    {
        if (include)
        {
            return ReadString(ref reader);
        }

        reader.Skip();
        return null;
    }

    private static byte[] ReadBytes(ref MessagePackReader reader)
    {
        var bytes = reader.ReadBytes();
        return bytes.HasValue ? bytes.Value.ToArray() : [];
    }

    private static string? ReadString(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        return reader.ReadString();
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string reason) =>
        throw new MessagePackSerializationException("Malformed domain event: " + reason + ".");
}

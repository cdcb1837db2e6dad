namespace EvCloud.Fast.Storage.Events;

/// <summary>
/// The first four elements of an encoded event, read without allocating; <see cref="ChargerId"/>
/// points into the encoded bytes.
/// </summary>
public readonly ref struct EventHeader
{
    public EventHeader(DomainEventKind kind, byte formatVersion, long timestampMs, ReadOnlySpan<byte> chargerId, int elementCount)
    {
        Kind = kind;
        FormatVersion = formatVersion;
        TimestampMs = timestampMs;
        ChargerId = chargerId;
        ElementCount = elementCount;
    }

    public DomainEventKind Kind { get; }

    public byte FormatVersion { get; }

    public long TimestampMs { get; }

    /// <summary>UTF-8 charger id, 1..<see cref="StorageLimits.MaxChargerIdBytes"/> bytes.</summary>
    public ReadOnlySpan<byte> ChargerId { get; }

    /// <summary>Array length of the whole event, header included; newer format versions may append fields.</summary>
    public int ElementCount { get; }
}

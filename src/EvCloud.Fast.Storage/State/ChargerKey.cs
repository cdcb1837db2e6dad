using System.Diagnostics.CodeAnalysis;
using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>FASTER key of a charger: its UTF-8 id, up to <see cref="StorageLimits.MaxChargerIdBytes"/> bytes inline.</summary>
internal struct ChargerKey
{
    public byte Length;
    public Utf8Buffer48 Id;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)Id)[..Length];

    public static bool TryCreate(ReadOnlySpan<byte> chargerId, out ChargerKey key)
    {
        key = default;
        if (chargerId.IsEmpty || chargerId.Length > StorageLimits.MaxChargerIdBytes)
        {
            return false;
        }

        chargerId.CopyTo(key.Id);
        key.Length = (byte)chargerId.Length;
        return true;
    }

    /// <summary>
    /// Hashes with FASTER's own byte hash: it must be stable across processes because the hash
    /// index is checkpointed (string.GetHashCode is randomised per process).
    /// </summary>
    internal static unsafe long Hash(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* pointer = bytes)
        {
            return Utility.HashBytes(pointer, bytes.Length);
        }
    }

    internal sealed class Comparer : IFasterEqualityComparer<ChargerKey>
    {
        public static readonly Comparer Instance = new();

        public long GetHashCode64(ref ChargerKey key) => Hash(key.Span);

        public bool Equals(ref ChargerKey k1, ref ChargerKey k2) => k1.Span.SequenceEqual(k2.Span);
    }
}

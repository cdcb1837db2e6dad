using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// FASTER key of an OCPP 2.x transaction id: the charger plus the id the charger chose (a string of up to 36
/// characters, unique per charger only). Maps to the store's own integer transaction id, so 1.6 and 2.x
/// transactions live in one transaction store.
/// </summary>
internal struct TransactionAliasKey
{
    public ChargerKey Charger;
    public byte Length;
    public Utf8Buffer36 Id;

    public static bool TryCreate(ReadOnlySpan<byte> chargerId, ReadOnlySpan<byte> externalId, out TransactionAliasKey key)
    {
        key = default;
        if (externalId.IsEmpty || externalId.Length > StorageLimits.MaxExternalTransactionIdBytes || !ChargerKey.TryCreate(chargerId, out key.Charger))
        {
            return false;
        }

        externalId.CopyTo(key.Id);
        key.Length = (byte)externalId.Length;
        return true;
    }

    internal sealed class Comparer : IFasterEqualityComparer<TransactionAliasKey>
    {
        public static readonly Comparer Instance = new();

        public long GetHashCode64(ref TransactionAliasKey key) =>
            ChargerKey.Hash(key.Charger.Span) * 31 + ChargerKey.Hash(((ReadOnlySpan<byte>)key.Id)[..key.Length]);

        public bool Equals(ref TransactionAliasKey k1, ref TransactionAliasKey k2) =>
            k1.Length == k2.Length
            && ((ReadOnlySpan<byte>)k1.Id)[..k1.Length].SequenceEqual(((ReadOnlySpan<byte>)k2.Id)[..k2.Length])
            && k1.Charger.Span.SequenceEqual(k2.Charger.Span);
    }
}

/// <summary>FASTER value of <see cref="TransactionAliasKey"/>.</summary>
internal struct TransactionAliasRecord
{
    /// <summary>Log address of the TransactionStarted event that created the alias.</summary>
    public long LastEventAddress;

    /// <summary>The store's integer transaction id.</summary>
    public int TransactionId;
}

using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>FASTER key of a transaction: the gateway-assigned transaction id, unique across chargers.</summary>
internal struct TransactionKey
{
    public int TransactionId;

    public TransactionKey(int transactionId) => TransactionId = transactionId;

    internal sealed class Comparer : IFasterEqualityComparer<TransactionKey>
    {
        public static readonly Comparer Instance = new();

        public long GetHashCode64(ref TransactionKey key) => Utility.GetHashCode(key.TransactionId);

        public bool Equals(ref TransactionKey k1, ref TransactionKey k2) => k1.TransactionId == k2.TransactionId;
    }
}

using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>FASTER key of a connector (OCPP 1.6 connectorId, or 2.x EVSE id): charger id plus number.</summary>
internal struct ConnectorKey
{
    public ChargerKey Charger;
    public int ConnectorId;

    public static bool TryCreate(ReadOnlySpan<byte> chargerId, int connectorId, out ConnectorKey key)
    {
        key = default;
        key.ConnectorId = connectorId;
        return ChargerKey.TryCreate(chargerId, out key.Charger);
    }

    internal sealed class Comparer : IFasterEqualityComparer<ConnectorKey>
    {
        public static readonly Comparer Instance = new();

        public long GetHashCode64(ref ConnectorKey key) =>
            Utility.GetHashCode(ChargerKey.Hash(key.Charger.Span) ^ ((long)key.ConnectorId << 32));

        public bool Equals(ref ConnectorKey k1, ref ConnectorKey k2) =>
            k1.ConnectorId == k2.ConnectorId && k1.Charger.Span.SequenceEqual(k2.Charger.Span);
    }
}

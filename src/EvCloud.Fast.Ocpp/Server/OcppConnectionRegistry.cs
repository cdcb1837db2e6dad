using System.Collections.Concurrent;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// The live connections by charge point id. A charger that reconnects replaces its old connection: the newest
/// registration wins (highest epoch) and the old one is closed with 1001, whatever order the sockets die in.
/// </summary>
public sealed class OcppConnectionRegistry
{
    private readonly ConcurrentDictionary<string, OcppConnection> _byId = new(StringComparer.Ordinal);
    private readonly int[] _byVersion = new int[256];
    private long _epoch;

    /// <summary>Connected chargers.</summary>
    public int Count => _byId.Count;

    /// <summary>Connected chargers that speak <paramref name="version"/> (kept with every registration change).</summary>
    public int CountOf(OcppVersion version) => Volatile.Read(ref _byVersion[(int)version]);

    /// <summary>The next epoch, handed to a connection before it registers.</summary>
    internal long NextEpoch() => Interlocked.Increment(ref _epoch);

    /// <summary>Registers <paramref name="connection"/>, evicting an older connection with the same id.</summary>
    internal void Register(OcppConnection connection)
    {
        while (true)
        {
            if (_byId.TryGetValue(connection.ChargePointId, out OcppConnection? existing))
            {
                if (existing.Epoch > connection.Epoch)
                {
                    connection.Evict(); // a newer one already won the race
                    return;
                }

                if (_byId.TryUpdate(connection.ChargePointId, connection, existing))
                {
                    Interlocked.Increment(ref _byVersion[(int)connection.Version]);
                    Interlocked.Decrement(ref _byVersion[(int)existing.Version]);
                    existing.Evict();
                    return;
                }
            }
            else if (_byId.TryAdd(connection.ChargePointId, connection))
            {
                Interlocked.Increment(ref _byVersion[(int)connection.Version]);
                return;
            }
        }
    }

    /// <summary>Removes <paramref name="connection"/> only if it is still the registered one.</summary>
    internal void Unregister(OcppConnection connection)
    {
        if (_byId.TryRemove(KeyValuePair.Create(connection.ChargePointId, connection)))
        {
            Interlocked.Decrement(ref _byVersion[(int)connection.Version]);
        }
    }

    /// <summary>The live connection of a charger.</summary>
    public bool TryGet(string chargePointId, out OcppConnection connection) =>
        _byId.TryGetValue(chargePointId, out connection!);

    /// <summary>Whether a charger is connected.</summary>
    public bool IsConnected(string chargePointId) => _byId.ContainsKey(chargePointId);

    /// <summary>Every live connection (a moment's snapshot).</summary>
    public IEnumerable<OcppConnection> Connections => _byId.Values;

    internal void ForEach(Action<OcppConnection, long> action, long now)
    {
        foreach (KeyValuePair<string, OcppConnection> pair in _byId)
        {
            action(pair.Value, now);
        }
    }
}

using System.Collections.Concurrent;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// The live connections by charge point id. A charger that reconnects replaces its old connection: the newest
/// registration wins (highest epoch) and the old one is closed with 1001, whatever order the sockets die in.
/// </summary>
/// <remarks>
/// A replaced connection leaves <c>_byId</c> at once, but it stays in <c>_closing</c> until its receive
/// loop ends, so the gateway's shared timer keeps ticking it: a peer that never answers our Close is dropped at TCP
/// level after <see cref="Transport.OcppTransportOptions.CloseTimeout"/>, like any other connection we close.
/// </remarks>
public sealed class OcppConnectionRegistry
{
    private readonly ConcurrentDictionary<string, OcppConnection> _byId = new(StringComparer.Ordinal);

    // Replaced connections still closing; a handful at a time (only chargers that reconnect before their old socket died).
    private readonly ConcurrentDictionary<OcppConnection, byte> _closing = new(ReferenceEqualityComparer.Instance);
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
                    Evict(connection); // a newer one already won the race
                    return;
                }

                if (_byId.TryUpdate(connection.ChargePointId, connection, existing))
                {
                    Interlocked.Increment(ref _byVersion[(int)connection.Version]);
                    Interlocked.Decrement(ref _byVersion[(int)existing.Version]);
                    Evict(existing);
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
        connection.MarkUnregistered();
        if (_byId.TryRemove(KeyValuePair.Create(connection.ChargePointId, connection)))
        {
            Interlocked.Decrement(ref _byVersion[(int)connection.Version]);
        }

        _closing.TryRemove(connection, out _);
    }

    /// <summary>Replaced connections that have not finished closing (tests and diagnostics).</summary>
    internal int ClosingCount => _closing.Count;

    private void Evict(OcppConnection connection)
    {
        _closing.TryAdd(connection, 0);

        // NOTE: Unregister marks before it removes, and both sides go through full fences, so a connection whose loop
        // ended while it was being evicted is removed by one side or the other; none stays here for ever.
        if (connection.IsUnregistered)
        {
            _closing.TryRemove(connection, out _);
        }

        connection.Evict();
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

        if (!_closing.IsEmpty)
        {
            foreach (KeyValuePair<OcppConnection, byte> pair in _closing)
            {
                action(pair.Key, now);
            }
        }
    }
}

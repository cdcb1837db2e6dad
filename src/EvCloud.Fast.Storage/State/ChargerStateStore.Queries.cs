using System.Text;

namespace EvCloud.Fast.Storage.State;

public sealed partial class ChargerStateStore
{
    /// <summary>Hot-path lookup; allocates nothing.</summary>
    public bool TryGetTransaction(int transactionId, out TransactionState transaction)
    {
        var key = new TransactionKey(transactionId);
        var session = _sessions.Rent();
        try
        {
            var found = StateSession.TryRead(session.Transactions, ref key, out var record);
            transaction = found ? new TransactionState(record) : default;
            return found;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>
    /// Resolves an OCPP 2.x transaction id (chosen by the charger, unique per charger) to the store's integer id.
    /// Hot-path lookup; allocates nothing.
    /// </summary>
    public bool TryGetTransactionByExternalId(ReadOnlySpan<byte> chargerIdUtf8, ReadOnlySpan<byte> externalId, out int transactionId)
    {
        transactionId = 0;
        if (!TransactionAliasKey.TryCreate(chargerIdUtf8, externalId, out var key))
        {
            return false;
        }

        var session = _sessions.Rent();
        try
        {
            var found = StateSession.TryRead(session.Aliases, ref key, out var record);
            transactionId = record.TransactionId;
            return found;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>Hot-path lookup; allocates nothing.</summary>
    public bool TryGetConnector(ReadOnlySpan<byte> chargerIdUtf8, int connectorId, out ConnectorState connector)
    {
        connector = default;
        if (!ConnectorKey.TryCreate(chargerIdUtf8, connectorId, out var key))
        {
            return false;
        }

        var session = _sessions.Rent();
        try
        {
            var found = StateSession.TryRead(session.Connectors, ref key, out var record);
            if (found)
            {
                connector = new ConnectorState(connectorId, record);
            }

            return found;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>Hot-path lookup; allocates nothing.</summary>
    public bool TryGetCharger(ReadOnlySpan<byte> chargerIdUtf8, out ChargerState charger)
    {
        charger = default;
        if (!ChargerKey.TryCreate(chargerIdUtf8, out var key))
        {
            return false;
        }

        var session = _sessions.Rent();
        try
        {
            var found = StateSession.TryRead(session.Chargers, ref key, out var record);
            if (found)
            {
                charger = new ChargerState(record);
            }

            return found;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>
    /// Every charger with its connectors and open transactions. Scans the charger store (FASTER
    /// iteration, which de-duplicates record versions), then reads connectors 0..MaxConnectorId
    /// and their open transactions by key: no secondary index to keep consistent across crashes.
    /// </summary>
    public IReadOnlyList<ChargerSnapshot> ListChargers()
    {
        var keys = new List<(ChargerKey Key, ChargerRecord Record)>();
        var session = _sessions.Rent();
        try
        {
            using var iterator = session.Chargers.Iterate();
            while (iterator.GetNext(out _))
            {
                keys.Add((iterator.GetKey(), iterator.GetValue()));
            }

            var result = new List<ChargerSnapshot>(keys.Count);
            foreach (var (key, record) in keys)
            {
                result.Add(BuildSnapshot(session, key, record));
            }

            result.Sort((a, b) => string.CompareOrdinal(a.ChargerId, b.ChargerId));
            return result;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    public ChargerSnapshot? GetCharger(string chargerId)
    {
        ArgumentNullException.ThrowIfNull(chargerId);
        Span<byte> utf8 = stackalloc byte[StorageLimits.MaxChargerIdBytes * 3];
        if (!Encoding.UTF8.TryGetBytes(chargerId, utf8, out var length) || !ChargerKey.TryCreate(utf8[..length], out var key))
        {
            return null;
        }

        var session = _sessions.Rent();
        try
        {
            return StateSession.TryRead(session.Chargers, ref key, out var record) ? BuildSnapshot(session, key, record) : null;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>
    /// The id tag of each connector's open transaction (empty tags left out): what holds a token against ConcurrentTx.
    /// Scans the connector store, so it costs the size of the fleet, not of the transaction history; a transaction a
    /// newer one replaced on its connector without a stop does not count, as at run time.
    /// </summary>
    public List<byte[]> OpenTransactionIdTags()
    {
        var open = new List<int>();
        var tags = new List<byte[]>();
        var session = _sessions.Rent();
        try
        {
            using (var iterator = session.Connectors.Iterate())
            {
                while (iterator.GetNext(out _))
                {
                    if (iterator.GetValue().OpenTransactionId > 0)
                    {
                        open.Add(iterator.GetValue().OpenTransactionId);
                    }
                }
            }

            foreach (var id in open)
            {
                var key = new TransactionKey(id);
                if (StateSession.TryRead(session.Transactions, ref key, out var record) && record.Status == TransactionStatus.Open)
                {
                    var tag = new TransactionState(record).IdTagUtf8;
                    if (!tag.IsEmpty)
                    {
                        tags.Add(tag.ToArray());
                    }
                }
            }
        }
        finally
        {
            _sessions.Return(session);
        }

        return tags;
    }

    /// <summary>Transactions, open and ended, optionally of one charger, by id. Scans the transaction store.</summary>
    public IReadOnlyList<TransactionSnapshot> ListTransactions(string? chargerId)
    {
        var filter = chargerId is null ? null : Encoding.UTF8.GetBytes(chargerId);
        var result = new List<TransactionSnapshot>();
        var session = _sessions.Rent();
        try
        {
            using var iterator = session.Transactions.Iterate();
            while (iterator.GetNext(out _))
            {
                ref var record = ref iterator.GetValue();
                if (filter is null || record.Charger.Span.SequenceEqual(filter))
                {
                    result.Add(ToSnapshot(new TransactionState(record)));
                }
            }
        }
        finally
        {
            _sessions.Return(session);
        }

        result.Sort((a, b) => a.TransactionId.CompareTo(b.TransactionId));
        return result;
    }

    private static ChargerSnapshot BuildSnapshot(StateSession session, ChargerKey key, in ChargerRecord record)
    {
        var connectors = new List<ConnectorSnapshot>();
        var open = new List<TransactionSnapshot>();
        for (var id = 0; id <= record.MaxConnectorId; id++)
        {
            var connectorKey = new ConnectorKey { Charger = key, ConnectorId = id };
            if (!StateSession.TryRead(session.Connectors, ref connectorKey, out var connectorRecord))
            {
                continue;
            }

            var connector = new ConnectorState(id, connectorRecord);
            connectors.Add(new ConnectorSnapshot(
                id,
                connector.Status,
                connector.ErrorCode,
                connector.Info,
                connector.VendorId,
                connector.VendorErrorCode,
                connector.StatusTimestampMs,
                connector.OpenTransactionId,
                connector.LastEnergyMilliWh,
                connector.LastMeterMs));

            var transactionKey = new TransactionKey(connector.OpenTransactionId);
            if (connector.OpenTransactionId >= 0
                && StateSession.TryRead(session.Transactions, ref transactionKey, out var transaction)
                && transaction.Status == TransactionStatus.Open)
            {
                open.Add(ToSnapshot(new TransactionState(transaction)));
            }
        }

        var state = new ChargerState(record);
        return new ChargerSnapshot(
            Encoding.UTF8.GetString(key.Span),
            state.Protocol,
            state.RegistrationStatus,
            state.Online,
            state.LastSeenMs,
            state.LastBootMs,
            state.BootCount,
            state.HeartbeatIntervalSeconds,
            state.Identity,
            connectors,
            open);
    }

    /// <summary>One transaction as a snapshot, or null when the id is unknown.</summary>
    public TransactionSnapshot? GetTransaction(int transactionId) =>
        TryGetTransaction(transactionId, out var transaction) ? ToSnapshot(transaction) : null;

    private static TransactionSnapshot ToSnapshot(in TransactionState transaction) => new(
        transaction.TransactionId,
        transaction.ChargerId,
        transaction.ConnectorId,
        transaction.Status,
        transaction.IdTag,
        transaction.MeterStartMilliWh,
        transaction.StartMs,
        transaction.LastEnergyMilliWh,
        transaction.LastMeterMs,
        transaction.ReservationId,
        transaction.AuthStatus,
        transaction.MeterStopMilliWh,
        transaction.StopMs,
        transaction.StopReason,
        transaction.ExternalId);
}

using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// One FASTER session per store plus the per-call scratch the apply path needs. FASTER sessions
/// are single-threaded, so a StateSession is rented for one call and returned.
/// </summary>
internal sealed class StateSession : IDisposable
{
    public StateSession(
        FasterKV<ChargerKey, ChargerRecord> chargers,
        FasterKV<ConnectorKey, ConnectorRecord> connectors,
        FasterKV<TransactionKey, TransactionRecord> transactions,
        FasterKV<TransactionAliasKey, TransactionAliasRecord> aliases)
    {
        Aliases = aliases.For(new SimpleFunctions<TransactionAliasKey, TransactionAliasRecord>())
            .NewSession<SimpleFunctions<TransactionAliasKey, TransactionAliasRecord>>();
        Chargers = chargers.For(new SimpleFunctions<ChargerKey, ChargerRecord>()).NewSession<SimpleFunctions<ChargerKey, ChargerRecord>>();
        Connectors = connectors.For(new SimpleFunctions<ConnectorKey, ConnectorRecord>())
            .NewSession<SimpleFunctions<ConnectorKey, ConnectorRecord>>();
        Transactions = transactions.For(new SimpleFunctions<TransactionKey, TransactionRecord>())
            .NewSession<SimpleFunctions<TransactionKey, TransactionRecord>>();
    }

    public ClientSession<ChargerKey, ChargerRecord, ChargerRecord, ChargerRecord, Empty, SimpleFunctions<ChargerKey, ChargerRecord>> Chargers { get; }

    public ClientSession<ConnectorKey, ConnectorRecord, ConnectorRecord, ConnectorRecord, Empty, SimpleFunctions<ConnectorKey, ConnectorRecord>> Connectors { get; }

    public ClientSession<TransactionKey, TransactionRecord, TransactionRecord, TransactionRecord, Empty, SimpleFunctions<TransactionKey, TransactionRecord>> Transactions { get; }

    public ClientSession<TransactionAliasKey, TransactionAliasRecord, TransactionAliasRecord, TransactionAliasRecord, Empty, SimpleFunctions<TransactionAliasKey, TransactionAliasRecord>> Aliases { get; }

    public PinnedMemory Memory { get; } = new();

    /// <summary>Reads a record; a record evicted to disk goes pending and is waited for here (rare: memory is sized to hold the working set).</summary>
    public static bool TryRead<TKey, TValue>(
        ClientSession<TKey, TValue, TValue, TValue, Empty, SimpleFunctions<TKey, TValue>> session, ref TKey key, out TValue value)
    {
        value = default!;
        var status = session.Read(ref key, ref value);
        if (status.IsPending)
        {
            session.CompletePendingWithOutputs(out var outputs, wait: true);
            using (outputs)
            {
                if (outputs.Next())
                {
                    status = outputs.Current.Status;
                    value = outputs.Current.Output;
                }
            }
        }

        return status.Found;
    }

    public static void Write<TKey, TValue>(
        ClientSession<TKey, TValue, TValue, TValue, Empty, SimpleFunctions<TKey, TValue>> session, ref TKey key, ref TValue value)
    {
        var status = session.Upsert(ref key, ref value);
        if (status.IsPending)
        {
            session.CompletePending(wait: true);
        }
    }

    public void Dispose()
    {
        Chargers.Dispose();
        Connectors.Dispose();
        Transactions.Dispose();
        Aliases.Dispose();
    }
}

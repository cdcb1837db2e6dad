using EvCloud.Fast.Storage.Log;
using MessagePack;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>
/// The durable CDR store: an append-only FasterLog of its own under <c>&lt;DataDirectory&gt;/cdrs</c> (no fast
/// commit, so entries can be read back by address) and an in-memory index rebuilt by one sequential scan at open.
/// CDRs never change once written (a correction is a credit CDR plus a new one), so an append-only log is all the
/// storage they need; the index keeps only summaries, the bodies stay on disk.
/// </summary>
public sealed class CdrStore : IAsyncDisposable
{
    private readonly EventLog _log;
    private readonly Dictionary<string, CdrSummary> _byId = new(StringComparer.Ordinal);
    private readonly List<CdrSummary> _ordered = [];
    private readonly Dictionary<int, List<CdrSummary>> _byTransaction = [];

    /// <summary>Ids being written: a second writer of the same id skips it rather than append a duplicate.</summary>
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private CdrStore(EventLog log) => _log = log;

    /// <summary>CDRs stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ordered.Count;
            }
        }
    }

    /// <summary>Opens (or creates) the store and indexes every CDR in it.</summary>
    public static async Task<CdrStore> OpenAsync(string dataDirectory, TimeSpan commitInterval, CancellationToken cancellationToken = default)
    {
        var log = EventLog.Open(new EventLogOptions { DataDirectory = dataDirectory, Name = "cdrs", FastCommit = false, CommitInterval = commitInterval, MemorySize = 1L << 24, PageSize = 1L << 22 });
        var store = new CdrStore(log);
        await foreach ((long address, _, ReadOnlyMemory<byte> payload) in log.ReadAsync(log.BeginAddress, follow: false, cancellationToken).ConfigureAwait(false))
        {
            StoredCdrHeader cdr = MessagePackSerializer.Deserialize<StoredCdrHeader>(payload, cancellationToken: cancellationToken);
            store.Index(cdr.Summary(address));
        }

        return store;
    }

    /// <summary>Whether a CDR with this id exists (the pipeline's exactly-once check).</summary>
    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _byId.ContainsKey(id);
        }
    }

    /// <summary>The summary of one CDR.</summary>
    public CdrSummary? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>CDRs that reference <paramref name="id"/> as credit.</summary>
    public IReadOnlyList<CdrSummary> CreditsOf(string id)
    {
        lock (_lock)
        {
            return [.. _ordered.Where(c => c.CreditReferenceId == id)];
        }
    }

    /// <summary>Every CDR of one transaction (the original, its credits and replacements), in the order they were written.</summary>
    public IReadOnlyList<CdrSummary> OfTransaction(int transactionId)
    {
        lock (_lock)
        {
            return _byTransaction.TryGetValue(transactionId, out List<CdrSummary>? list) ? [.. list] : [];
        }
    }

    /// <summary>
    /// Appends CDRs, waits until they are durable, then makes them visible. CDRs whose id is already stored, or
    /// is being written by another caller, are skipped; returns the ones written.
    /// </summary>
    /// <remarks>
    /// NOTE: an id is claimed under the lock before it is appended, so two writers racing with the same id (the
    /// pipeline replaying a session while a held session is re-priced) append it once, never twice.
    /// </remarks>
    public async Task<IReadOnlyList<StoredCdr>> AddAsync(IReadOnlyList<StoredCdr> cdrs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cdrs);
        var claimed = new List<StoredCdr>(cdrs.Count);
        lock (_lock)
        {
            foreach (StoredCdr cdr in cdrs)
            {
                if (!_byId.ContainsKey(cdr.Id) && _writing.Add(cdr.Id))
                {
                    claimed.Add(cdr);
                }
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var written = new List<(StoredCdr Cdr, long Address)>(claimed.Count);
        try
        {
            foreach (StoredCdr cdr in claimed)
            {
                written.Add((cdr, _log.Append(MessagePackSerializer.Serialize(cdr, cancellationToken: cancellationToken))));
            }

            await _log.FlushAsync(cancellationToken).ConfigureAwait(false);
            foreach ((StoredCdr cdr, long address) in written)
            {
                Index(cdr.Summary(address));
            }
        }
        finally
        {
            lock (_lock)
            {
                foreach (StoredCdr cdr in claimed)
                {
                    _writing.Remove(cdr.Id);
                }
            }
        }

        return [.. written.Select(w => w.Cdr)];
    }

    /// <summary>Reads one whole CDR.</summary>
    public async Task<StoredCdr?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        CdrSummary? summary = Find(id);
        return summary is null ? null : await ReadAsync(summary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the CDR a summary describes.</summary>
    public async Task<StoredCdr> ReadAsync(CdrSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        byte[] payload = await _log.ReadEntryAsync(summary.Address, cancellationToken).ConfigureAwait(false);
        return MessagePackSerializer.Deserialize<StoredCdr>(payload, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// CDRs in the order they were created, after the <paramref name="after"/> cursor (a summary's address), filtered by
    /// session end (<paramref name="from"/> inclusive, <paramref name="to"/> exclusive), charger and token.
    /// </summary>
    public IReadOnlyList<CdrSummary> Query(DateTimeOffset? from, DateTimeOffset? to, string? chargerId, string? idTag, long after, int limit)
    {
        long fromMs = from?.ToUnixTimeMilliseconds() ?? long.MinValue;
        long toMs = to?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var result = new List<CdrSummary>(Math.Min(limit, 256));
        lock (_lock)
        {
            int start = after < 0 ? 0 : FirstAfter(after);
            for (int i = start; i < _ordered.Count && result.Count < limit; i++)
            {
                CdrSummary c = _ordered[i];
                if (c.EndMs >= fromMs && c.EndMs < toMs
                    && (chargerId is null || c.ChargerId == chargerId)
                    && (idTag is null || c.IdTag == idTag))
                {
                    result.Add(c);
                }
            }
        }

        return result;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _log.DisposeAsync();

    private int FirstAfter(long address)
    {
        int lo = 0, hi = _ordered.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ordered[mid].Address <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Index(CdrSummary summary)
    {
        lock (_lock)
        {
            if (_byId.TryAdd(summary.Id, summary))
            {
                _ordered.Add(summary);
                if (!_byTransaction.TryGetValue(summary.TransactionId, out List<CdrSummary>? list))
                {
                    list = [];
                    _byTransaction[summary.TransactionId] = list;
                }

                list.Add(summary);
            }
        }
    }
}

namespace EvCloud.Fast.Ocpi.Storage;

/// <summary>
/// The Sender interfaces' paging index (OCPI 2.2.1 §4.1.6 with <c>date_from</c>/<c>date_to</c> on last_updated): per
/// party, the keys of its objects sorted by (last_updated, key). A page is two binary searches for the date range and
/// a slice at the offset — O(log n + page), whatever the history holds — instead of listing, deserializing and sorting
/// every stored object per request.
/// </summary>
/// <remarks>
/// <para>Memory: one entry (a long and the key string) per object, kept in memory beside the document store, rebuilt
/// from it at start-up. Writes: an object appended at the end (the usual case: CDRs are immutable and born with the
/// newest last_updated, sessions move to the end when they change) costs O(log n); one moved from the middle costs a
/// memory move of the entries behind it.</para>
/// <para>A partner with several parties (and no <c>OCPI-from-*</c> header) pages over the merge of its parties' lists:
/// O(k·(offset + page)) for k parties, in the same (last_updated, key) order.</para>
/// </remarks>
public sealed class LastUpdatedIndex
{
    private readonly Dictionary<string, List<Entry>> _byParty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Party, long Ms)> _current = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Objects indexed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _current.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="key"/>, or moves it to its new party or last_updated.</summary>
    public void Upsert(string countryCode, string partyId, string key, long lastUpdatedMs)
    {
        ArgumentNullException.ThrowIfNull(key);
        string party = Party(countryCode, partyId);
        var entry = new Entry(lastUpdatedMs, key);
        lock (_lock)
        {
            if (_current.TryGetValue(key, out (string Party, long Ms) old))
            {
                if (old.Party == party && old.Ms == lastUpdatedMs)
                {
                    return;
                }

                List<Entry> previous = _byParty[old.Party];
                int at = previous.BinarySearch(new Entry(old.Ms, key));
                if (at >= 0)
                {
                    previous.RemoveAt(at);
                }
            }

            if (!_byParty.TryGetValue(party, out List<Entry>? list))
            {
                list = [];
                _byParty[party] = list;
            }

            // NOTE: the common case appends (newest last_updated); BinarySearch only when it would not.
            if (list.Count == 0 || list[^1].CompareTo(entry) < 0)
            {
                list.Add(entry);
            }
            else
            {
                int position = list.BinarySearch(entry);
                list.Insert(position < 0 ? ~position : position, entry);
            }

            _current[key] = (party, lastUpdatedMs);
        }
    }

    /// <summary>
    /// One page of the keys of <paramref name="parties"/> with <paramref name="fromMs"/> ≤ last_updated &lt;
    /// <paramref name="toMs"/> (either may be null), oldest first, and how many match in all (X-Total-Count).
    /// </summary>
    public (List<string> Keys, int Total) Page(IReadOnlyCollection<(string CountryCode, string PartyId)> parties, long? fromMs, long? toMs, int offset, int limit)
    {
        ArgumentNullException.ThrowIfNull(parties);
        lock (_lock)
        {
            var ranges = new List<(List<Entry> List, int Start, int End)>(parties.Count);
            int total = 0;
            foreach (string party in parties.Select(p => Party(p.CountryCode, p.PartyId)).Distinct(StringComparer.Ordinal))
            {
                if (_byParty.TryGetValue(party, out List<Entry>? list))
                {
                    int start = fromMs is { } from ? LowerBound(list, from) : 0;
                    int end = toMs is { } to ? LowerBound(list, to) : list.Count;
                    if (end > start)
                    {
                        ranges.Add((list, start, end));
                        total += end - start;
                    }
                }
            }

            var keys = new List<string>(Math.Max(0, Math.Min(limit, total - offset)));
            if (offset >= total)
            {
                return (keys, total);
            }

            if (ranges.Count == 1)
            {
                (List<Entry> list, int start, int end) = ranges[0];
                for (int i = start + offset; i < end && keys.Count < limit; i++)
                {
                    keys.Add(list[i].Key);
                }

                return (keys, total);
            }

            // Several parties: merge their ranges in (last_updated, key) order, skipping the offset.
            int[] cursors = [.. ranges.Select(r => r.Start)];
            for (int seen = 0; keys.Count < limit;)
            {
                int best = -1;
                for (int r = 0; r < ranges.Count; r++)
                {
                    if (cursors[r] < ranges[r].End && (best < 0 || ranges[r].List[cursors[r]].CompareTo(ranges[best].List[cursors[best]]) < 0))
                    {
                        best = r;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                if (seen++ >= offset)
                {
                    keys.Add(ranges[best].List[cursors[best]].Key);
                }

                cursors[best]++;
            }

            return (keys, total);
        }
    }

    /// <summary>The first position whose last_updated is at least <paramref name="ms"/>.</summary>
    private static int LowerBound(List<Entry> list, long ms)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (list[mid].Ms < ms)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // CiString: a party is case-insensitive.
    private static string Party(string countryCode, string partyId) => countryCode.ToUpperInvariant() + "/" + partyId.ToUpperInvariant();

    private readonly record struct Entry(long Ms, string Key) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            int byTime = Ms.CompareTo(other.Ms);
            return byTime != 0 ? byTime : string.CompareOrdinal(Key, other.Key);
        }
    }
}

using BenchmarkDotNet.Attributes;
using EvCloud.Fast.Ocpi.Cdrs;
using EvCloud.Fast.Ocpi.Storage;
using MessagePack;

namespace EvCloud.Fast.Benchmarks.Ocpi;

/// <summary>
/// One page (100) of a CPO's roaming CDRs for one eMSP party, out of 1,000,000 CDRs (90 % that party's, the rest
/// spread over 9 others): at offset 0, deep (offset 800,000), and deep with a <c>date_from</c>.
/// <c>ListAndSort</c> (baseline) is what every page cost before the index: every stored entry deserialized (MessagePack,
/// as the document store holds them), sorted, filtered by party and date, then sliced. <c>Index</c> is
/// <see cref="LastUpdatedIndex"/>: two binary searches and the page's slice, then the page's entries deserialized.
/// </summary>
[MemoryDiagnoser]
public class RoamingPagingBenchmarks
{
    private const int Cdrs = 1_000_000;
    private const int Limit = 100;
    private static readonly (string, string)[] Party = [("DE", "EMS")];

    private readonly LastUpdatedIndex _index = new();
    private readonly Dictionary<string, byte[]> _documents = new(StringComparer.Ordinal);
    private long _dateFrom;

    [Params(0, 800_000)]
    public int Offset { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (int i = 0; i < Cdrs; i++)
        {
            bool ours = i % 10 != 0;
            var cdr = new RoamingCdr
            {
                CdrId = "CDR-" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
                TransactionId = i,
                PartnerId = ours ? "emsp" : "other-" + (i % 9),
                CountryCode = ours ? "DE" : "FR",
                PartyId = ours ? "EMS" : "O" + (i % 9).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
                LastUpdatedMs = start + (i * 1000L),
                CreatedMs = start + (i * 1000L),
            };
            _documents[cdr.CdrId] = MessagePackSerializer.Serialize(cdr);
            _index.Upsert(cdr.CountryCode, cdr.PartyId, cdr.CdrId, cdr.LastUpdatedMs);
        }

        _dateFrom = start + (50_000 * 1000L);
    }

    [Benchmark(Baseline = true)]
    public int ListAndSort()
    {
        List<RoamingCdr> all = [.. _documents.Values.Select(v => MessagePackSerializer.Deserialize<RoamingCdr>(v)).OrderBy(c => c.CreatedMs).ThenBy(c => c.CdrId, StringComparer.Ordinal)];
        List<RoamingCdr> matching = all.FindAll(c => c.CountryCode == "DE" && c.PartyId == "EMS");
        return matching.Skip(Offset).Take(Limit).Count() + matching.Count;
    }

    [Benchmark]
    public int Index() => Read(_index.Page(Party, null, null, Offset, Limit));

    [Benchmark]
    public int IndexWithDateFrom() => Read(_index.Page(Party, _dateFrom, null, Offset, Limit));

    private int Read((List<string> Keys, int Total) page)
    {
        int read = 0;
        foreach (string key in page.Keys)
        {
            read += MessagePackSerializer.Deserialize<RoamingCdr>(_documents[key]).TransactionId > -1 ? 1 : 0;
        }

        return read + page.Total;
    }
}

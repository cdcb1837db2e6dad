using EvCloud.Fast.Cdr.Pipeline;
using MessagePack;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>The CDR store's format and its index after a reopen.</summary>
public sealed class CdrStoreTests
{
    [Fact]
    public void TheHeader_ReadsTheSearchableFieldsOfAWholeEntry_AndTheEntryKeepsItsKeys()
    {
        StoredCdr cdr = Sample("CDR-7", 7);
        byte[] bytes = MessagePackSerializer.Serialize(cdr);

        // Keys never renumbered: the entry is one array of 22 fields, the CDR JSON at index 15.
        var reader = new MessagePackReader(bytes);
        Assert.Equal(22, reader.ReadArrayHeader());
        Assert.Equal("CDR-7", reader.ReadString());

        StoredCdrHeader header = MessagePackSerializer.Deserialize<StoredCdrHeader>(bytes);
        Assert.Equal(cdr.Summary(42), header.Summary(42));
        StoredCdr whole = MessagePackSerializer.Deserialize<StoredCdr>(bytes);
        Assert.Equal(cdr.CdrJson, whole.CdrJson);
        Assert.Equal(cdr.Points, whole.Points);
        Assert.Equal("Europe/Amsterdam", whole.TimeZone);
    }

    [Fact]
    public async Task AReopenedStore_IndexesEveryCdr_AndReadsThemWhole()
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-cdrstore-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (CdrStore store = await CdrStore.OpenAsync(directory, TimeSpan.FromMilliseconds(1)))
            {
                await store.AddAsync([Sample("CDR-1", 1), Sample("CDR-2", 2)]);
            }

            await using CdrStore reopened = await CdrStore.OpenAsync(directory, TimeSpan.FromMilliseconds(1));
            Assert.Equal(2, reopened.Count);
            Assert.Equal(2, reopened.Find("CDR-2")!.TransactionId);
            StoredCdr? read = await reopened.ReadAsync("CDR-2");
            Assert.Equal("{\"id\":\"CDR-2\"}"u8.ToArray(), read!.CdrJson);
            Assert.Equal(3, read.Points.Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WritersRacingWithTheSameId_StoreItOnce()
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-cdrstore-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using CdrStore store = await CdrStore.OpenAsync(directory, TimeSpan.FromMilliseconds(1));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<IReadOnlyList<StoredCdr>>[] writers = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return await store.AddAsync([Sample("CDR-5", 5)]);
            }))];
            gate.SetResult();

            IReadOnlyList<StoredCdr>[] written = await Task.WhenAll(writers);
            Assert.Equal(1, written.Sum(w => w.Count));
            Assert.Equal(1, store.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static StoredCdr Sample(string id, int transactionId) => new()
    {
        Id = id,
        TransactionId = transactionId,
        ChargerId = "CP-1",
        ConnectorId = 1,
        IdTag = "TAG-1",
        StartMs = 1_000,
        EndMs = 2_000,
        CreatedMs = 3_000,
        Currency = "EUR",
        TotalExclVat = "3.60",
        TotalInclVat = "4.36",
        TotalEnergyKwh = "12",
        TariffId = "ROAM-KWH",
        CdrJson = System.Text.Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\"}"),
        Points = [new StoredPoint(1_000, 0, true), new StoredPoint(1_500, 6_000, true), new StoredPoint(2_000, 12_000, false)],
        TimeZone = "Europe/Amsterdam",
    };
}

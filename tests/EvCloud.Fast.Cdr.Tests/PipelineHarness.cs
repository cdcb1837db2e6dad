using System.Buffers;
using System.Text;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.Tests;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>A CDR pipeline over real storage in a temporary directory: the event log, the CDR store, the tariff store.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private readonly string _directory;

    private PipelineHarness(string directory, StorageEngine storage, CdrStore store, TariffStore tariffs, CdrPipeline pipeline)
    {
        _directory = directory;
        Storage = storage;
        Store = store;
        Tariffs = tariffs;
        Pipeline = pipeline;
    }

    public StorageEngine Storage { get; }

    public CdrStore Store { get; }

    public TariffStore Tariffs { get; }

    public CdrPipeline Pipeline { get; }

    public static async Task<PipelineHarness> OpenAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-cdr-pipeline-" + Guid.NewGuid().ToString("N"));
        StorageEngine storage = StorageEngine.Open(SmallStorage.Options(directory));
        CdrStore store = await CdrStore.OpenAsync(directory, TimeSpan.FromMilliseconds(1));
        var tariffs = new TariffStore(storage);
        var pipeline = new CdrPipeline(storage, store, tariffs, new CdrOptions(), TimeProvider.System, NullLogger<CdrPipeline>.Instance);
        return new PipelineHarness(directory, storage, store, tariffs, pipeline);
    }

    /// <summary>A tariff of <paramref name="pricePerKwh"/> per kWh with 21 % VAT, assigned as the default.</summary>
    public async Task<Tariff> DefaultTariffAsync(string id, decimal pricePerKwh, string extra = "")
    {
        Tariff tariff = TestData.ParseTariff(
            $$"""{"country_code":"NL","party_id":"EVC","id":"{{id}}","currency":"EUR",{{extra}}"elements":[{"price_components":[{"type":"ENERGY","price":{{pricePerKwh.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"vat":21,"step_size":1}]}],"last_updated":"2026-01-01T00:00:00Z"}""");
        await Tariffs.SaveAsync(tariff);
        await Tariffs.AssignAsync(TariffStore.DefaultScope, id);
        return tariff;
    }

    /// <summary>
    /// Writes the original CDR of a 10 kWh, 40-minute session directly into the store, priced with
    /// <paramref name="tariff"/> (40 minutes: its times in hours are repeating fractions).
    /// </summary>
    public async Task<StoredCdr> OriginalAsync(int transactionId, Tariff tariff)
    {
        var session = new TrackedSession(transactionId, "CP-1", 1, null, "TAG-1", 0, Start.ToUnixTimeMilliseconds(), 0, -1);
        session.AddReading(Start.AddMinutes(20).ToUnixTimeMilliseconds(), 5_000_000);
        session.End(Start.AddMinutes(40).ToUnixTimeMilliseconds(), 10_000_000, "EVDisconnected");
        BuiltCdr built = Pipeline.Builder.Build(session, tariff, Tariffs.PricerFor(tariff), Start.AddMinutes(40));
        StoredCdr stored = CdrPipeline.Store(built.Cdr, transactionId, "CP-1", 1, "TAG-1", tariff.Id, built.Priced, built.Usage, "UTC", Start.AddMinutes(40));
        Assert.Single(await Store.AddAsync([stored]));
        return stored;
    }

    /// <summary>Appends a 10 kWh session's events to the log (durable when this returns); without <paramref name="end"/> it stays open.</summary>
    public async Task ChargeAsync(int transactionId, string chargerId = "CP-1", bool end = true)
    {
        byte[] charger = Encoding.UTF8.GetBytes(chargerId);
        long start = Start.ToUnixTimeMilliseconds();
        var buffer = new ArrayBufferWriter<byte>(512);
        EventWriter.WriteTransactionStarted(buffer, start, charger, transactionId, 1, "TAG-1"u8, 0, start, -1, 0);
        Append(buffer);
        EventWriter.WriteMeterSampled(buffer, start + 1_800_000, charger, transactionId, 1, start + 1_800_000, 5_000_000, default);
        Append(buffer);
        if (end)
        {
            EventWriter.WriteTransactionEnded(buffer, start + 3_600_000, charger, transactionId, 10_000_000, start + 3_600_000, "EVDisconnected"u8, "TAG-1"u8, default);
            Append(buffer);
        }

        await Storage.Log.FlushAsync();
    }

    /// <summary>Starts the pipeline and waits until it has handled everything the log held when it started.</summary>
    public async Task RunAsync()
    {
        await Pipeline.StartAsync(CancellationToken.None);
        await Pipeline.CaughtUp.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The CdrRecorded notifications in the log, by CDR id.</summary>
    public async Task<List<string>> RecordedAsync()
    {
        await Storage.Log.FlushAsync();
        var ids = new List<string>();
        await foreach ((_, _, ReadOnlyMemory<byte> payload) in Storage.Log.ReadAsync(Storage.Log.BeginAddress, follow: false))
        {
            if (EventReader.TryDecode(payload, out DomainEvent? e) && e is CdrRecorded recorded)
            {
                ids.Add(recorded.CdrId);
            }
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.StopAsync(CancellationToken.None);
        Pipeline.Dispose();
        await Store.DisposeAsync();
        await Storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(ArrayBufferWriter<byte> buffer)
    {
        Storage.State.AppendAndApply(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
    }
}

using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Cdr.Tests;

public sealed class TariffStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-tariffs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Resolve_PrefersTokenThenConnectorThenChargerThenLocationThenDefault_AndSurvivesAReopen()
    {
        await using (StorageEngine storage = StorageEngine.Open(new StorageOptions { DataDirectory = _directory }))
        {
            var store = new TariffStore(storage);
            foreach (string id in new[] { "T-TOKEN", "T-CONNECTOR", "T-CHARGER", "T-LOCATION", "T-DEFAULT" })
            {
                await store.SaveAsync(Tariff(id));
            }

            await store.AssignAsync(TariffStore.Scope(), "T-DEFAULT");
            await store.AssignAsync(TariffStore.Scope(locationId: "LOC-1"), "T-LOCATION");
            await store.AssignAsync(TariffStore.Scope("CP-1"), "T-CHARGER");
            await store.AssignAsync(TariffStore.Scope("CP-1", 2), "T-CONNECTOR");
            await store.AssignAsync(TariffStore.Scope(idTag: "VIP"), "T-TOKEN");
        }

        await using StorageEngine reopened = StorageEngine.Open(new StorageOptions { DataDirectory = _directory });
        var tariffs = new TariffStore(reopened);

        Assert.Equal("T-TOKEN", tariffs.Resolve("CP-1", 2, "VIP", "LOC-1")?.Id);
        Assert.Equal("T-CONNECTOR", tariffs.Resolve("CP-1", 2, "OTHER", "LOC-1")?.Id);
        Assert.Equal("T-CHARGER", tariffs.Resolve("CP-1", 1, null, "LOC-1")?.Id);
        Assert.Equal("T-LOCATION", tariffs.Resolve("CP-2", 1, null, "LOC-1")?.Id);
        Assert.Equal("T-DEFAULT", tariffs.Resolve("CP-3", 1, null, null)?.Id);
        Assert.False(await tariffs.DeleteAsync("T-DEFAULT")); // still assigned
    }

    private static Tariff Tariff(string id) => new()
    {
        CountryCode = "NL",
        PartyId = "EVC",
        Id = id,
        Currency = "EUR",
        Elements = [new TariffElement { PriceComponents = [new PriceComponent { Type = TariffDimensionType.Energy, Price = 0.25m, StepSize = 1 }] }],
        LastUpdated = DateTimeOffset.UnixEpoch,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

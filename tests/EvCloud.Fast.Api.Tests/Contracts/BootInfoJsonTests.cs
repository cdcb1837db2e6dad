using System.Text.Json;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Api.Tests.Contracts;

public sealed class BootInfoJsonTests
{
    [Fact]
    public void BootInfo_KeepsTheBootFactsAndTheNineIdentityFieldsDirectlyUnderBoot()
    {
        var boot = new BootInfo(
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), 3, 300,
            new ChargerIdentity("Acme", "Fast-22", "SN-1", "BOX-1", "1.2.3", "8931", "2620", "AC", "MSN-1"));

        string json = JsonSerializer.Serialize(boot, ApiJsonContext.Default.GetTypeInfo(typeof(BootInfo))!);

        Assert.Equal(
            """{"lastBoot":"2023-11-14T22:13:20+00:00","bootCount":3,"heartbeatIntervalSeconds":300,"vendor":"Acme","model":"Fast-22","serialNumber":"SN-1","chargeBoxSerialNumber":"BOX-1","firmwareVersion":"1.2.3","iccid":"8931","imsi":"2620","meterType":"AC","meterSerialNumber":"MSN-1"}""",
            json);
    }

    [Fact]
    public void BootInfo_OfAChargerThatNeverBooted_HasOnlyItsCounts()
    {
        string json = JsonSerializer.Serialize(new BootInfo(null, 0, 0, ChargerIdentity.None), ApiJsonContext.Default.GetTypeInfo(typeof(BootInfo))!);

        Assert.Equal("""{"bootCount":0,"heartbeatIntervalSeconds":0}""", json);
    }
}

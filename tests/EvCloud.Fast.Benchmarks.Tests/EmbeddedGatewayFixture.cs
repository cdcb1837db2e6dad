using EvCloud.Fast.Benchmarks.Embedded;

namespace EvCloud.Fast.Benchmarks.Tests;

/// <summary>
/// One gateway with the production commit interval (2 ms), one booted charger, and a fleet of 32 whose
/// durable messages share group commits as a busy gateway's do; shared by the budget tests.
/// </summary>
public sealed class EmbeddedGatewayFixture : IAsyncLifetime
{
    public EmbeddedGateway Gateway { get; private set; } = null!;

    public HotPathCharger Charger { get; private set; } = null!;

    public HotPathFleet Fleet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = EmbeddedGateway.Start(TimeSpan.FromMilliseconds(2));
        Gateway.WarmLog();
        Charger = await HotPathCharger.ConnectAsync(Gateway, "CP-BUDGET");
        Fleet = await HotPathFleet.ConnectAsync(Gateway, "CP-FLEET-", 32);
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

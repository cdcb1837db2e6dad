using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task AChargerThatNeverAnswersTheClose_DoesNotHoldTheServersShutdown()
    {
        // The host would wait up to its shutdown timeout for a connection that does not end; here that is 10 minutes,
        // so a stop that still waits for the silent charger cannot finish within the minute the test allows.
        await using TestServer server = await TestServer.StartAsync("--shutdownTimeoutSeconds=600");
        await using RawCharger silent = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-SILENT");

        Task restart = server.RestartAsync();
        Task first = await Task.WhenAny(restart, Task.Delay(TimeSpan.FromMinutes(1)));

        Assert.Same(restart, first);
        await restart;
    }
}

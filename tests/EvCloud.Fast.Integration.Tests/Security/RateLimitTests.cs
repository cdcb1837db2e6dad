using System.Net;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Security;

public sealed class RateLimitTests : IAsyncLifetime
{
    private const string Password = "the-Right-Password-1";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(
        "--Ocpp:Security:DefaultProfile=1",
        "--Ocpp:Security:FailureLimit=3",
        "--Ocpp:Security:FailureWindow=00:01:00",
        "--Ocpp:Security:FailureCooldown=00:01:00",
        $"--Ocpp:Security:Chargers:CP-RL:Password={Password}");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AfterTheFailureLimit_AnAddressGets429_EvenWithTheRightPassword_WhileOthersStillConnect()
    {
        using var failures = new AuthFailureRecorder();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(401, await Upgrade(IPAddress.Loopback, RawCharger.BasicAuthorization("CP-RL", "a-Wrong-Password-" + i)));
        }

        await using (RawCharger blocked = await RawCharger.OpenAsync(_server.OcppEndPoint, IPAddress.Loopback))
        {
            Assert.Equal(429, await blocked.UpgradeAsync("CP-RL", "ocpp1.6", RawCharger.BasicAuthorization("CP-RL", Password)));
            Assert.Matches(@"Retry-After: \d+", blocked.HandshakeResponse);
        }

        Assert.Contains("rate_limited", failures.Reasons);

        // 127.0.0.2 is another source address on the loopback interface.
        Assert.Equal(101, await Upgrade(IPAddress.Parse("127.0.0.2"), RawCharger.BasicAuthorization("CP-RL", Password)));
    }

    private async Task<int> Upgrade(IPAddress from, string header)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint, from);
        return await charger.UpgradeAsync("CP-RL", "ocpp1.6", header);
    }
}

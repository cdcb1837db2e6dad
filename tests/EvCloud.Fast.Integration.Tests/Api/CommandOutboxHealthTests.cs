using System.Net;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Host.Health;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

/// <summary>
/// <c>outbox.commands</c> over a real outbox and gateway, judged on a clock the test moves: commands for an offline
/// charger never count, an in-flight command and one queued behind it while the charger is connected do once they
/// are older than <see cref="HealthOptions.CommandOutboxStuckAfter"/>.
/// </summary>
public sealed class CommandOutboxHealthTests : IAsyncLifetime
{
    private static readonly HealthOptions Options = new() { CommandOutboxStuckAfter = TimeSpan.FromMinutes(5) };
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs("--Ocpp:CallTimeout=00:01:00"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CommandsForAnOfflineCharger_AreNeverStuck_HoweverOld()
    {
        await (await ConnectAndBootAsync(_server, "CP-HEALTH-OFF", "ocpp1.6")).DisposeAsync();
        await CommandApiTests.WaitUntilAsync(() => !_server.Gateway.Registry.IsConnected("CP-HEALTH-OFF"));
        using var api = new ApiClient(_server);
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-HEALTH-OFF/reset?queue=true&ttlSeconds=86400", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);

        HealthCheckResult result = await CheckAsync(TimeSpan.FromHours(12));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal((1, 0), ((int)result.Data["undelivered"], (int)result.Data["stuck"]));
    }

    [Fact]
    public async Task ACommandInFlight_AndOneQueuedBehindIt_AtAConnectedCharger_AreStuckAfterTheThreshold()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-HEALTH", "ocpp1.6");
        using var api = new ApiClient(_server);
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-HEALTH/reset?queue=true", "{\"type\":\"Soft\"}"), HttpStatusCode.Accepted);
        (_, _) = await ExpectCallAsync(charger, "Reset"); // never answered: it stays in flight
        await ApiClient.JsonAsync(await api.PostAsync("api/v1/chargers/CP-HEALTH/commands/ClearCache?queue=true", "{}"), HttpStatusCode.Accepted);
        CommandOutbox outbox = _server.Services.GetRequiredService<CommandOutbox>();
        await CommandApiTests.WaitUntilAsync(() => outbox.List().Any(c => c.State == QueuedCommandState.Sending));

        HealthCheckResult fresh = await CheckAsync(Options.CommandOutboxStuckAfter);
        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal((2, 0), ((int)fresh.Data["undelivered"], (int)fresh.Data["stuck"]));

        HealthCheckResult stuck = await CheckAsync(Options.CommandOutboxStuckAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Degraded, stuck.Status);
        Assert.Equal(2, (int)stuck.Data["stuck"]);
        Assert.Contains("CP-HEALTH", stuck.Description, StringComparison.Ordinal);
    }

    /// <summary>The check as the host builds it, on a clock <paramref name="later"/> ahead of now.</summary>
    private Task<HealthCheckResult> CheckAsync(TimeSpan later)
    {
        // NOTE: "now" is read after every command was created and sent, so "fresh" can only be younger than the threshold.
        var clock = new FixedClock(TimeProvider.System.GetUtcNow() + later - TimeSpan.FromSeconds(1));
        var check = new CommandOutboxHealthCheck(_server.Services.GetRequiredService<CommandOutbox>(), _server.Gateway, Options, clock);
        return check.CheckHealthAsync(new HealthCheckContext());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

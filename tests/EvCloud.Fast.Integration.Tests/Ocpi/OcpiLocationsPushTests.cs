using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// The CPO pushes its locations to the eMSP when it registers, then keeps each EVSE's status there in step with the
/// OCPP connector behind it (OCPI 2.2.1 §8.2.1.2, PATCH of the EVSE through the push outbox).
/// </summary>
public sealed class OcpiLocationsPushTests : IAsyncLifetime
{
    private OcpiPair _pair = null!;

    public async Task InitializeAsync() =>
        _pair = await OcpiPair.StartAsync("--Ocpi:Push:RetryBase=00:00:00.200", "--Ocpi:Push:RetryMax=00:00:01");

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task TheEmspsStoredEvseStatus_FollowsTheChargersStatusNotifications()
    {
        await _pair.ConnectAsync();

        // Initial sync: every published location arrives whole, the EVSE not yet reported.
        JsonElement location = await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC3", _ => true);
        Assert.Equal("Garage 3", location.GetProperty("name").GetString());
        Assert.Equal("UNKNOWN", Status(location));

        await using (RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6"))
        {
            OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" }), "StatusNotification");
            await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC1", l => Status(l) == "AVAILABLE");

            OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" }), "StatusNotification");
            location = await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC1", l => Status(l) == "CHARGING");
            Assert.True(location.GetProperty("evses")[0].TryGetProperty("last_updated", out _));

            OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "GroundFailure", status = "Faulted" }), "StatusNotification");
            await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC1", l => Status(l) == "OUTOFORDER");
        }

        // Offline: "no status information available (also used when offline)" (§8.4.22).
        await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC1", l => Status(l) == "UNKNOWN");

        // The other locations were not touched, and nothing is left queued or dead.
        Assert.Equal("UNKNOWN", Status(await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/locations/NL/CPO/LOC2", _ => true)));
        Assert.Equal(0, (await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/outbox/dead-letters"), HttpStatusCode.OK)).GetArrayLength());
    }

    private static string? Status(JsonElement location) => location.GetProperty("evses")[0].GetProperty("status").GetString();
}

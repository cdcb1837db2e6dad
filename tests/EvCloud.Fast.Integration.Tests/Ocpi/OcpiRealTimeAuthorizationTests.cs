using System.Globalization;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpp.Authorization;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// Real-time authorization (OCPI 2.2.1 §12.2.1.2): tokens the eMSP pushed with whitelist NEVER or ALLOWED_OFFLINE are
/// authorized at the CPO's chargers by asking the eMSP, and by the whitelist when it cannot be reached.
/// </summary>
public sealed class OcpiRealTimeAuthorizationTests : IAsyncLifetime
{
    private OcpiPair _pair = null!;

    // Every use asks the eMSP (no reuse window), so the test sees each answer change at once.
    public async Task InitializeAsync() =>
        _pair = await OcpiPair.StartAsync(
            "--Ocpi:Push:SessionUpdateInterval=00:00:00", "--Ocpi:Push:RetryBase=00:00:00.200", "--Ocpi:Push:RetryMax=00:00:01", "--Ocpi:RealTimeAnswerReuse=00:00:00");

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task NeverTokens_WaitForTheEmspsAnswer_ThenTheWhitelistDecidesWhenItIsUnreachable()
    {
        await _pair.ConnectAsync();
        await PushTokenAsync("RT-NEVER-1", "NEVER");
        await PushTokenAsync("RT-OFFLINE-1", "ALLOWED_OFFLINE");
        RealTimeAuthorizer authorizer = _pair.Cpo.Services.GetRequiredService<RealTimeAuthorizer>();
        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");

        // NEVER: the first tap is answered once the eMSP has (its whitelist alone would refuse it).
        Assert.Equal("Accepted", await AuthorizeAsync(charger, "RT-NEVER-1"));
        RealTimeAnswer answer = authorizer.Answer("RT-NEVER-1")!;
        Assert.Equal("ALLOWED", answer.Info.Allowed);
        Assert.Equal("LOC1", answer.Info.Location?.LocationId);

        // ALLOWED_OFFLINE is asked about all the same.
        Assert.Equal("Accepted", await AuthorizeAsync(charger, "RT-OFFLINE-1"));
        Assert.Equal("ALLOWED", authorizer.Answer("RT-OFFLINE-1")?.Info.Allowed);

        // A charge with the real-time authorized token reaches the eMSP as AUTH_REQUEST with the eMSP's reference.
        JsonElement start = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "RT-NEVER-1", meterStart = 0, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        Assert.Equal("Accepted", start.GetProperty("idTagInfo").GetProperty("status").GetString());
        string sessionUrl = "api/v1/ocpi/sessions/NL/CPO/" + start.GetProperty("transactionId").GetInt32().ToString(CultureInfo.InvariantCulture);
        JsonElement session = await OcpiPair.PollAsync(_pair.EmspApi, sessionUrl, _ => true);
        Assert.Equal("AUTH_REQUEST", session.GetProperty("auth_method").GetString());
        Assert.False(string.IsNullOrEmpty(session.GetProperty("authorization_reference").GetString()));
        Assert.Equal("RT-NEVER-1", session.GetProperty("cdr_token").GetProperty("uid").GetString());

        // The eMSP goes away: the next tap finds it unreachable and the whitelist decides — NEVER refuses,
        // ALLOWED_OFFLINE accepts — each on its first tap.
        await _pair.Emsp.DisposeAsync();
        await WaitForRequestAsync(authorizer, "RT-NEVER-1");
        Assert.Equal("Invalid", await AuthorizeAsync(charger, "RT-NEVER-1"));
        Assert.Equal("Accepted", await AuthorizeAsync(charger, "RT-OFFLINE-1"));

        // The charger's other messages were answered in order all along, and it is still served.
        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
    }

    private async Task PushTokenAsync(string uid, string whitelist)
    {
        JsonElement result = await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/" + uid, $"{{\"type\":\"RFID\",\"contractId\":\"DE-EMS-C{uid.GetHashCode(StringComparison.Ordinal) & 0xFFFFFF:D8}-1\",\"whitelist\":\"{whitelist}\"}}"),
            HttpStatusCode.OK);
        Assert.True(result.GetProperty("pushes")[0].GetProperty("delivered").GetBoolean(), result.GetRawText());
        Assert.True(_pair.Cpo.Services.GetRequiredService<TokenStore>().Get(uid)?.AskOwner);
    }

    private static async Task<string?> AuthorizeAsync(RawCharger charger, string idTag) =>
        OcppAssert.CallResult(await charger.CallAsync("Authorize", new { idTag }), "Authorize").GetProperty("idTagInfo").GetProperty("status").GetString();

    /// <summary>Waits for a request still in flight for <paramref name="uid"/> (a session's background refresh), if any.</summary>
    private static async Task WaitForRequestAsync(RealTimeAuthorizer authorizer, string uid)
    {
        if (authorizer.Pending(uid) is { } pending)
        {
            await pending.WaitAsync(TimeSpan.FromSeconds(40));
        }
    }
}

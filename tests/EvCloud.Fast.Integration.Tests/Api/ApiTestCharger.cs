using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Integration.Tests.Api;

/// <summary>A raw charger that boots in its version and answers the server's CALLs the way a test says.</summary>
internal static class ApiTestCharger
{
    public static async Task<RawCharger> ConnectAndBootAsync(TestServer server, string id, string protocol)
    {
        RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, id, protocol);
        await BootAsync(charger, protocol);
        return charger;
    }

    public static async Task BootAsync(RawCharger charger, string protocol)
    {
        if (protocol == "ocpp1.6")
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "Dual" }), "BootNotification");
            OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" }), "StatusNotification");
        }
        else
        {
            OcppVersion version = Version(protocol);
            OcppAssert.CallResult(await charger.CallRawAsync("BootNotification", "{\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":\"Dual\",\"vendorName\":\"Acme\"}}"), "BootNotification", version);
            OcppAssert.CallResult(await charger.CallRawAsync("StatusNotification", "{\"timestamp\":\"2026-11-24T10:00:00Z\",\"connectorStatus\":\"Available\",\"evseId\":1,\"connectorId\":1}"), "StatusNotification", version);
        }
    }

    public static OcppVersion Version(string protocol) => protocol switch
    {
        "ocpp1.6" => OcppVersion.Ocpp16,
        "ocpp2.0.1" => OcppVersion.Ocpp201,
        _ => OcppVersion.Ocpp21,
    };

    /// <summary>Receives the server's next CALL, asserting its action; returns its message id and payload.</summary>
    public static async Task<(string MessageId, JsonElement Payload)> ExpectCallAsync(RawCharger charger, string action, TimeSpan? timeout = null)
    {
        JsonElement call = await charger.ReceiveMessageAsync(timeout ?? TimeSpan.FromSeconds(10));
        Assert.Equal(2, call[0].GetInt32());
        Assert.Equal(action, call[2].GetString());
        return (call[1].GetString()!, call[3].Clone());
    }

    public static Task AnswerAsync(RawCharger charger, string messageId, string payloadJson) =>
        charger.SendTextAsync($"[3,\"{messageId}\",{payloadJson}]");
}

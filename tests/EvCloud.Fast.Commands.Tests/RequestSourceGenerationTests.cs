using System.Text.Json;
using System.Text.Json.Serialization;
using EvCloud.Fast.Commands;

namespace EvCloud.Fast.Commands.Tests;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StartChargingRequest))]
[JsonSerializable(typeof(StopChargingRequest))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(UnlockConnectorRequest))]
[JsonSerializable(typeof(SetAvailabilityRequest))]
[JsonSerializable(typeof(GetConfigurationRequest))]
[JsonSerializable(typeof(ChangeConfigurationRequest))]
[JsonSerializable(typeof(SetChargingLimitRequest))]
[JsonSerializable(typeof(ClearChargingLimitRequest))]
[JsonSerializable(typeof(TriggerMessageRequest))]
[JsonSerializable(typeof(ReserveNowRequest))]
[JsonSerializable(typeof(CancelReservationRequest))]
[JsonSerializable(typeof(CommandAnswer))]
internal sealed partial class CommandJsonContext : JsonSerializerContext;

public sealed class RequestSourceGenerationTests
{
    [Fact]
    public void StartChargingRequest_DeserialisesFromCamelCaseWithTheSourceGenerator()
    {
        StartChargingRequest? request = JsonSerializer.Deserialize(
            """{"idTag":"04A1B2C3","connectorId":2,"idTokenType":"ISO14443","chargingLimit":{"limit":16.5,"unit":"A"}}""",
            CommandJsonContext.Default.StartChargingRequest);

        Assert.Equal(
            new StartChargingRequest { IdTag = "04A1B2C3", ConnectorId = 2, IdTokenType = "ISO14443", ChargingLimit = new ChargingLimit { Limit = 16.5m, Unit = "A" } },
            request);
    }

    [Fact]
    public void ChangeConfigurationAndReserveNowRequests_DeserialiseListsAndDatesWithTheSourceGenerator()
    {
        ChangeConfigurationRequest? change = JsonSerializer.Deserialize(
            """{"settings":[{"key":"HeartbeatInterval","value":"300"}]}""", CommandJsonContext.Default.ChangeConfigurationRequest);
        ReserveNowRequest? reserve = JsonSerializer.Deserialize(
            """{"idTag":"A","expiresAt":"2025-03-14T15:00:00+01:00","reservationId":3}""", CommandJsonContext.Default.ReserveNowRequest);

        Assert.Equal("300", Assert.Single(change!.Settings!).Value);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 14, 0, 0, TimeSpan.Zero), reserve!.ExpiresAt);
    }

    [Fact]
    public void CommandAnswer_SerialisesCamelCaseWithTheSourceGenerator()
    {
        var answer = new CommandAnswer("Rejected", false) { StatusInfo = new CommandStatusInfo("TxInProgress", null) };

        string json = JsonSerializer.Serialize(answer, CommandJsonContext.Default.CommandAnswer);

        Assert.Contains("\"status\":\"Rejected\"", json, StringComparison.Ordinal);
        Assert.Contains("\"statusInfo\":{\"reasonCode\":\"TxInProgress\"", json, StringComparison.Ordinal);
    }
}

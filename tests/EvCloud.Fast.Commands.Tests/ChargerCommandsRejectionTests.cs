using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Commands.Tests;

/// <summary>Requests arrive as REST bodies (camelCase JSON); each bad one must fail before sending, naming its field.</summary>
public sealed class ChargerCommandsRejectionTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    [Theory]
    [InlineData("start", OcppVersion.Ocpp16, """{}""", "idTag")] // idTag missing
    [InlineData("start", OcppVersion.Ocpp201, """{"idTag":""}""", "idTag")] // idTag empty
    [InlineData("start", OcppVersion.Ocpp16, """{"idTag":"123456789012345678901"}""", "idTag")] // 21 characters, 1.6 idTag is CiString20
    [InlineData("start", OcppVersion.Ocpp201, """{"idTag":"1234567890123456789012345678901234567"}""", "idTag")] // 37 characters, 2.0.1 idToken is at most 36
    [InlineData("start", OcppVersion.Ocpp16, """{"idTag":"A","connectorId":-1}""", "connectorId")] // negative connector
    [InlineData("start", OcppVersion.Ocpp21, """{"idTag":"A","connectorId":0}""", "connectorId")] // connector 0 is the charger itself, no transaction there
    [InlineData("start", OcppVersion.Ocpp201, """{"idTag":"A","idTokenType":"Rfid"}""", "idTokenType")] // not an IdTokenEnumType of 2.0.1
    [InlineData("start", OcppVersion.Ocpp16, """{"idTag":"A","idTokenType":"Rfid"}""", "idTokenType")] // a typo is an error even where the type is not sent
    [InlineData("start", OcppVersion.Ocpp21, """{"idTag":"A","idTokenType":"ThisTypeNameIsTooLong"}""", "idTokenType")] // 21 characters, 2.1 type is at most 20
    [InlineData("start", OcppVersion.Ocpp16, """{"idTag":"A","chargingLimit":{"unit":"A"}}""", "chargingLimit.limit")] // limit without a value
    [InlineData("start", OcppVersion.Ocpp201, """{"idTag":"A","chargingLimit":{"limit":-1,"unit":"A"}}""", "chargingLimit.limit")] // negative cap
    [InlineData("start", OcppVersion.Ocpp21, """{"idTag":"A","chargingLimit":{"limit":16,"unit":"kW"}}""", "chargingLimit.unit")] // unit is A or W
    [InlineData("stop", OcppVersion.Ocpp16, """{"transactionId":"0b7b5f5e-6d1c"}""", "transactionId")] // 1.6 transaction ids are integers
    [InlineData("stop", OcppVersion.Ocpp16, """{"transactionId":"4294967296"}""", "transactionId")] // does not fit the 32-bit 1.6 integer
    [InlineData("stop", OcppVersion.Ocpp201, """{}""", "transactionId")] // transactionId missing
    [InlineData("stop", OcppVersion.Ocpp21, """{"transactionId":"0123456789012345678901234567890123456"}""", "transactionId")] // 37 characters, 2.x is at most 36
    [InlineData("reset", OcppVersion.Ocpp16, """{}""", "type")] // type missing
    [InlineData("reset", OcppVersion.Ocpp201, """{"type":"Immediate"}""", "type")] // the neutral API speaks Soft/Hard, not 2.x names
    [InlineData("reset", OcppVersion.Ocpp16, """{"type":"Hard","evseId":1}""", "evseId")] // 1.6 resets the whole charge point only
    [InlineData("reset", OcppVersion.Ocpp21, """{"type":"Hard","evseId":-1}""", "evseId")] // negative EVSE
    [InlineData("unlock", OcppVersion.Ocpp16, """{}""", "connectorId")] // connectorId missing
    [InlineData("unlock", OcppVersion.Ocpp201, """{"connectorId":0}""", "connectorId")] // connector 0 has no lock
    [InlineData("unlock", OcppVersion.Ocpp16, """{"connectorId":1,"evseId":1}""", "evseId")] // 1.6 has no EVSEs
    [InlineData("availability", OcppVersion.Ocpp16, """{"connectorId":1}""", "operative")] // operative missing
    [InlineData("availability", OcppVersion.Ocpp201, """{"connectorId":-2,"operative":true}""", "connectorId")] // negative connector
    [InlineData("getConfiguration", OcppVersion.Ocpp201, """{}""", "keys")] // 2.x has no synchronous read-all
    [InlineData("getConfiguration", OcppVersion.Ocpp21, """{"keys":[]}""", "keys")] // empty is read-all, same as absent
    [InlineData("getConfiguration", OcppVersion.Ocpp201, """{"keys":["HeartbeatInterval"]}""", "keys[0]")] // a 1.6 key has no component
    [InlineData("getConfiguration", OcppVersion.Ocpp21, """{"keys":["A.B.C.D"]}""", "keys[0]")] // too many parts
    [InlineData("getConfiguration", OcppVersion.Ocpp201, """{"keys":["OCPPCommCtrlr..Default"]}""", "keys[0]")] // empty variable name
    [InlineData("getConfiguration", OcppVersion.Ocpp16, """{"keys":["HeartbeatInterval",""]}""", "keys[1]")] // empty key
    [InlineData("getConfiguration", OcppVersion.Ocpp16, """{"keys":["ThisConfigurationKeyIsFarLongerThanFiftyCharacters1"]}""", "keys[0]")] // 51 characters, 1.6 key is CiString50
    [InlineData("changeConfiguration", OcppVersion.Ocpp16, """{}""", "settings")] // settings missing
    [InlineData("changeConfiguration", OcppVersion.Ocpp201, """{"settings":[]}""", "settings")] // nothing to change
    [InlineData("changeConfiguration", OcppVersion.Ocpp16, """{"settings":[{"key":"HeartbeatInterval"}]}""", "settings[0].value")] // value missing
    [InlineData("changeConfiguration", OcppVersion.Ocpp16, """{"settings":[{"key":"A","value":"1"},{"value":"1"}]}""", "settings[1].key")] // key missing
    [InlineData("changeConfiguration", OcppVersion.Ocpp21, """{"settings":[{"key":"HeartbeatInterval","value":"1"}]}""", "settings[0].key")] // a 1.6 key on 2.x
    [InlineData("setLimit", OcppVersion.Ocpp16, """{"unit":"W"}""", "limit")] // limit missing
    [InlineData("setLimit", OcppVersion.Ocpp201, """{"limit":11000}""", "unit")] // unit missing
    [InlineData("setLimit", OcppVersion.Ocpp21, """{"limit":11000,"unit":"W","stackLevel":-1}""", "stackLevel")] // stack levels start at 0
    [InlineData("setLimit", OcppVersion.Ocpp16, """{"limit":11000,"unit":"W","connectorId":-1}""", "connectorId")] // negative connector
    [InlineData("clearLimit", OcppVersion.Ocpp16, """{"profileId":5,"connectorId":1}""", "connectorId")] // an id already names one profile
    [InlineData("clearLimit", OcppVersion.Ocpp201, """{"connectorId":-1}""", "connectorId")] // negative connector
    [InlineData("trigger", OcppVersion.Ocpp16, """{}""", "message")] // message missing
    [InlineData("trigger", OcppVersion.Ocpp16, """{"message":"TransactionEvent"}""", "message")] // 2.x only
    [InlineData("trigger", OcppVersion.Ocpp16, """{"message":"SignV2GCertificate"}""", "message")] // 2.x only
    [InlineData("trigger", OcppVersion.Ocpp201, """{"message":"SignV2G20Certificate"}""", "message")] // 2.1 only
    [InlineData("trigger", OcppVersion.Ocpp21, """{"message":"Authorize"}""", "message")] // not a triggerable message
    [InlineData("trigger", OcppVersion.Ocpp16, """{"message":"StatusNotification","evseId":1}""", "evseId")] // 1.6 has no EVSEs
    [InlineData("trigger", OcppVersion.Ocpp201, """{"message":"StatusNotification","connectorId":0}""", "connectorId")] // absent, not 0, means the whole station
    [InlineData("reserve", OcppVersion.Ocpp16, """{"expiresAt":"2025-03-14T15:00:00Z","reservationId":1}""", "idTag")] // idTag missing
    [InlineData("reserve", OcppVersion.Ocpp201, """{"idTag":"A","reservationId":1}""", "expiresAt")] // expiry missing
    [InlineData("reserve", OcppVersion.Ocpp21, """{"idTag":"A","expiresAt":"2025-03-14T15:00:00Z"}""", "reservationId")] // reservation id missing
    [InlineData("reserve", OcppVersion.Ocpp21, """{"idTag":"A","expiresAt":"2025-03-14T15:00:00Z","reservationId":-1}""", "reservationId")] // 2.1 ids are non-negative
    [InlineData("reserve", OcppVersion.Ocpp16, """{"idTag":"A","parentIdTag":"123456789012345678901","expiresAt":"2025-03-14T15:00:00Z","reservationId":1}""", "parentIdTag")] // 21 characters
    [InlineData("cancelReservation", OcppVersion.Ocpp16, """{}""", "reservationId")] // reservation id missing
    [InlineData("cancelReservation", OcppVersion.Ocpp201, """{"reservationId":-5}""", "reservationId")] // negative id
    public void Command_IsRefusedBeforeSending_NamingTheFieldAtFault(string operation, OcppVersion version, string body, string field)
    {
        CommandRequestException exception = Assert.Throws<CommandRequestException>(() => Build(operation, version, body));

        Assert.Equal(field, exception.Field);
        Assert.StartsWith(field, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetConfiguration_On2xWithoutKeys_ExplainsHowToWriteThem()
    {
        var exception = Assert.Throws<CommandRequestException>(() => ChargerCommands.GetConfiguration(OcppVersion.Ocpp201, new GetConfigurationRequest()));

        Assert.Contains("Component.Variable", exception.Message, StringComparison.Ordinal);
        Assert.Contains("NotifyReport", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StopCharging_On16WithAStringId_SaysWhy16NeedsAnInteger()
    {
        var exception = Assert.Throws<CommandRequestException>(
            () => ChargerCommands.StopCharging(OcppVersion.Ocpp16, new StopChargingRequest { TransactionId = "abc" }));

        Assert.Contains("not an integer", exception.Message, StringComparison.Ordinal);
        Assert.Contains("1.6", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_On16WithAnEvse_SaysItIsA2xOption()
    {
        var exception = Assert.Throws<CommandRequestException>(
            () => ChargerCommands.Reset(OcppVersion.Ocpp16, new ResetRequest { Type = "Soft", EvseId = 1 }));

        Assert.Contains("only supported by OCPP 2.x", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TriggerMessage_WithAnUnknownMessage_ListsWhatTheVersionSupports()
    {
        var exception = Assert.Throws<CommandRequestException>(
            () => ChargerCommands.TriggerMessage(OcppVersion.Ocpp16, new TriggerMessageRequest { Message = "TransactionEvent" }));

        Assert.Contains("DiagnosticsStatusNotification", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_ForAChargerWithoutANegotiatedVersion_IsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => ChargerCommands.CancelReservation(OcppVersion.None, new CancelReservationRequest { ReservationId = 1 }));
    }

    private static void Build(string operation, OcppVersion version, string body)
    {
        switch (operation)
        {
            case "start": ChargerCommands.StartCharging(version, Read<StartChargingRequest>(body), remoteStartId: 1); break;
            case "stop": ChargerCommands.StopCharging(version, Read<StopChargingRequest>(body)); break;
            case "reset": ChargerCommands.Reset(version, Read<ResetRequest>(body)); break;
            case "unlock": ChargerCommands.UnlockConnector(version, Read<UnlockConnectorRequest>(body)); break;
            case "availability": ChargerCommands.SetAvailability(version, Read<SetAvailabilityRequest>(body)); break;
            case "getConfiguration": ChargerCommands.GetConfiguration(version, Read<GetConfigurationRequest>(body)); break;
            case "changeConfiguration": ChargerCommands.ChangeConfiguration(version, Read<ChangeConfigurationRequest>(body)); break;
            case "setLimit": ChargerCommands.SetChargingLimit(version, Read<SetChargingLimitRequest>(body), Now); break;
            case "clearLimit": ChargerCommands.ClearChargingLimit(version, Read<ClearChargingLimitRequest>(body)); break;
            case "trigger": ChargerCommands.TriggerMessage(version, Read<TriggerMessageRequest>(body)); break;
            case "reserve": ChargerCommands.ReserveNow(version, Read<ReserveNowRequest>(body)); break;
            case "cancelReservation": ChargerCommands.CancelReservation(version, Read<CancelReservationRequest>(body)); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation");
        }
    }

    private static T Read<T>(string body) => JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
}

using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;
using static EvCloud.Fast.Commands.Tests.OcppSchemaAssert;

namespace EvCloud.Fast.Commands.Tests;

public sealed class ChargerCommandsAnswerTests
{
    [Theory]
    [InlineData(OcppVersion.Ocpp16, "RemoteStartTransaction", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp16, "RemoteStartTransaction", "Rejected", false)]
    [InlineData(OcppVersion.Ocpp16, "RemoteStopTransaction", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp16, "Reset", "Rejected", false)]
    [InlineData(OcppVersion.Ocpp16, "UnlockConnector", "Unlocked", true)]
    [InlineData(OcppVersion.Ocpp16, "UnlockConnector", "UnlockFailed", false)]
    [InlineData(OcppVersion.Ocpp16, "UnlockConnector", "NotSupported", false)]
    [InlineData(OcppVersion.Ocpp16, "ChangeAvailability", "Scheduled", true)]
    [InlineData(OcppVersion.Ocpp16, "ChangeConfiguration", "RebootRequired", true)]
    [InlineData(OcppVersion.Ocpp16, "ChangeConfiguration", "NotSupported", false)]
    [InlineData(OcppVersion.Ocpp16, "SetChargingProfile", "NotSupported", false)]
    [InlineData(OcppVersion.Ocpp16, "ClearChargingProfile", "Unknown", false)]
    [InlineData(OcppVersion.Ocpp16, "TriggerMessage", "NotImplemented", false)]
    [InlineData(OcppVersion.Ocpp16, "ExtendedTriggerMessage", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp16, "ReserveNow", "Occupied", false)]
    [InlineData(OcppVersion.Ocpp16, "CancelReservation", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp201, "RequestStopTransaction", "Rejected", false)]
    [InlineData(OcppVersion.Ocpp201, "Reset", "Scheduled", true)]
    [InlineData(OcppVersion.Ocpp201, "UnlockConnector", "OngoingAuthorizedTransaction", false)]
    [InlineData(OcppVersion.Ocpp201, "ChangeAvailability", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp201, "SetChargingProfile", "Rejected", false)]
    [InlineData(OcppVersion.Ocpp21, "UnlockConnector", "Unlocked", true)]
    [InlineData(OcppVersion.Ocpp21, "UnlockConnector", "UnknownConnector", false)]
    [InlineData(OcppVersion.Ocpp21, "ReserveNow", "Faulted", false)]
    [InlineData(OcppVersion.Ocpp21, "TriggerMessage", "Accepted", true)]
    [InlineData(OcppVersion.Ocpp21, "ClearChargingProfile", "Accepted", true)]
    public void ReadAnswer_KeepsTheChargersStatusAndSaysWhetherItTookTheCommand(OcppVersion version, string action, string status, bool accepted)
    {
        byte[] payload = ValidResponse(version, action, $$"""{"status":"{{status}}"}""");

        CommandAnswer answer = ChargerCommands.ReadAnswer(version, action, payload);

        Assert.Equal(status, answer.Status);
        Assert.Equal(accepted, answer.Accepted);
        Assert.Null(answer.StatusInfo);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadAnswer_On2x_CarriesTheStatusInfoReason(OcppVersion version)
    {
        byte[] payload = ValidResponse(version, "ChangeAvailability",
            """{"status":"Rejected","statusInfo":{"reasonCode":"TxInProgress","additionalInfo":"EVSE 1 is charging"}}""");

        CommandAnswer answer = ChargerCommands.ReadAnswer(version, "ChangeAvailability", payload);

        Assert.False(answer.Accepted);
        Assert.Equal(new CommandStatusInfo("TxInProgress", "EVSE 1 is charging"), answer.StatusInfo);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadAnswer_ForAStartOnABusyEvse_ReturnsTheRunningTransactionId(OcppVersion version)
    {
        byte[] payload = ValidResponse(version, "RequestStartTransaction", """{"status":"Accepted","transactionId":"tx-77"}""");

        CommandAnswer answer = ChargerCommands.ReadAnswer(version, "RequestStartTransaction", payload);

        Assert.True(answer.Accepted);
        Assert.Equal("tx-77", answer.TransactionId);
    }

    [Fact]
    public void ReadAnswer_For16GetConfiguration_ListsKeysAndUnknownKeys()
    {
        byte[] payload = ValidResponse(OcppVersion.Ocpp16, "GetConfiguration", """
            {"configurationKey":[
                {"key":"HeartbeatInterval","readonly":false,"value":"300"},
                {"key":"NumberOfConnectors","readonly":true,"value":"2"},
                {"key":"AuthorizationKey","readonly":false}],
             "unknownKey":["NoSuchKey"]}
            """);

        CommandAnswer answer = ChargerCommands.ReadAnswer(OcppVersion.Ocpp16, "GetConfiguration", payload);

        Assert.Equal("Accepted", answer.Status);
        Assert.True(answer.Accepted);
        Assert.Equal(
            [
                new ConfigurationSetting("HeartbeatInterval", "300", ReadOnly: false),
                new ConfigurationSetting("NumberOfConnectors", "2", ReadOnly: true),
                new ConfigurationSetting("AuthorizationKey", null, ReadOnly: false),
            ],
            answer.Settings);
        Assert.Equal(["NoSuchKey"], answer.UnknownKeys);
        Assert.Empty(answer.KeyResults!);
    }

    [Fact]
    public void ReadAnswer_For16GetConfigurationWithNothing_IsAnEmptyAcceptedList()
    {
        CommandAnswer answer = ChargerCommands.ReadAnswer(OcppVersion.Ocpp16, "GetConfiguration", ValidResponse(OcppVersion.Ocpp16, "GetConfiguration", "{}"));

        Assert.True(answer.Accepted);
        Assert.Empty(answer.Settings!);
        Assert.Empty(answer.UnknownKeys!);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadAnswer_For2xGetVariables_SortsResultsIntoSettingsUnknownAndRefusedKeys(OcppVersion version)
    {
        byte[] payload = ValidResponse(version, "GetVariables", """
            {"getVariableResult":[
                {"attributeStatus":"Accepted","attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},
                {"attributeStatus":"Accepted","attributeValue":"30","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"MessageTimeout","instance":"Default"}},
                {"attributeStatus":"UnknownVariable","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"Nope"}},
                {"attributeStatus":"UnknownComponent","component":{"name":"NoCtrlr"},"variable":{"name":"X"}},
                {"attributeStatus":"NotSupportedAttributeType","component":{"name":"TxCtrlr"},"variable":{"name":"EVConnectionTimeOut"}},
                {"attributeStatus":"Rejected","attributeStatusInfo":{"reasonCode":"WriteOnly"},"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}
            """);

        CommandAnswer answer = ChargerCommands.ReadAnswer(version, "GetVariables", payload);

        Assert.Equal("Accepted", answer.Status);
        Assert.True(answer.Accepted);
        Assert.Equal(
            [
                new ConfigurationSetting("OCPPCommCtrlr.HeartbeatInterval", "300", ReadOnly: null),
                new ConfigurationSetting("OCPPCommCtrlr.MessageTimeout.Default", "30", ReadOnly: null),
            ],
            answer.Settings);
        Assert.Equal(["OCPPCommCtrlr.Nope", "NoCtrlr.X", "TxCtrlr.EVConnectionTimeOut"], answer.UnknownKeys);
        ConfigurationKeyResult refused = Assert.Single(answer.KeyResults!);
        Assert.Equal(new ConfigurationKeyResult("SecurityCtrlr.BasicAuthPassword", "Rejected", false, new CommandStatusInfo("WriteOnly", null)), refused);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadAnswer_For2xSetVariables_GivesEveryKeyAndAPartialSummary(OcppVersion version)
    {
        byte[] payload = ValidResponse(version, "SetVariables", """
            {"setVariableResult":[
                {"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},
                {"attributeStatus":"RebootRequired","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"MessageTimeout","instance":"Default"}},
                {"attributeStatus":"Rejected","attributeStatusInfo":{"reasonCode":"ValueOutOfRange"},"component":{"name":"TxCtrlr"},"variable":{"name":"EVConnectionTimeOut"}}]}
            """);

        CommandAnswer answer = ChargerCommands.ReadAnswer(version, "SetVariables", payload);

        Assert.Equal(ChargerCommands.PartiallyAccepted, answer.Status);
        Assert.False(answer.Accepted);
        Assert.Equal(
            [
                new ConfigurationKeyResult("OCPPCommCtrlr.HeartbeatInterval", "Accepted", true),
                new ConfigurationKeyResult("OCPPCommCtrlr.MessageTimeout.Default", "RebootRequired", true),
                new ConfigurationKeyResult("TxCtrlr.EVConnectionTimeOut", "Rejected", false, new CommandStatusInfo("ValueOutOfRange", null)),
            ],
            answer.KeyResults);
    }

    [Fact]
    public void ReadChangeConfigurationAnswers_On16_PairsEachAnswerWithItsKey()
    {
        ChangeConfigurationRequest request = Settings("HeartbeatInterval", "WebSocketPingInterval", "LocalAuthListEnabled");
        OcppCallResult[] results =
        [
            Completed(OcppVersion.Ocpp16, "ChangeConfiguration", """{"status":"Accepted"}"""),
            Completed(OcppVersion.Ocpp16, "ChangeConfiguration", """{"status":"RebootRequired"}"""),
            Completed(OcppVersion.Ocpp16, "ChangeConfiguration", """{"status":"NotSupported"}"""),
        ];

        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(OcppVersion.Ocpp16, request, results);

        Assert.Equal(ChargerCommands.PartiallyAccepted, answer.Status);
        Assert.False(answer.Accepted);
        Assert.Equal(
            [
                new ConfigurationKeyResult("HeartbeatInterval", "Accepted", true),
                new ConfigurationKeyResult("WebSocketPingInterval", "RebootRequired", true),
                new ConfigurationKeyResult("LocalAuthListEnabled", "NotSupported", false),
            ],
            answer.KeyResults);
    }

    [Fact]
    public void ReadChangeConfigurationAnswers_On16_WhenAllTakeAndOneNeedsAReboot_SaysRebootRequired()
    {
        OcppCallResult[] results =
        [
            Completed(OcppVersion.Ocpp16, "ChangeConfiguration", """{"status":"Accepted"}"""),
            Completed(OcppVersion.Ocpp16, "ChangeConfiguration", """{"status":"RebootRequired"}"""),
        ];

        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(OcppVersion.Ocpp16, Settings("A", "B"), results);

        Assert.Equal("RebootRequired", answer.Status);
        Assert.True(answer.Accepted);
    }

    [Fact]
    public void ReadChangeConfigurationAnswers_On16_MarksAKeyWhoseCallFailed()
    {
        OcppCallResult[] results =
        [
            new OcppCallResult(OcppCallStatus.CallError, ErrorCode: "NotImplemented", ErrorDescription: "no"),
            new OcppCallResult(OcppCallStatus.Timeout),
        ];

        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(OcppVersion.Ocpp16, Settings("A", "B"), results);

        Assert.Equal("Rejected", answer.Status);
        Assert.False(answer.Accepted);
        Assert.Equal(
            [
                new ConfigurationKeyResult("A", "CallError", false, new CommandStatusInfo("NotImplemented", "no")),
                new ConfigurationKeyResult("B", "Timeout", false),
            ],
            answer.KeyResults);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadChangeConfigurationAnswers_On2x_ReadsTheSingleSetVariablesAnswer(OcppVersion version)
    {
        OcppCallResult result = Completed(version, "SetVariables", """
            {"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}
            """);

        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(version, Settings("OCPPCommCtrlr.HeartbeatInterval"), [result]);

        Assert.Equal("Accepted", answer.Status);
        Assert.True(answer.Accepted);
        Assert.Equal([new ConfigurationKeyResult("OCPPCommCtrlr.HeartbeatInterval", "Accepted", true)], answer.KeyResults);
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ReadChangeConfigurationAnswers_On2xOffline_MarksEveryKey(OcppVersion version)
    {
        CommandAnswer answer = ChargerCommands.ReadChangeConfigurationAnswers(
            version, Settings("A.B", "C.D"), [new OcppCallResult(OcppCallStatus.Offline)]);

        Assert.Equal("Rejected", answer.Status);
        Assert.Equal(["Offline", "Offline"], answer.KeyResults!.Select(r => r.Status));
    }

    [Fact]
    public void ReadChangeConfigurationAnswers_WithTheWrongNumberOfResults_IsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(
            () => ChargerCommands.ReadChangeConfigurationAnswers(OcppVersion.Ocpp16, Settings("A", "B"), [new OcppCallResult(OcppCallStatus.Timeout)]));
    }

    [Fact]
    public void ReadAnswer_WithoutAStatus_Throws()
    {
        Assert.Throws<JsonException>(() => ChargerCommands.ReadAnswer(OcppVersion.Ocpp16, "Reset", "{}"u8));
    }

    private static ChangeConfigurationRequest Settings(params string[] keys) =>
        new() { Settings = [.. keys.Select(k => new ConfigurationValue { Key = k, Value = "1" })] };

    private static OcppCallResult Completed(OcppVersion version, string action, string json) =>
        new(OcppCallStatus.Completed, ValidResponse(version, action, json));
}

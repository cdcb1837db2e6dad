using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpp;
using static EvCloud.Fast.Commands.Tests.OcppSchemaAssert;

namespace EvCloud.Fast.Commands.Tests;

public sealed class ChargerCommandsRequestTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(1));

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void StartCharging_WithOnlyAnIdTag_IsAValidRemoteStartForEveryVersion(OcppVersion version)
    {
        OcppCommand command = ChargerCommands.StartCharging(version, new StartChargingRequest { IdTag = "04A1B2C3" }, remoteStartId: 7);

        JsonElement payload = ValidRequest(version, command);
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal("RemoteStartTransaction", command.Action);
            Assert.Equal("04A1B2C3", payload.GetProperty("idTag").GetString());
            Assert.False(payload.TryGetProperty("connectorId", out _));
        }
        else
        {
            Assert.Equal("RequestStartTransaction", command.Action);
            Assert.Equal(7, payload.GetProperty("remoteStartId").GetInt32());
            Assert.Equal("04A1B2C3", payload.GetProperty("idToken").GetProperty("idToken").GetString());
            Assert.Equal("Central", payload.GetProperty("idToken").GetProperty("type").GetString());
            Assert.False(payload.TryGetProperty("evseId", out _));
        }
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void StartCharging_WithAConnectorAndALimit_SendsATxProfileThatStartsWithTheTransaction(OcppVersion version)
    {
        var request = new StartChargingRequest
        {
            IdTag = "04A1B2C3",
            ConnectorId = 2,
            IdTokenType = "ISO14443",
            ChargingLimit = new ChargingLimit { Limit = 16.25m, Unit = "A" },
        };

        JsonElement payload = ValidRequest(version, ChargerCommands.StartCharging(version, request, remoteStartId: 42));

        JsonElement profile = payload.GetProperty("chargingProfile");
        Assert.Equal("TxProfile", profile.GetProperty("chargingProfilePurpose").GetString());
        Assert.Equal("Relative", profile.GetProperty("chargingProfileKind").GetString());
        Assert.Equal(0, profile.GetProperty("stackLevel").GetInt32());
        JsonElement schedule;
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(2, payload.GetProperty("connectorId").GetInt32());
            Assert.Equal(42, profile.GetProperty("chargingProfileId").GetInt32());
            schedule = profile.GetProperty("chargingSchedule");
        }
        else
        {
            Assert.Equal(2, payload.GetProperty("evseId").GetInt32());
            Assert.Equal("ISO14443", payload.GetProperty("idToken").GetProperty("type").GetString());
            Assert.Equal(42, profile.GetProperty("id").GetInt32());
            schedule = Assert.Single(profile.GetProperty("chargingSchedule").EnumerateArray());
            Assert.Equal(42, schedule.GetProperty("id").GetInt32());
        }

        Assert.False(schedule.TryGetProperty("startSchedule", out _));
        Assert.Equal("A", schedule.GetProperty("chargingRateUnit").GetString());
        JsonElement period = Assert.Single(schedule.GetProperty("chargingSchedulePeriod").EnumerateArray());
        Assert.Equal(0, period.GetProperty("startPeriod").GetInt32());
        Assert.Equal(version == OcppVersion.Ocpp16 ? 16.2m : 16.25m, period.GetProperty("limit").GetDecimal());
    }

    [Fact]
    public void StartCharging_On21_AcceptsAnIdTokenTypeOutsideThe201Enumeration()
    {
        var request = new StartChargingRequest { IdTag = "DE*ABC*C12345678*9", IdTokenType = "EMAID-Custom" };

        JsonElement payload = ValidRequest(OcppVersion.Ocpp21, ChargerCommands.StartCharging(OcppVersion.Ocpp21, request, 1));

        Assert.Equal("EMAID-Custom", payload.GetProperty("idToken").GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void StopCharging_FormatsTheTransactionIdAsEachVersionTypesIt(OcppVersion version)
    {
        OcppCommand command = ChargerCommands.StopCharging(version, new StopChargingRequest { TransactionId = "123456" });

        JsonElement payload = ValidRequest(version, command);
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal("RemoteStopTransaction", command.Action);
            Assert.Equal(JsonValueKind.Number, payload.GetProperty("transactionId").ValueKind);
            Assert.Equal(123456, payload.GetProperty("transactionId").GetInt32());
        }
        else
        {
            Assert.Equal("RequestStopTransaction", command.Action);
            Assert.Equal("123456", payload.GetProperty("transactionId").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void StopCharging_On2x_KeepsAUuidTransactionId(OcppVersion version)
    {
        const string Uuid = "0b7b5f5e-6d1c-4c36-9a55-0d1e7f3c2a91";

        JsonElement payload = ValidRequest(version, ChargerCommands.StopCharging(version, new StopChargingRequest { TransactionId = Uuid }));

        Assert.Equal(Uuid, payload.GetProperty("transactionId").GetString());
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "Soft", "Soft")]
    [InlineData(OcppVersion.Ocpp16, "Hard", "Hard")]
    [InlineData(OcppVersion.Ocpp201, "Soft", "OnIdle")]
    [InlineData(OcppVersion.Ocpp201, "Hard", "Immediate")]
    [InlineData(OcppVersion.Ocpp21, "Soft", "OnIdle")]
    [InlineData(OcppVersion.Ocpp21, "Hard", "Immediate")]
    public void Reset_MapsSoftToOnIdleAndHardToImmediateOn2x(OcppVersion version, string type, string expected)
    {
        OcppCommand command = ChargerCommands.Reset(version, new ResetRequest { Type = type });

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("Reset", command.Action);
        Assert.Equal(expected, payload.GetProperty("type").GetString());
        Assert.False(payload.TryGetProperty("evseId", out _));
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void Reset_On2x_CanTargetOneEvse(OcppVersion version)
    {
        JsonElement payload = ValidRequest(version, ChargerCommands.Reset(version, new ResetRequest { Type = "Hard", EvseId = 2 }));

        Assert.Equal(2, payload.GetProperty("evseId").GetInt32());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void UnlockConnector_WithOnlyAConnector_UnlocksConnectorOneOfThatEvseOn2x(OcppVersion version)
    {
        JsonElement payload = ValidRequest(version, ChargerCommands.UnlockConnector(version, new UnlockConnectorRequest { ConnectorId = 3 }));

        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(3, payload.GetProperty("connectorId").GetInt32());
            Assert.False(payload.TryGetProperty("evseId", out _));
        }
        else
        {
            Assert.Equal(3, payload.GetProperty("evseId").GetInt32());
            Assert.Equal(1, payload.GetProperty("connectorId").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void UnlockConnector_WithAnEvse_SendsBothIds(OcppVersion version)
    {
        var request = new UnlockConnectorRequest { EvseId = 1, ConnectorId = 2 };

        JsonElement payload = ValidRequest(version, ChargerCommands.UnlockConnector(version, request));

        Assert.Equal(1, payload.GetProperty("evseId").GetInt32());
        Assert.Equal(2, payload.GetProperty("connectorId").GetInt32());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void SetAvailability_WithoutAConnector_AddressesTheWholeCharger(OcppVersion version)
    {
        OcppCommand command = ChargerCommands.SetAvailability(version, new SetAvailabilityRequest { Operative = false });

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("ChangeAvailability", command.Action);
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(0, payload.GetProperty("connectorId").GetInt32());
            Assert.Equal("Inoperative", payload.GetProperty("type").GetString());
        }
        else
        {
            Assert.False(payload.TryGetProperty("evse", out _));
            Assert.Equal("Inoperative", payload.GetProperty("operationalStatus").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void SetAvailability_WithAConnector_AddressesThatConnectorOrEvse(OcppVersion version)
    {
        var request = new SetAvailabilityRequest { ConnectorId = 2, Operative = true };

        JsonElement payload = ValidRequest(version, ChargerCommands.SetAvailability(version, request));

        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(2, payload.GetProperty("connectorId").GetInt32());
            Assert.Equal("Operative", payload.GetProperty("type").GetString());
        }
        else
        {
            Assert.Equal(2, payload.GetProperty("evse").GetProperty("id").GetInt32());
            Assert.Equal("Operative", payload.GetProperty("operationalStatus").GetString());
        }
    }

    [Fact]
    public void GetConfiguration_On16_WithoutKeys_AsksForEveryKey()
    {
        OcppCommand command = ChargerCommands.GetConfiguration(OcppVersion.Ocpp16, new GetConfigurationRequest());

        JsonElement payload = ValidRequest(OcppVersion.Ocpp16, command);
        Assert.Equal("GetConfiguration", command.Action);
        Assert.False(payload.TryGetProperty("key", out _));
    }

    [Fact]
    public void GetConfiguration_On16_WithKeys_ListsThem()
    {
        var request = new GetConfigurationRequest { Keys = ["HeartbeatInterval", "MeterValueSampleInterval"] };

        JsonElement payload = ValidRequest(OcppVersion.Ocpp16, ChargerCommands.GetConfiguration(OcppVersion.Ocpp16, request));

        Assert.Equal(["HeartbeatInterval", "MeterValueSampleInterval"], payload.GetProperty("key").EnumerateArray().Select(k => k.GetString()));
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void GetConfiguration_On2x_ReadsComponentVariablesWithOptionalInstance(OcppVersion version)
    {
        var request = new GetConfigurationRequest { Keys = ["OCPPCommCtrlr.HeartbeatInterval", "OCPPCommCtrlr.MessageTimeout.Default"] };

        OcppCommand command = ChargerCommands.GetConfiguration(version, request);

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("GetVariables", command.Action);
        JsonElement[] data = [.. payload.GetProperty("getVariableData").EnumerateArray()];
        Assert.Equal(2, data.Length);
        Assert.Equal("OCPPCommCtrlr", data[0].GetProperty("component").GetProperty("name").GetString());
        Assert.Equal("HeartbeatInterval", data[0].GetProperty("variable").GetProperty("name").GetString());
        Assert.False(data[0].GetProperty("variable").TryGetProperty("instance", out _));
        Assert.Equal("MessageTimeout", data[1].GetProperty("variable").GetProperty("name").GetString());
        Assert.Equal("Default", data[1].GetProperty("variable").GetProperty("instance").GetString());
    }

    [Fact]
    public void ChangeConfiguration_On16_SendsOneCallPerKeyInRequestOrder()
    {
        var request = new ChangeConfigurationRequest
        {
            Settings = [new ConfigurationValue { Key = "HeartbeatInterval", Value = "300" }, new ConfigurationValue { Key = "AuthorizeRemoteTxRequests", Value = "false" }],
        };

        IReadOnlyList<OcppCommand> commands = ChargerCommands.ChangeConfiguration(OcppVersion.Ocpp16, request);

        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Equal("ChangeConfiguration", c.Action));
        JsonElement first = ValidRequest(OcppVersion.Ocpp16, commands[0]);
        JsonElement second = ValidRequest(OcppVersion.Ocpp16, commands[1]);
        Assert.Equal("HeartbeatInterval", first.GetProperty("key").GetString());
        Assert.Equal("300", first.GetProperty("value").GetString());
        Assert.Equal("AuthorizeRemoteTxRequests", second.GetProperty("key").GetString());
        Assert.Equal("false", second.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void ChangeConfiguration_On2x_SendsOneSetVariablesForAllKeys(OcppVersion version)
    {
        var request = new ChangeConfigurationRequest
        {
            Settings = [new ConfigurationValue { Key = "OCPPCommCtrlr.HeartbeatInterval", Value = "300" }, new ConfigurationValue { Key = "TxCtrlr.EVConnectionTimeOut.Default", Value = "" }],
        };

        OcppCommand command = Assert.Single(ChargerCommands.ChangeConfiguration(version, request));

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("SetVariables", command.Action);
        JsonElement[] data = [.. payload.GetProperty("setVariableData").EnumerateArray()];
        Assert.Equal("300", data[0].GetProperty("attributeValue").GetString());
        Assert.Equal("OCPPCommCtrlr", data[0].GetProperty("component").GetProperty("name").GetString());
        Assert.Equal("HeartbeatInterval", data[0].GetProperty("variable").GetProperty("name").GetString());
        Assert.Equal("", data[1].GetProperty("attributeValue").GetString());
        Assert.Equal("Default", data[1].GetProperty("variable").GetProperty("instance").GetString());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void SetChargingLimit_SendsAnAbsoluteTxDefaultProfileStartingNow(OcppVersion version)
    {
        var request = new SetChargingLimitRequest { Limit = 11000m, Unit = "W" };

        OcppCommand command = ChargerCommands.SetChargingLimit(version, request, Now);

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("SetChargingProfile", command.Action);
        JsonElement profile;
        JsonElement schedule;
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(0, payload.GetProperty("connectorId").GetInt32());
            profile = payload.GetProperty("csChargingProfiles");
            Assert.Equal(ChargerCommands.DefaultChargingLimitProfileId, profile.GetProperty("chargingProfileId").GetInt32());
            schedule = profile.GetProperty("chargingSchedule");
        }
        else
        {
            Assert.Equal(0, payload.GetProperty("evseId").GetInt32());
            profile = payload.GetProperty("chargingProfile");
            Assert.Equal(ChargerCommands.DefaultChargingLimitProfileId, profile.GetProperty("id").GetInt32());
            schedule = Assert.Single(profile.GetProperty("chargingSchedule").EnumerateArray());
            Assert.Equal(ChargerCommands.DefaultChargingLimitProfileId, schedule.GetProperty("id").GetInt32());
        }

        Assert.Equal("TxDefaultProfile", profile.GetProperty("chargingProfilePurpose").GetString());
        Assert.Equal("Absolute", profile.GetProperty("chargingProfileKind").GetString());
        Assert.Equal(0, profile.GetProperty("stackLevel").GetInt32());
        Assert.Equal("2025-03-14T14:09:26Z", schedule.GetProperty("startSchedule").GetString());
        Assert.Equal("W", schedule.GetProperty("chargingRateUnit").GetString());
        JsonElement period = Assert.Single(schedule.GetProperty("chargingSchedulePeriod").EnumerateArray());
        Assert.Equal(0, period.GetProperty("startPeriod").GetInt32());
        Assert.Equal(11000m, period.GetProperty("limit").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void SetChargingLimit_OnOneConnector_UsesTheGivenProfileIdAndStackLevel(OcppVersion version)
    {
        var request = new SetChargingLimitRequest { ConnectorId = 1, Limit = 6.05m, Unit = "A", ProfileId = 5, StackLevel = 3 };

        JsonElement payload = ValidRequest(version, ChargerCommands.SetChargingLimit(version, request, Now));

        JsonElement profile = version == OcppVersion.Ocpp16 ? payload.GetProperty("csChargingProfiles") : payload.GetProperty("chargingProfile");
        Assert.Equal(1, payload.GetProperty(version == OcppVersion.Ocpp16 ? "connectorId" : "evseId").GetInt32());
        Assert.Equal(5, profile.GetProperty(version == OcppVersion.Ocpp16 ? "chargingProfileId" : "id").GetInt32());
        Assert.Equal(3, profile.GetProperty("stackLevel").GetInt32());
        JsonElement schedule = version == OcppVersion.Ocpp16
            ? profile.GetProperty("chargingSchedule")
            : profile.GetProperty("chargingSchedule")[0];
        decimal limit = schedule.GetProperty("chargingSchedulePeriod")[0].GetProperty("limit").GetDecimal();
        Assert.Equal(version == OcppVersion.Ocpp16 ? 6.0m : 6.05m, limit);
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void ClearChargingLimit_WithAProfileId_RemovesExactlyThatProfile(OcppVersion version)
    {
        OcppCommand command = ChargerCommands.ClearChargingLimit(version, new ClearChargingLimitRequest { ProfileId = 5 });

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("ClearChargingProfile", command.Action);
        Assert.Equal(5, payload.GetProperty(version == OcppVersion.Ocpp16 ? "id" : "chargingProfileId").GetInt32());
        Assert.Single(payload.EnumerateObject());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void ClearChargingLimit_WithAConnector_RemovesTheDefaultProfilesThere(OcppVersion version)
    {
        JsonElement payload = ValidRequest(version, ChargerCommands.ClearChargingLimit(version, new ClearChargingLimitRequest { ConnectorId = 2 }));

        JsonElement criteria = version == OcppVersion.Ocpp16 ? payload : payload.GetProperty("chargingProfileCriteria");
        Assert.Equal(2, criteria.GetProperty(version == OcppVersion.Ocpp16 ? "connectorId" : "evseId").GetInt32());
        Assert.Equal("TxDefaultProfile", criteria.GetProperty("chargingProfilePurpose").GetString());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void ClearChargingLimit_WithNothing_RemovesEveryDefaultProfile(OcppVersion version)
    {
        JsonElement payload = ValidRequest(version, ChargerCommands.ClearChargingLimit(version, new ClearChargingLimitRequest()));

        JsonElement criteria = version == OcppVersion.Ocpp16 ? payload : payload.GetProperty("chargingProfileCriteria");
        Assert.Equal("TxDefaultProfile", Assert.Single(criteria.EnumerateObject()).Value.GetString());
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "BootNotification", "TriggerMessage", "BootNotification")]
    [InlineData(OcppVersion.Ocpp16, "Heartbeat", "TriggerMessage", "Heartbeat")]
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "TriggerMessage", "StatusNotification")]
    [InlineData(OcppVersion.Ocpp16, "MeterValues", "TriggerMessage", "MeterValues")]
    [InlineData(OcppVersion.Ocpp16, "FirmwareStatusNotification", "TriggerMessage", "FirmwareStatusNotification")]
    [InlineData(OcppVersion.Ocpp16, "DiagnosticsStatusNotification", "TriggerMessage", "DiagnosticsStatusNotification")]
    [InlineData(OcppVersion.Ocpp16, "LogStatusNotification", "ExtendedTriggerMessage", "LogStatusNotification")]
    [InlineData(OcppVersion.Ocpp16, "SignChargePointCertificate", "ExtendedTriggerMessage", "SignChargePointCertificate")]
    [InlineData(OcppVersion.Ocpp16, "SignChargingStationCertificate", "ExtendedTriggerMessage", "SignChargePointCertificate")]
    [InlineData(OcppVersion.Ocpp201, "BootNotification", "TriggerMessage", "BootNotification")]
    [InlineData(OcppVersion.Ocpp201, "Heartbeat", "TriggerMessage", "Heartbeat")]
    [InlineData(OcppVersion.Ocpp201, "StatusNotification", "TriggerMessage", "StatusNotification")]
    [InlineData(OcppVersion.Ocpp201, "MeterValues", "TriggerMessage", "MeterValues")]
    [InlineData(OcppVersion.Ocpp201, "FirmwareStatusNotification", "TriggerMessage", "FirmwareStatusNotification")]
    [InlineData(OcppVersion.Ocpp201, "DiagnosticsStatusNotification", "TriggerMessage", "LogStatusNotification")]
    [InlineData(OcppVersion.Ocpp201, "LogStatusNotification", "TriggerMessage", "LogStatusNotification")]
    [InlineData(OcppVersion.Ocpp201, "SignChargePointCertificate", "TriggerMessage", "SignChargingStationCertificate")]
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", "TriggerMessage", "TransactionEvent")]
    [InlineData(OcppVersion.Ocpp201, "PublishFirmwareStatusNotification", "TriggerMessage", "PublishFirmwareStatusNotification")]
    [InlineData(OcppVersion.Ocpp21, "DiagnosticsStatusNotification", "TriggerMessage", "LogStatusNotification")]
    [InlineData(OcppVersion.Ocpp21, "SignV2GCertificate", "TriggerMessage", "SignV2GCertificate")]
    [InlineData(OcppVersion.Ocpp21, "SignV2G20Certificate", "TriggerMessage", "SignV2G20Certificate")]
    [InlineData(OcppVersion.Ocpp21, "SignCombinedCertificate", "TriggerMessage", "SignCombinedCertificate")]
    public void TriggerMessage_MapsMessageNamesAcrossVersions(OcppVersion version, string message, string action, string requested)
    {
        OcppCommand command = ChargerCommands.TriggerMessage(version, new TriggerMessageRequest { Message = message });

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal(action, command.Action);
        Assert.Equal(requested, payload.GetProperty("requestedMessage").GetString());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void TriggerMessage_ForAConnector_AddressesItOrItsEvse(OcppVersion version)
    {
        var request = new TriggerMessageRequest { Message = "StatusNotification", ConnectorId = 2 };

        JsonElement payload = ValidRequest(version, ChargerCommands.TriggerMessage(version, request));

        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(2, payload.GetProperty("connectorId").GetInt32());
        }
        else
        {
            Assert.Equal(2, payload.GetProperty("evse").GetProperty("id").GetInt32());
            Assert.False(payload.GetProperty("evse").TryGetProperty("connectorId", out _));
        }
    }

    [Theory]
    [MemberData(nameof(Ocpp2Versions), MemberType = typeof(OcppSchemaAssert))]
    public void TriggerMessage_On2x_WithAnEvseAndConnector_SendsBoth(OcppVersion version)
    {
        var request = new TriggerMessageRequest { Message = "StatusNotification", EvseId = 1, ConnectorId = 2 };

        JsonElement evse = ValidRequest(version, ChargerCommands.TriggerMessage(version, request)).GetProperty("evse");

        Assert.Equal(1, evse.GetProperty("id").GetInt32());
        Assert.Equal(2, evse.GetProperty("connectorId").GetInt32());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void ReserveNow_WritesTheExpiryInUtcAndTheParentTagAsGroupToken(OcppVersion version)
    {
        var request = new ReserveNowRequest
        {
            ConnectorId = 1,
            IdTag = "04A1B2C3",
            ParentIdTag = "FLEET-1",
            ExpiresAt = Now,
            ReservationId = 99,
        };

        OcppCommand command = ChargerCommands.ReserveNow(version, request);

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("ReserveNow", command.Action);
        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(1, payload.GetProperty("connectorId").GetInt32());
            Assert.Equal("2025-03-14T14:09:26Z", payload.GetProperty("expiryDate").GetString());
            Assert.Equal("04A1B2C3", payload.GetProperty("idTag").GetString());
            Assert.Equal("FLEET-1", payload.GetProperty("parentIdTag").GetString());
            Assert.Equal(99, payload.GetProperty("reservationId").GetInt32());
        }
        else
        {
            Assert.Equal(1, payload.GetProperty("evseId").GetInt32());
            Assert.Equal("2025-03-14T14:09:26Z", payload.GetProperty("expiryDateTime").GetString());
            Assert.Equal("04A1B2C3", payload.GetProperty("idToken").GetProperty("idToken").GetString());
            Assert.Equal("FLEET-1", payload.GetProperty("groupIdToken").GetProperty("idToken").GetString());
            Assert.Equal("Central", payload.GetProperty("groupIdToken").GetProperty("type").GetString());
            Assert.Equal(99, payload.GetProperty("id").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void ReserveNow_WithoutAConnector_ReservesAnyConnector(OcppVersion version)
    {
        var request = new ReserveNowRequest { IdTag = "04A1B2C3", ExpiresAt = Now, ReservationId = 0 };

        JsonElement payload = ValidRequest(version, ChargerCommands.ReserveNow(version, request));

        if (version == OcppVersion.Ocpp16)
        {
            Assert.Equal(0, payload.GetProperty("connectorId").GetInt32());
        }
        else
        {
            Assert.False(payload.TryGetProperty("evseId", out _));
            Assert.False(payload.TryGetProperty("groupIdToken", out _));
        }
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(OcppSchemaAssert))]
    public void CancelReservation_SendsTheReservationId(OcppVersion version)
    {
        OcppCommand command = ChargerCommands.CancelReservation(version, new CancelReservationRequest { ReservationId = 99 });

        JsonElement payload = ValidRequest(version, command);
        Assert.Equal("CancelReservation", command.Action);
        Assert.Equal(99, payload.GetProperty("reservationId").GetInt32());
    }
}

public sealed class OcppSchemaAssertTests
{
    [Fact]
    public void ValidRequest_CatchesA16LimitThatIsNotAMultipleOfATenth()
    {
        var command = new OcppCommand(
            "SetChargingProfile",
            """{"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.25}]}}}"""u8.ToArray());

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ValidRequest(OcppVersion.Ocpp16, command));
    }

    [Fact]
    public void ValidRequest_CatchesA2xOnlyFieldIn16()
    {
        var command = new OcppCommand("Reset", """{"type":"Hard","evseId":1}"""u8.ToArray());

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ValidRequest(OcppVersion.Ocpp16, command));
    }
}

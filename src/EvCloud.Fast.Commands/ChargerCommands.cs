using System.Globalization;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;
using V16 = EvCloud.Fast.Ocpp.Messages.Generated.V16;
using V201 = EvCloud.Fast.Ocpp.Messages.Generated.V201;
using V21 = EvCloud.Fast.Ocpp.Messages.Generated.V21;

namespace EvCloud.Fast.Commands;

/// <summary>
/// Translates version-neutral command requests into the CALL each OCPP version expects, so the REST API offers one call
/// per operation whatever the charger speaks. Pure functions: no I/O, no clock (the caller passes <c>now</c> where a
/// schedule needs one), no ids allocated here (the caller passes <c>remoteStartId</c>).
/// </summary>
/// <remarks>
/// Every payload is a record generated from the official request schema of its version
/// (<c>EvCloud.Fast.Ocpp.Messages.Generated</c>), so a misspelt property or enum value does not compile, and the tests
/// still validate each against <c>OcppSchemaSet</c>. Limits the schemas impose (string lengths, 1.6 integer transaction ids, 2.1's non-negative
/// ids) are checked here so that the REST client gets a <see cref="CommandRequestException"/> naming its field
/// instead of a schema violation from the gateway. Dates are written as RFC 3339 UTC with a <c>Z</c> and whole seconds.
/// </remarks>
public static partial class ChargerCommands
{
    /// <summary>
    /// The profile id <see cref="SetChargingLimit"/> uses when the request names none. Fixed, so a new limit replaces
    /// the previous one (1.6 §5.16 and 2.0.1 K01: a profile with the same id replaces the installed one), and
    /// high, so it stays clear of the per-start <c>TxProfile</c> ids <see cref="StartCharging"/> derives from
    /// <c>remoteStartId</c>.
    /// </summary>
    public const int DefaultChargingLimitProfileId = 1_000_000_000;

    private const int Ocpp16IdTagMaxLength = 20;
    private const int Ocpp16KeyMaxLength = 50;
    private const int Ocpp16ValueMaxLength = 500;
    private const int Ocpp2TransactionIdMaxLength = 36;
    private const int Ocpp21IdTokenTypeMaxLength = 20;
    private const string DefaultIdTokenType = "Central";

    // OCPP 2.0.1 Part 2 §2 IdTokenEnumType; 2.1 turned the type into a free string of at most 20 characters.
    private static readonly string[] Ocpp201IdTokenTypes =
        ["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"];

    /// <summary>
    /// Start a transaction remotely: 1.6 <c>RemoteStartTransaction</c> (§5.11), 2.x <c>RequestStartTransaction</c> (F01/F02).
    /// </summary>
    /// <param name="version">The charger's negotiated protocol.</param>
    /// <param name="request">The REST body.</param>
    /// <param name="remoteStartId">
    /// 2.x <c>remoteStartId</c>, which the station echoes in the <c>TransactionEvent</c> that starts the transaction;
    /// at least 0. Also the id of the <c>TxProfile</c> sent for <see cref="StartChargingRequest.ChargingLimit"/> (both
    /// versions), so allocate it from a sequence that does not collide with other charging profile ids.
    /// </param>
    /// <remarks>
    /// The limit becomes a <c>TxProfile</c> (the only purpose either version accepts in a remote start, 1.6 §5.11 and
    /// 2.0.1 F01) of kind <c>Relative</c> with one period at 0 s, i.e. in force from the transaction's start.
    /// </remarks>
    public static OcppCommand StartCharging(OcppVersion version, StartChargingRequest request, int remoteStartId)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        string idTag = RequireIdToken(version, request.IdTag, "idTag");
        string idTokenType = CheckIdTokenType(version, request.IdTokenType, "idTokenType");
        int? connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: false);
        if (remoteStartId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(remoteStartId), remoteStartId, "remoteStartId must not be negative.");
        }

        (decimal Limit, string Unit)? limit = null;
        if (request.ChargingLimit is { } chargingLimit)
        {
            limit = (RequireLimit(version, chargingLimit.Limit, "chargingLimit.limit"), RequireUnit(chargingLimit.Unit, "chargingLimit.unit"));
        }

        return version switch
        {
            OcppVersion.Ocpp16 => Command("RemoteStartTransaction", new RemoteStartTransactionRequest
            {
                ConnectorId = connectorId,
                IdTag = idTag,
                ChargingProfile = limit is var (value, unit) ? Profile16(remoteStartId, 0, txDefault: false, unit, value, null) : null,
            }, V16JsonContext.Default.RemoteStartTransactionRequest),
            OcppVersion.Ocpp201 => Command("RequestStartTransaction", new V201.RequestStartTransactionRequest
            {
                EvseId = connectorId,
                RemoteStartId = remoteStartId,
                IdToken = IdToken201(idTag, idTokenType),
                ChargingProfile = limit is var (value, unit) ? Profile201(remoteStartId, 0, txDefault: false, unit, value, null) : null,
            }, V201JsonContext.Default.RequestStartTransactionRequest),
            _ => Command("RequestStartTransaction", new V21.RequestStartTransactionRequest
            {
                EvseId = connectorId,
                RemoteStartId = remoteStartId,
                IdToken = IdToken21(idTag, idTokenType),
                ChargingProfile = limit is var (value, unit) ? Profile21(remoteStartId, 0, txDefault: false, unit, value, null) : null,
            }, V21JsonContext.Default.RequestStartTransactionRequest),
        };
    }

    /// <summary>
    /// Stop a transaction remotely: 1.6 <c>RemoteStopTransaction</c> (§5.12, integer <c>transactionId</c>), 2.x
    /// <c>RequestStopTransaction</c> (F03, string <c>transactionId</c>).
    /// </summary>
    public static OcppCommand StopCharging(OcppVersion version, StopChargingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        string transactionId = RequireText(request.TransactionId, "transactionId");
        if (version == OcppVersion.Ocpp16)
        {
            if (!int.TryParse(transactionId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
            {
                throw new CommandRequestException(
                    "transactionId",
                    $"transactionId '{transactionId}' is not an integer; OCPP 1.6 chargers identify transactions by the 32-bit integer from StartTransaction.conf.");
            }

            return Command("RemoteStopTransaction", new RemoteStopTransactionRequest { TransactionId = number },
                V16JsonContext.Default.RemoteStopTransactionRequest);
        }

        CheckLength(transactionId, Ocpp2TransactionIdMaxLength, "transactionId");
        return version == OcppVersion.Ocpp201
            ? Command("RequestStopTransaction", new V201.RequestStopTransactionRequest { TransactionId = transactionId },
                V201JsonContext.Default.RequestStopTransactionRequest)
            : Command("RequestStopTransaction", new V21.RequestStopTransactionRequest { TransactionId = transactionId },
                V21JsonContext.Default.RequestStopTransactionRequest);
    }

    /// <summary>
    /// Reboot the charger: 1.6 <c>Reset</c> (§5.14) Soft/Hard; 2.x <c>Reset</c> (B11/B12) with Soft sent as <c>OnIdle</c>
    /// (wait until no transaction is running, as a 1.6 Soft reset stops transactions gracefully first) and Hard as
    /// <c>Immediate</c> (stop transactions and reboot now).
    /// </summary>
    public static OcppCommand Reset(OcppVersion version, ResetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        bool hard = RequireText(request.Type, "type") switch
        {
            "Soft" => false,
            "Hard" => true,
            string other => throw new CommandRequestException("type", $"type '{other}' is not one of Soft, Hard."),
        };
        int? evseId = OptionalId(request.EvseId, "evseId", allowZero: true);
        if (version == OcppVersion.Ocpp16)
        {
            RejectOn16(evseId, "evseId", "OCPP 1.6 Reset always restarts the whole charge point");
            return Command("Reset", new V16.ResetRequest { Type = hard ? ResetType.Hard : ResetType.Soft }, V16JsonContext.Default.ResetRequest);
        }

        return version == OcppVersion.Ocpp201
            ? Command("Reset", new V201.ResetRequest
            {
                Type = hard ? V201.ResetEnumType.Immediate : V201.ResetEnumType.OnIdle,
                EvseId = evseId,
            }, V201JsonContext.Default.ResetRequest)
            : Command("Reset", new V21.ResetRequest
            {
                Type = hard ? V21.ResetEnumType.Immediate : V21.ResetEnumType.OnIdle,
                EvseId = evseId,
            }, V21JsonContext.Default.ResetRequest);
    }

    /// <summary>
    /// Release a connector's lock: 1.6 <c>UnlockConnector</c> (§5.18) <c>{connectorId}</c>; 2.x <c>UnlockConnector</c>
    /// (F05) <c>{evseId, connectorId}</c>. A 2.x request without <c>evseId</c> unlocks connector 1 of EVSE
    /// <c>connectorId</c> (see <see cref="UnlockConnectorRequest.ConnectorId"/>).
    /// </summary>
    public static OcppCommand UnlockConnector(OcppVersion version, UnlockConnectorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        int connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: false)
            ?? throw new CommandRequestException("connectorId", "connectorId is required.");
        int? evseId = OptionalId(request.EvseId, "evseId", allowZero: false);
        if (version == OcppVersion.Ocpp16)
        {
            RejectOn16(evseId, "evseId", "OCPP 1.6 numbers connectors across the whole charge point; send connectorId alone");
            return Command("UnlockConnector", new V16.UnlockConnectorRequest { ConnectorId = connectorId }, V16JsonContext.Default.UnlockConnectorRequest);
        }

        (int evse, int connector) = (evseId ?? connectorId, evseId is null ? 1 : connectorId);
        return version == OcppVersion.Ocpp201
            ? Command("UnlockConnector", new V201.UnlockConnectorRequest { EvseId = evse, ConnectorId = connector },
                V201JsonContext.Default.UnlockConnectorRequest)
            : Command("UnlockConnector", new V21.UnlockConnectorRequest { EvseId = evse, ConnectorId = connector },
                V21JsonContext.Default.UnlockConnectorRequest);
    }

    /// <summary>
    /// Put a connector or the whole charger in or out of service: 1.6 <c>ChangeAvailability</c> (§5.2)
    /// <c>{connectorId, type}</c>; 2.x <c>ChangeAvailability</c> (G03/G04) <c>{operationalStatus, evse?}</c>.
    /// </summary>
    public static OcppCommand SetAvailability(OcppVersion version, SetAvailabilityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        bool operative = request.Operative ?? throw new CommandRequestException("operative", "operative is required (true or false).");
        int connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: true) ?? 0;
        return version switch
        {
            OcppVersion.Ocpp16 => Command("ChangeAvailability", new V16.ChangeAvailabilityRequest
            {
                ConnectorId = connectorId,
                Type = operative ? ChangeAvailabilityType.Operative : ChangeAvailabilityType.Inoperative,
            }, V16JsonContext.Default.ChangeAvailabilityRequest),
            OcppVersion.Ocpp201 => Command("ChangeAvailability", new V201.ChangeAvailabilityRequest
            {
                Evse = connectorId > 0 ? new V201.EVSEType { Id = connectorId } : null,
                OperationalStatus = operative ? V201.OperationalStatusEnumType.Operative : V201.OperationalStatusEnumType.Inoperative,
            }, V201JsonContext.Default.ChangeAvailabilityRequest),
            _ => Command("ChangeAvailability", new V21.ChangeAvailabilityRequest
            {
                Evse = connectorId > 0 ? new V21.EVSEType { Id = connectorId } : null,
                OperationalStatus = operative ? V21.OperationalStatusEnumType.Operative : V21.OperationalStatusEnumType.Inoperative,
            }, V21JsonContext.Default.ChangeAvailabilityRequest),
        };
    }

    /// <summary>
    /// Read configuration: 1.6 <c>GetConfiguration</c> (§5.8) <c>{key?}</c>; 2.x <c>GetVariables</c> (B06) with one
    /// <c>getVariableData</c> entry per key (attribute <c>Actual</c>). 2.x requires keys: reading the whole device model
    /// is the asynchronous GetBaseReport (B07), whose data arrives in NotifyReport messages, not in the answer.
    /// </summary>
    public static OcppCommand GetConfiguration(OcppVersion version, GetConfigurationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        IReadOnlyList<string?> keys = request.Keys ?? [];
        if (version == OcppVersion.Ocpp16)
        {
            for (int i = 0; i < keys.Count; i++)
            {
                CheckLength(RequireText(keys[i], $"keys[{i}]"), Ocpp16KeyMaxLength, $"keys[{i}]");
            }

            return Command("GetConfiguration", new V16.GetConfigurationRequest { Key = keys.Count > 0 ? [.. keys.Select(k => k!)] : null },
                V16JsonContext.Default.GetConfigurationRequest);
        }

        if (keys.Count == 0)
        {
            throw new CommandRequestException(
                "keys",
                "keys is required for OCPP 2.x stations, written Component.Variable or Component.Variable.Instance; "
                + "a 2.x station reports its full configuration only asynchronously (GetBaseReport, then NotifyReport).");
        }

        var parsed = new DeviceModelKey[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            parsed[i] = DeviceModelKey.Parse(keys[i], $"keys[{i}]");
        }

        return version == OcppVersion.Ocpp201
            ? Command("GetVariables", new V201.GetVariablesRequest
            {
                GetVariableData = [.. parsed.Select(k => new V201.GetVariableDataType { Component = k.Component201(), Variable = k.Variable201() })],
            }, V201JsonContext.Default.GetVariablesRequest)
            : Command("GetVariables", new V21.GetVariablesRequest
            {
                GetVariableData = [.. parsed.Select(k => new V21.GetVariableDataType { Component = k.Component21(), Variable = k.Variable21() })],
            }, V21JsonContext.Default.GetVariablesRequest);
    }

    /// <summary>
    /// Write configuration: 1.6 gets one <c>ChangeConfiguration</c> (§5.3) per setting, in request order; 2.x gets a
    /// single <c>SetVariables</c> (B05) with one <c>setVariableData</c> entry per setting (attribute <c>Actual</c>).
    /// Combine the answers with <see cref="ReadChangeConfigurationAnswers"/>.
    /// </summary>
    public static IReadOnlyList<OcppCommand> ChangeConfiguration(OcppVersion version, ChangeConfigurationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        IReadOnlyList<ConfigurationValue?> settings = request.Settings is { Count: > 0 } list
            ? list
            : throw new CommandRequestException("settings", "settings must contain at least one {key, value}.");
        int valueMaxLength = version switch
        {
            OcppVersion.Ocpp16 => Ocpp16ValueMaxLength,
            OcppVersion.Ocpp201 => 1000,
            _ => 2500,
        };

        var keys = new string[settings.Count];
        var values = new string[settings.Count];
        for (int i = 0; i < settings.Count; i++)
        {
            ConfigurationValue setting = settings[i] ?? throw new CommandRequestException($"settings[{i}]", $"settings[{i}] is null.");
            keys[i] = RequireText(setting.Key, $"settings[{i}].key");
            values[i] = setting.Value ?? throw new CommandRequestException($"settings[{i}].value", $"settings[{i}].value is required (it may be empty).");
            CheckLength(values[i], valueMaxLength, $"settings[{i}].value");
        }

        if (version == OcppVersion.Ocpp16)
        {
            var commands = new OcppCommand[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                CheckLength(keys[i], Ocpp16KeyMaxLength, $"settings[{i}].key");
                (string key, string value) = (keys[i], values[i]);
                commands[i] = Command("ChangeConfiguration", new V16.ChangeConfigurationRequest { Key = key, Value = value },
                    V16JsonContext.Default.ChangeConfigurationRequest);
            }

            return commands;
        }

        var parsed = new DeviceModelKey[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            parsed[i] = DeviceModelKey.Parse(keys[i], $"settings[{i}].key");
        }

        return
        [
            version == OcppVersion.Ocpp201
                ? Command("SetVariables", new V201.SetVariablesRequest
                {
                    SetVariableData = [.. parsed.Select((k, i) => new V201.SetVariableDataType
                    {
                        AttributeValue = values[i],
                        Component = k.Component201(),
                        Variable = k.Variable201(),
                    })],
                }, V201JsonContext.Default.SetVariablesRequest)
                : Command("SetVariables", new V21.SetVariablesRequest
                {
                    SetVariableData = [.. parsed.Select((k, i) => new V21.SetVariableDataType
                    {
                        AttributeValue = values[i],
                        Component = k.Component21(),
                        Variable = k.Variable21(),
                    })],
                }, V21JsonContext.Default.SetVariablesRequest),
        ];
    }

    /// <summary>
    /// Cap charging from now on: 1.6 <c>SetChargingProfile</c> (§5.16) <c>{connectorId, csChargingProfiles}</c>, 2.x
    /// <c>SetChargingProfile</c> (K01) <c>{evseId, chargingProfile}</c>, both a <c>TxDefaultProfile</c> of kind
    /// <c>Absolute</c> whose schedule starts at <paramref name="now"/> with one open-ended period at 0 s.
    /// </summary>
    /// <param name="version">The charger's negotiated protocol.</param>
    /// <param name="request">The REST body.</param>
    /// <param name="now">The schedule's <c>startSchedule</c>, normally <c>TimeProvider.GetUtcNow()</c>.</param>
    /// <remarks>
    /// <c>Absolute</c> rather than <c>Relative</c>: "in force from now, for every transaction" is literally what the
    /// client asked, without depending on how a charger anchors a <c>Relative</c> default profile (1.6 leaves the
    /// start point to the charge point). <c>startSchedule</c> is the starting point of an absolute schedule, so it is
    /// always sent. A charger whose clock runs behind applies the cap once its clock reaches <paramref name="now"/>.
    /// The 2.x schedule's <c>id</c> (required in 2.0.1 and 2.1) is the profile id; 2.1 made <c>limit</c> optional (for
    /// setpoint modes) but it is always sent, so one payload serves both 2.x versions.
    /// </remarks>
    public static OcppCommand SetChargingLimit(OcppVersion version, SetChargingLimitRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        int connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: true) ?? 0;
        decimal limit = RequireLimit(version, request.Limit, "limit");
        string unit = RequireUnit(request.Unit, "unit");
        int profileId = request.ProfileId ?? DefaultChargingLimitProfileId;
        int stackLevel = OptionalId(request.StackLevel, "stackLevel", allowZero: true) ?? 0;
        return version switch
        {
            OcppVersion.Ocpp16 => Command("SetChargingProfile", new V16.SetChargingProfileRequest
            {
                ConnectorId = connectorId,
                CsChargingProfiles = Profile16(profileId, stackLevel, txDefault: true, unit, limit, now),
            }, V16JsonContext.Default.SetChargingProfileRequest),
            OcppVersion.Ocpp201 => Command("SetChargingProfile", new V201.SetChargingProfileRequest
            {
                EvseId = connectorId,
                ChargingProfile = Profile201(profileId, stackLevel, txDefault: true, unit, limit, now),
            }, V201JsonContext.Default.SetChargingProfileRequest),
            _ => Command("SetChargingProfile", new V21.SetChargingProfileRequest
            {
                EvseId = connectorId,
                ChargingProfile = Profile21(profileId, stackLevel, txDefault: true, unit, limit, now),
            }, V21JsonContext.Default.SetChargingProfileRequest),
        };
    }

    /// <summary>
    /// Remove a cap: 1.6 <c>ClearChargingProfile</c> (§5.5) <c>{id}</c> or <c>{connectorId?, chargingProfilePurpose}</c>;
    /// 2.x <c>ClearChargingProfile</c> (K10) <c>{chargingProfileId}</c> or <c>{chargingProfileCriteria}</c>. See
    /// <see cref="ClearChargingLimitRequest"/> for what is removed.
    /// </summary>
    public static OcppCommand ClearChargingLimit(OcppVersion version, ClearChargingLimitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        int? connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: true);
        if (request.ProfileId is int profileId)
        {
            if (connectorId is not null)
            {
                throw new CommandRequestException(
                    "connectorId",
                    "connectorId cannot be combined with profileId: a profile id names one profile wherever it is installed, and the charger ignores other criteria.");
            }

            return version switch
            {
                OcppVersion.Ocpp16 => Command("ClearChargingProfile", new V16.ClearChargingProfileRequest { Id = profileId },
                    V16JsonContext.Default.ClearChargingProfileRequest),
                OcppVersion.Ocpp201 => Command("ClearChargingProfile", new V201.ClearChargingProfileRequest { ChargingProfileId = profileId },
                    V201JsonContext.Default.ClearChargingProfileRequest),
                _ => Command("ClearChargingProfile", new V21.ClearChargingProfileRequest { ChargingProfileId = profileId },
                    V21JsonContext.Default.ClearChargingProfileRequest),
            };
        }

        return version switch
        {
            OcppVersion.Ocpp16 => Command("ClearChargingProfile", new V16.ClearChargingProfileRequest
            {
                ConnectorId = connectorId,
                ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile,
            }, V16JsonContext.Default.ClearChargingProfileRequest),
            OcppVersion.Ocpp201 => Command("ClearChargingProfile", new V201.ClearChargingProfileRequest
            {
                ChargingProfileCriteria = new V201.ClearChargingProfileType
                {
                    EvseId = connectorId,
                    ChargingProfilePurpose = V201.ChargingProfilePurposeEnumType.TxDefaultProfile,
                },
            }, V201JsonContext.Default.ClearChargingProfileRequest),
            _ => Command("ClearChargingProfile", new V21.ClearChargingProfileRequest
            {
                ChargingProfileCriteria = new V21.ClearChargingProfileType
                {
                    EvseId = connectorId,
                    ChargingProfilePurpose = V21.ChargingProfilePurposeEnumType.TxDefaultProfile,
                },
            }, V21JsonContext.Default.ClearChargingProfileRequest),
        };
    }

    /// <summary>
    /// Ask the charger to send a message now: 1.6 <c>TriggerMessage</c> (§5.17) or the security extension's
    /// <c>ExtendedTriggerMessage</c>; 2.x <c>TriggerMessage</c> (F06). See <see cref="TriggerMessageRequest"/> for the
    /// names mapped between versions.
    /// </summary>
    public static OcppCommand TriggerMessage(OcppVersion version, TriggerMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        string message = RequireText(request.Message, "message");
        int? connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: false);
        int? evseId = OptionalId(request.EvseId, "evseId", allowZero: false);
        if (version == OcppVersion.Ocpp16)
        {
            RejectOn16(evseId, "evseId", "OCPP 1.6 numbers connectors across the whole charge point; send connectorId alone");
            (string action, string requested) = message switch
            {
                "BootNotification" or "DiagnosticsStatusNotification" or "FirmwareStatusNotification"
                    or "Heartbeat" or "MeterValues" or "StatusNotification" => ("TriggerMessage", message),
                "LogStatusNotification" or "SignChargePointCertificate" => ("ExtendedTriggerMessage", message),
                "SignChargingStationCertificate" => ("ExtendedTriggerMessage", "SignChargePointCertificate"),
                _ => throw UnknownTrigger(version, message),
            };
            return action == "TriggerMessage"
                ? Command(action, new V16.TriggerMessageRequest
                {
                    RequestedMessage = FromWire(requested, V16JsonContext.Default.RequestedMessage),
                    ConnectorId = connectorId,
                }, V16JsonContext.Default.TriggerMessageRequest)
                : Command(action, new ExtendedTriggerMessageRequest
                {
                    RequestedMessage = FromWire(requested, V16JsonContext.Default.MessageTriggerEnumType),
                    ConnectorId = connectorId,
                }, V16JsonContext.Default.ExtendedTriggerMessageRequest);
        }

        string requested2 = message switch
        {
            "BootNotification" or "LogStatusNotification" or "FirmwareStatusNotification" or "Heartbeat" or "MeterValues"
                or "SignChargingStationCertificate" or "SignV2GCertificate" or "StatusNotification" or "TransactionEvent"
                or "SignCombinedCertificate" or "PublishFirmwareStatusNotification" => message,
            "SignV2G20Certificate" when version == OcppVersion.Ocpp21 => message,
            "DiagnosticsStatusNotification" => "LogStatusNotification",
            "SignChargePointCertificate" => "SignChargingStationCertificate",
            _ => throw UnknownTrigger(version, message),
        };
        bool hasEvse = evseId is not null || connectorId is not null;
        int evse = evseId ?? connectorId ?? 0;
        int? evseConnector = evseId is not null ? connectorId : null;
        return version == OcppVersion.Ocpp201
            ? Command("TriggerMessage", new V201.TriggerMessageRequest
            {
                Evse = hasEvse ? new V201.EVSEType { Id = evse, ConnectorId = evseConnector } : null,
                RequestedMessage = FromWire(requested2, V201JsonContext.Default.MessageTriggerEnumType),
            }, V201JsonContext.Default.TriggerMessageRequest)
            : Command("TriggerMessage", new V21.TriggerMessageRequest
            {
                Evse = hasEvse ? new V21.EVSEType { Id = evse, ConnectorId = evseConnector } : null,
                RequestedMessage = FromWire(requested2, V21JsonContext.Default.MessageTriggerEnumType),
            }, V21JsonContext.Default.TriggerMessageRequest);
    }

    /// <summary>
    /// Reserve a connector: 1.6 <c>ReserveNow</c> (§5.13) <c>{connectorId, expiryDate, idTag, parentIdTag?, reservationId}</c>;
    /// 2.x <c>ReserveNow</c> (H01) <c>{id, expiryDateTime, idToken, evseId?, groupIdToken?}</c>.
    /// </summary>
    public static OcppCommand ReserveNow(OcppVersion version, ReserveNowRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        string idTag = RequireIdToken(version, request.IdTag, "idTag");
        string idTokenType = CheckIdTokenType(version, request.IdTokenType, "idTokenType");
        string? parentIdTag = request.ParentIdTag is null ? null : RequireIdToken(version, request.ParentIdTag, "parentIdTag");
        DateTimeOffset expiry = WholeSeconds(request.ExpiresAt ?? throw new CommandRequestException("expiresAt", "expiresAt is required."));
        int reservationId = OptionalId(request.ReservationId, "reservationId", allowZero: true)
            ?? throw new CommandRequestException("reservationId", "reservationId is required.");
        int connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: true) ?? 0;
        if (version == OcppVersion.Ocpp16)
        {
            return Command("ReserveNow", new V16.ReserveNowRequest
            {
                ConnectorId = connectorId,
                ExpiryDate = expiry,
                IdTag = idTag,
                ParentIdTag = parentIdTag,
                ReservationId = reservationId,
            }, V16JsonContext.Default.ReserveNowRequest);
        }

        int? evseId = connectorId > 0 ? connectorId : null;
        return version == OcppVersion.Ocpp201
            ? Command("ReserveNow", new V201.ReserveNowRequest
            {
                Id = reservationId,
                ExpiryDateTime = expiry,
                IdToken = IdToken201(idTag, idTokenType),
                EvseId = evseId,
                GroupIdToken = parentIdTag is null ? null : IdToken201(parentIdTag, idTokenType),
            }, V201JsonContext.Default.ReserveNowRequest)
            : Command("ReserveNow", new V21.ReserveNowRequest
            {
                Id = reservationId,
                ExpiryDateTime = expiry,
                IdToken = IdToken21(idTag, idTokenType),
                EvseId = evseId,
                GroupIdToken = parentIdTag is null ? null : IdToken21(parentIdTag, idTokenType),
            }, V21JsonContext.Default.ReserveNowRequest);
    }

    /// <summary>Cancel a reservation: <c>CancelReservation</c> <c>{reservationId}</c> in every version (1.6 §5.1, 2.x H02).</summary>
    public static OcppCommand CancelReservation(OcppVersion version, CancelReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        int reservationId = OptionalId(request.ReservationId, "reservationId", allowZero: true)
            ?? throw new CommandRequestException("reservationId", "reservationId is required.");
        return version switch
        {
            OcppVersion.Ocpp16 => Command("CancelReservation", new V16.CancelReservationRequest { ReservationId = reservationId },
                V16JsonContext.Default.CancelReservationRequest),
            OcppVersion.Ocpp201 => Command("CancelReservation", new V201.CancelReservationRequest { ReservationId = reservationId },
                V201JsonContext.Default.CancelReservationRequest),
            _ => Command("CancelReservation", new V21.CancelReservationRequest { ReservationId = reservationId },
                V21JsonContext.Default.CancelReservationRequest),
        };
    }
}

using System.Globalization;
using System.Text.Json;
using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Commands;

/// <summary>
/// Translates version-neutral command requests into the CALL each OCPP version expects, so the REST API offers one call
/// per operation whatever the charger speaks. Pure functions: no I/O, no clock (the caller passes <c>now</c> where a
/// schedule needs one), no ids allocated here (the caller passes <c>remoteStartId</c>).
/// </summary>
/// <remarks>
/// Every payload conforms to the official request schema of its version (the tests validate each against
/// <c>OcppSchemaSet</c>). Limits the schemas impose (string lengths, 1.6 integer transaction ids, 2.1's non-negative
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

        if (version == OcppVersion.Ocpp16)
        {
            return Write("RemoteStartTransaction", w =>
            {
                if (connectorId is int id)
                {
                    w.WriteNumber("connectorId", id);
                }

                w.WriteString("idTag", idTag);
                if (limit is var (value, unit))
                {
                    w.WriteStartObject("chargingProfile");
                    WriteProfileHead(w, version, remoteStartId, stackLevel: 0, "TxProfile", "Relative");
                    w.WriteStartObject("chargingSchedule");
                    WriteScheduleBody(w, unit, value, startSchedule: null);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            });
        }

        return Write("RequestStartTransaction", w =>
        {
            if (connectorId is int id)
            {
                w.WriteNumber("evseId", id);
            }

            w.WriteNumber("remoteStartId", remoteStartId);
            WriteIdToken(w, "idToken", idTag, idTokenType);
            if (limit is var (value, unit))
            {
                w.WriteStartObject("chargingProfile");
                WriteProfileHead(w, version, remoteStartId, stackLevel: 0, "TxProfile", "Relative");
                WriteOcpp2Schedule(w, remoteStartId, unit, value, startSchedule: null);
                w.WriteEndObject();
            }
        });
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

            return Write("RemoteStopTransaction", w => w.WriteNumber("transactionId", number));
        }

        CheckLength(transactionId, Ocpp2TransactionIdMaxLength, "transactionId");
        return Write("RequestStopTransaction", w => w.WriteString("transactionId", transactionId));
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
            return Write("Reset", w => w.WriteString("type", hard ? "Hard" : "Soft"));
        }

        return Write("Reset", w =>
        {
            w.WriteString("type", hard ? "Immediate" : "OnIdle");
            if (evseId is int id)
            {
                w.WriteNumber("evseId", id);
            }
        });
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
            return Write("UnlockConnector", w => w.WriteNumber("connectorId", connectorId));
        }

        return Write("UnlockConnector", w =>
        {
            w.WriteNumber("evseId", evseId ?? connectorId);
            w.WriteNumber("connectorId", evseId is null ? 1 : connectorId);
        });
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
        string status = operative ? "Operative" : "Inoperative";
        if (version == OcppVersion.Ocpp16)
        {
            return Write("ChangeAvailability", w =>
            {
                w.WriteNumber("connectorId", connectorId);
                w.WriteString("type", status);
            });
        }

        return Write("ChangeAvailability", w =>
        {
            if (connectorId > 0)
            {
                w.WriteStartObject("evse");
                w.WriteNumber("id", connectorId);
                w.WriteEndObject();
            }

            w.WriteString("operationalStatus", status);
        });
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

            return Write("GetConfiguration", w =>
            {
                if (keys.Count > 0)
                {
                    w.WriteStartArray("key");
                    foreach (string? key in keys)
                    {
                        w.WriteStringValue(key);
                    }

                    w.WriteEndArray();
                }
            });
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

        return Write("GetVariables", w =>
        {
            w.WriteStartArray("getVariableData");
            foreach (DeviceModelKey key in parsed)
            {
                w.WriteStartObject();
                key.WriteComponentAndVariable(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
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
                commands[i] = Write("ChangeConfiguration", w =>
                {
                    w.WriteString("key", key);
                    w.WriteString("value", value);
                });
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
            Write("SetVariables", w =>
            {
                w.WriteStartArray("setVariableData");
                for (int i = 0; i < parsed.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("attributeValue", values[i]);
                    parsed[i].WriteComponentAndVariable(w);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }),
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
        if (version == OcppVersion.Ocpp16)
        {
            return Write("SetChargingProfile", w =>
            {
                w.WriteNumber("connectorId", connectorId);
                w.WriteStartObject("csChargingProfiles");
                WriteProfileHead(w, version, profileId, stackLevel, "TxDefaultProfile", "Absolute");
                w.WriteStartObject("chargingSchedule");
                WriteScheduleBody(w, unit, limit, now);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        return Write("SetChargingProfile", w =>
        {
            w.WriteNumber("evseId", connectorId);
            w.WriteStartObject("chargingProfile");
            WriteProfileHead(w, version, profileId, stackLevel, "TxDefaultProfile", "Absolute");
            WriteOcpp2Schedule(w, profileId, unit, limit, now);
            w.WriteEndObject();
        });
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

            return Write("ClearChargingProfile", w => w.WriteNumber(version == OcppVersion.Ocpp16 ? "id" : "chargingProfileId", profileId));
        }

        if (version == OcppVersion.Ocpp16)
        {
            return Write("ClearChargingProfile", w =>
            {
                if (connectorId is int id)
                {
                    w.WriteNumber("connectorId", id);
                }

                w.WriteString("chargingProfilePurpose", "TxDefaultProfile");
            });
        }

        return Write("ClearChargingProfile", w =>
        {
            w.WriteStartObject("chargingProfileCriteria");
            if (connectorId is int id)
            {
                w.WriteNumber("evseId", id);
            }

            w.WriteString("chargingProfilePurpose", "TxDefaultProfile");
            w.WriteEndObject();
        });
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
            return Write(action, w =>
            {
                w.WriteString("requestedMessage", requested);
                if (connectorId is int id)
                {
                    w.WriteNumber("connectorId", id);
                }
            });
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
        return Write("TriggerMessage", w =>
        {
            if (evseId is not null || connectorId is not null)
            {
                w.WriteStartObject("evse");
                w.WriteNumber("id", evseId ?? connectorId!.Value);
                if (evseId is not null && connectorId is int id)
                {
                    w.WriteNumber("connectorId", id);
                }

                w.WriteEndObject();
            }

            w.WriteString("requestedMessage", requested2);
        });
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
        string expiry = FormatDate(request.ExpiresAt ?? throw new CommandRequestException("expiresAt", "expiresAt is required."));
        int reservationId = OptionalId(request.ReservationId, "reservationId", allowZero: true)
            ?? throw new CommandRequestException("reservationId", "reservationId is required.");
        int connectorId = OptionalId(request.ConnectorId, "connectorId", allowZero: true) ?? 0;
        if (version == OcppVersion.Ocpp16)
        {
            return Write("ReserveNow", w =>
            {
                w.WriteNumber("connectorId", connectorId);
                w.WriteString("expiryDate", expiry);
                w.WriteString("idTag", idTag);
                if (parentIdTag is not null)
                {
                    w.WriteString("parentIdTag", parentIdTag);
                }

                w.WriteNumber("reservationId", reservationId);
            });
        }

        return Write("ReserveNow", w =>
        {
            w.WriteNumber("id", reservationId);
            w.WriteString("expiryDateTime", expiry);
            WriteIdToken(w, "idToken", idTag, idTokenType);
            if (connectorId > 0)
            {
                w.WriteNumber("evseId", connectorId);
            }

            if (parentIdTag is not null)
            {
                WriteIdToken(w, "groupIdToken", parentIdTag, idTokenType);
            }
        });
    }

    /// <summary>Cancel a reservation: <c>CancelReservation</c> <c>{reservationId}</c> in every version (1.6 §5.1, 2.x H02).</summary>
    public static OcppCommand CancelReservation(OcppVersion version, CancelReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireKnown(version);
        int reservationId = OptionalId(request.ReservationId, "reservationId", allowZero: true)
            ?? throw new CommandRequestException("reservationId", "reservationId is required.");
        return Write("CancelReservation", w => w.WriteNumber("reservationId", reservationId));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;
using EvCloud.Fast.Ocpp.Rpc;
using V16 = EvCloud.Fast.Ocpp.Messages.Generated.V16;
using V201 = EvCloud.Fast.Ocpp.Messages.Generated.V201;
using V21 = EvCloud.Fast.Ocpp.Messages.Generated.V21;

namespace EvCloud.Fast.Commands;

public static partial class ChargerCommands
{
    /// <summary>Summary <see cref="CommandAnswer.Status"/> of a configuration change where some keys were taken and some not.</summary>
    public const string PartiallyAccepted = "PartiallyAccepted";

    /// <summary>
    /// Normalises the CALLRESULT payload of one command into a <see cref="CommandAnswer"/>.
    /// </summary>
    /// <param name="version">The charger's protocol.</param>
    /// <param name="action">The CALL's action, i.e. <see cref="OcppCommand.Action"/>.</param>
    /// <param name="payloadJson">The CALLRESULT payload; the gateway has validated it against the response schema.</param>
    /// <remarks>
    /// Each answer is read into the generated response record of its version and action (so a misspelt property does
    /// not compile). Every answer of these commands carries <c>status</c> except 1.6 GetConfiguration
    /// (<c>configurationKey</c>, <c>unknownKey</c>), 2.x GetVariables (<c>getVariableResult</c>) and 2.x SetVariables
    /// (<c>setVariableResult</c>). A 1.6 ChangeConfiguration answer does not name its key; use
    /// <see cref="ReadChangeConfigurationAnswers"/> to pair the answers of a multi-key change with their keys.
    /// </remarks>
    /// <exception cref="JsonException">The payload is not JSON or does not read into the action's response record.</exception>
    /// <exception cref="ArgumentException"><paramref name="action"/> is not one of the commands built here.</exception>
    public static CommandAnswer ReadAnswer(OcppVersion version, string action, ReadOnlySpan<byte> payloadJson)
    {
        ArgumentNullException.ThrowIfNull(action);
        return (version, action) switch
        {
            (OcppVersion.Ocpp16, "GetConfiguration") => ReadGetConfiguration16(Read(payloadJson, V16JsonContext.Default.GetConfigurationResponse)),
            (OcppVersion.Ocpp201, "GetVariables") => ReadGetVariables([.. Read(payloadJson, V201JsonContext.Default.GetVariablesResponse).GetVariableResult
                .Select(r => new VariableResult(Key(r.Component.Name, r.Variable.Name, r.Variable.Instance),
                    ToWire(r.AttributeStatus, V201JsonContext.Default.GetVariableStatusEnumType), r.AttributeValue, Info(r.AttributeStatusInfo)))]),
            (OcppVersion.Ocpp21, "GetVariables") => ReadGetVariables([.. Read(payloadJson, V21JsonContext.Default.GetVariablesResponse).GetVariableResult
                .Select(r => new VariableResult(Key(r.Component.Name, r.Variable.Name, r.Variable.Instance),
                    ToWire(r.AttributeStatus, V21JsonContext.Default.GetVariableStatusEnumType), r.AttributeValue, Info(r.AttributeStatusInfo)))]),
            (OcppVersion.Ocpp201, "SetVariables") => Summarise([.. Read(payloadJson, V201JsonContext.Default.SetVariablesResponse).SetVariableResult
                .Select(r => KeyResult(Key(r.Component.Name, r.Variable.Name, r.Variable.Instance),
                    ToWire(r.AttributeStatus, V201JsonContext.Default.SetVariableStatusEnumType), Info(r.AttributeStatusInfo)))]),
            (OcppVersion.Ocpp21, "SetVariables") => Summarise([.. Read(payloadJson, V21JsonContext.Default.SetVariablesResponse).SetVariableResult
                .Select(r => KeyResult(Key(r.Component.Name, r.Variable.Name, r.Variable.Instance),
                    ToWire(r.AttributeStatus, V21JsonContext.Default.SetVariableStatusEnumType), Info(r.AttributeStatusInfo)))]),
            (OcppVersion.Ocpp16, _) => ReadStatusAnswer16(action, payloadJson),
            (OcppVersion.Ocpp201, _) => ReadStatusAnswer201(action, payloadJson),
            (OcppVersion.Ocpp21, _) => ReadStatusAnswer21(action, payloadJson),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "The charger has no negotiated OCPP version."),
        };
    }

    /// <summary>
    /// Pairs the outcomes of the CALLs from <see cref="ChangeConfiguration"/> with the request's keys and summarises them.
    /// </summary>
    /// <param name="version">The charger's protocol.</param>
    /// <param name="request">The request the commands were built from.</param>
    /// <param name="results">
    /// One result per command, in the order <see cref="ChangeConfiguration"/> returned them: one per setting on 1.6,
    /// a single SetVariables result on 2.x. A CALL that did not complete (timeout, offline, CALLERROR) marks its keys
    /// with the <see cref="OcppCallStatus"/> name.
    /// </param>
    /// <returns>
    /// <see cref="CommandAnswer.KeyResults"/> per key; <see cref="CommandAnswer.Status"/> <c>Accepted</c> when every key
    /// was accepted, <c>RebootRequired</c> when every key was taken and at least one needs a reboot, <c>Rejected</c>
    /// when none was taken, else <see cref="PartiallyAccepted"/>; <see cref="CommandAnswer.Accepted"/> only when all were.
    /// </returns>
    public static CommandAnswer ReadChangeConfigurationAnswers(OcppVersion version, ChangeConfigurationRequest request, IReadOnlyList<OcppCallResult> results)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<ConfigurationValue?> settings = request.Settings ?? [];
        int expected = version == OcppVersion.Ocpp16 ? settings.Count : 1;
        if (results.Count != expected)
        {
            throw new ArgumentException($"Expected {expected} call results for {settings.Count} settings on {version}, got {results.Count}.", nameof(results));
        }

        var keyResults = new List<ConfigurationKeyResult>(settings.Count);
        if (version == OcppVersion.Ocpp16)
        {
            for (int i = 0; i < settings.Count; i++)
            {
                string key = settings[i]?.Key ?? string.Empty;
                OcppCallResult result = results[i];
                if (result is { Status: OcppCallStatus.Completed, Payload: { } payload })
                {
                    CommandAnswer answer = ReadAnswer(version, "ChangeConfiguration", payload);
                    keyResults.Add(new ConfigurationKeyResult(key, answer.Status, answer.Accepted));
                }
                else
                {
                    keyResults.Add(Failed(key, result));
                }
            }

            return Summarise(keyResults);
        }

        OcppCallResult single = results[0];
        if (single is { Status: OcppCallStatus.Completed, Payload: { } payload2 })
        {
            return ReadAnswer(version, "SetVariables", payload2);
        }

        foreach (ConfigurationValue? setting in settings)
        {
            keyResults.Add(Failed(setting?.Key ?? string.Empty, single));
        }

        return Summarise(keyResults);
    }

    private static ConfigurationKeyResult Failed(string key, OcppCallResult result) => new(
        key,
        result.Status.ToString(),
        Accepted: false,
        result.ErrorCode is null ? null : new CommandStatusInfo(result.ErrorCode, result.ErrorDescription));

    // The answers that carry a status, read through the generated response records of each version.
    private static CommandAnswer ReadStatusAnswer16(string action, ReadOnlySpan<byte> payload) => action switch
    {
        "RemoteStartTransaction" => Status(action, Read(payload, V16JsonContext.Default.RemoteStartTransactionResponse).Status, V16JsonContext.Default.GenericStatus),
        "RemoteStopTransaction" => Status(action, Read(payload, V16JsonContext.Default.RemoteStopTransactionResponse).Status, V16JsonContext.Default.GenericStatus),
        "Reset" => Status(action, Read(payload, V16JsonContext.Default.ResetResponse).Status, V16JsonContext.Default.GenericStatus),
        "UnlockConnector" => Status(action, Read(payload, V16JsonContext.Default.UnlockConnectorResponse).Status, V16JsonContext.Default.UnlockConnectorStatus),
        "ChangeAvailability" => Status(action, Read(payload, V16JsonContext.Default.ChangeAvailabilityResponse).Status, V16JsonContext.Default.ChangeAvailabilityStatus),
        "ChangeConfiguration" => Status(action, Read(payload, V16JsonContext.Default.ChangeConfigurationResponse).Status, V16JsonContext.Default.ChangeConfigurationStatus),
        "SetChargingProfile" => Status(action, Read(payload, V16JsonContext.Default.SetChargingProfileResponse).Status, V16JsonContext.Default.SetChargingProfileStatus),
        "ClearChargingProfile" => Status(action, Read(payload, V16JsonContext.Default.ClearChargingProfileResponse).Status, V16JsonContext.Default.ClearChargingProfileStatus),
        "TriggerMessage" => Status(action, Read(payload, V16JsonContext.Default.TriggerMessageResponse).Status, V16JsonContext.Default.TriggerMessageStatus),
        "ExtendedTriggerMessage" => Status(action, Read(payload, V16JsonContext.Default.ExtendedTriggerMessageResponse).Status, V16JsonContext.Default.TriggerMessageStatusEnumType),
        "ReserveNow" => Status(action, Read(payload, V16JsonContext.Default.ReserveNowResponse).Status, V16JsonContext.Default.ReserveNowStatus),
        "CancelReservation" => Status(action, Read(payload, V16JsonContext.Default.CancelReservationResponse).Status, V16JsonContext.Default.GenericStatus),
        _ => throw NotACommand(OcppVersion.Ocpp16, action),
    };

    private static CommandAnswer ReadStatusAnswer201(string action, ReadOnlySpan<byte> payload)
    {
        V201JsonContext c = V201JsonContext.Default;
        switch (action)
        {
            case "RequestStartTransaction":
                V201.RequestStartTransactionResponse start = Read(payload, c.RequestStartTransactionResponse);
                return Status(action, start.Status, c.RequestStartStopStatusEnumType, Info(start.StatusInfo)) with { TransactionId = start.TransactionId };
            case "RequestStopTransaction":
                V201.RequestStopTransactionResponse stop = Read(payload, c.RequestStopTransactionResponse);
                return Status(action, stop.Status, c.RequestStartStopStatusEnumType, Info(stop.StatusInfo));
            case "Reset":
                V201.ResetResponse reset = Read(payload, c.ResetResponse);
                return Status(action, reset.Status, c.ResetStatusEnumType, Info(reset.StatusInfo));
            case "UnlockConnector":
                V201.UnlockConnectorResponse unlock = Read(payload, c.UnlockConnectorResponse);
                return Status(action, unlock.Status, c.UnlockStatusEnumType, Info(unlock.StatusInfo));
            case "ChangeAvailability":
                V201.ChangeAvailabilityResponse availability = Read(payload, c.ChangeAvailabilityResponse);
                return Status(action, availability.Status, c.ChangeAvailabilityStatusEnumType, Info(availability.StatusInfo));
            case "SetChargingProfile":
                V201.SetChargingProfileResponse set = Read(payload, c.SetChargingProfileResponse);
                return Status(action, set.Status, c.ChargingProfileStatusEnumType, Info(set.StatusInfo));
            case "ClearChargingProfile":
                V201.ClearChargingProfileResponse clear = Read(payload, c.ClearChargingProfileResponse);
                return Status(action, clear.Status, c.ClearChargingProfileStatusEnumType, Info(clear.StatusInfo));
            case "TriggerMessage":
                V201.TriggerMessageResponse trigger = Read(payload, c.TriggerMessageResponse);
                return Status(action, trigger.Status, c.TriggerMessageStatusEnumType, Info(trigger.StatusInfo));
            case "ReserveNow":
                V201.ReserveNowResponse reserve = Read(payload, c.ReserveNowResponse);
                return Status(action, reserve.Status, c.ReserveNowStatusEnumType, Info(reserve.StatusInfo));
            case "CancelReservation":
                V201.CancelReservationResponse cancel = Read(payload, c.CancelReservationResponse);
                return Status(action, cancel.Status, c.CancelReservationStatusEnumType, Info(cancel.StatusInfo));
            default:
                throw NotACommand(OcppVersion.Ocpp201, action);
        }
    }

    private static CommandAnswer ReadStatusAnswer21(string action, ReadOnlySpan<byte> payload)
    {
        V21JsonContext c = V21JsonContext.Default;
        switch (action)
        {
            case "RequestStartTransaction":
                V21.RequestStartTransactionResponse start = Read(payload, c.RequestStartTransactionResponse);
                return Status(action, start.Status, c.RequestStartStopStatusEnumType, Info(start.StatusInfo)) with { TransactionId = start.TransactionId };
            case "RequestStopTransaction":
                V21.RequestStopTransactionResponse stop = Read(payload, c.RequestStopTransactionResponse);
                return Status(action, stop.Status, c.RequestStartStopStatusEnumType, Info(stop.StatusInfo));
            case "Reset":
                V21.ResetResponse reset = Read(payload, c.ResetResponse);
                return Status(action, reset.Status, c.ResetStatusEnumType, Info(reset.StatusInfo));
            case "UnlockConnector":
                V21.UnlockConnectorResponse unlock = Read(payload, c.UnlockConnectorResponse);
                return Status(action, unlock.Status, c.UnlockStatusEnumType, Info(unlock.StatusInfo));
            case "ChangeAvailability":
                V21.ChangeAvailabilityResponse availability = Read(payload, c.ChangeAvailabilityResponse);
                return Status(action, availability.Status, c.ChangeAvailabilityStatusEnumType, Info(availability.StatusInfo));
            case "SetChargingProfile":
                V21.SetChargingProfileResponse set = Read(payload, c.SetChargingProfileResponse);
                return Status(action, set.Status, c.ChargingProfileStatusEnumType, Info(set.StatusInfo));
            case "ClearChargingProfile":
                V21.ClearChargingProfileResponse clear = Read(payload, c.ClearChargingProfileResponse);
                return Status(action, clear.Status, c.ClearChargingProfileStatusEnumType, Info(clear.StatusInfo));
            case "TriggerMessage":
                V21.TriggerMessageResponse trigger = Read(payload, c.TriggerMessageResponse);
                return Status(action, trigger.Status, c.TriggerMessageStatusEnumType, Info(trigger.StatusInfo));
            case "ReserveNow":
                V21.ReserveNowResponse reserve = Read(payload, c.ReserveNowResponse);
                return Status(action, reserve.Status, c.ReserveNowStatusEnumType, Info(reserve.StatusInfo));
            case "CancelReservation":
                V21.CancelReservationResponse cancel = Read(payload, c.CancelReservationResponse);
                return Status(action, cancel.Status, c.CancelReservationStatusEnumType, Info(cancel.StatusInfo));
            default:
                throw NotACommand(OcppVersion.Ocpp21, action);
        }
    }

    private static CommandAnswer Status<TStatus>(string action, TStatus status, JsonTypeInfo<TStatus> statusType, CommandStatusInfo? info = null)
        where TStatus : struct, Enum
    {
        string wire = ToWire(status, statusType);
        return new CommandAnswer(wire, IsSuccess(action, wire)) { StatusInfo = info };
    }

    // The gateway validated the payload against the response schema; a payload that still does not read (not JSON, a
    // required property missing when a caller passes its own bytes) is a JsonException, as before.
    private static T Read<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(payload, typeInfo) ?? throw new JsonException($"The {typeof(T).Name} is null.");

    private static ArgumentException NotACommand(OcppVersion version, string action) =>
        new($"{action} is not a command this layer sends to OCPP {VersionName(version)} chargers, so it has no answer to read.", nameof(action));

    // Success per action, from the status enums of the response schemas.
    private static bool IsSuccess(string action, string status) => status switch
    {
        "Accepted" => true,
        "Unlocked" => action == "UnlockConnector",
        "Scheduled" => action is "Reset" or "ChangeAvailability",
        "RebootRequired" => action is "ChangeConfiguration" or "SetVariables",
        _ => false,
    };

    // OCPP 1.6 GetConfiguration.conf: configurationKey[] {key, readonly, value?}, unknownKey[].
    private static CommandAnswer ReadGetConfiguration16(V16.GetConfigurationResponse answer)
    {
        List<ConfigurationSetting> settings = [.. (answer.ConfigurationKey ?? []).Select(k => new ConfigurationSetting(k.Key, k.Value, k.Readonly))];
        List<string> unknown = [.. answer.UnknownKey ?? []];
        return new CommandAnswer("Accepted", Accepted: true) { Settings = settings, UnknownKeys = unknown, KeyResults = [] };
    }

    private readonly record struct VariableResult(string Key, string Status, string? Value, CommandStatusInfo? Info);

    // OCPP 2.0.1 Part 2 GetVariablesResponse: getVariableResult[] {attributeStatus, attributeValue?, component, variable}.
    private static CommandAnswer ReadGetVariables(List<VariableResult> results)
    {
        var settings = new List<ConfigurationSetting>();
        var unknown = new List<string>();
        var refused = new List<ConfigurationKeyResult>();
        foreach (VariableResult result in results)
        {
            switch (result.Status)
            {
                case "Accepted":
                    settings.Add(new ConfigurationSetting(result.Key, result.Value, ReadOnly: null));
                    break;
                case "UnknownComponent" or "UnknownVariable" or "NotSupportedAttributeType":
                    unknown.Add(result.Key);
                    break;
                default:
                    refused.Add(new ConfigurationKeyResult(result.Key, result.Status, Accepted: false, result.Info));
                    break;
            }
        }

        return new CommandAnswer("Accepted", Accepted: true) { Settings = settings, UnknownKeys = unknown, KeyResults = refused };
    }

    // OCPP 2.0.1 Part 2 SetVariablesResponse: setVariableResult[] {attributeStatus, attributeStatusInfo?, component, variable}.
    private static ConfigurationKeyResult KeyResult(string key, string status, CommandStatusInfo? info) =>
        new(key, status, IsSuccess("SetVariables", status), info);

    private static CommandAnswer Summarise(List<ConfigurationKeyResult> results)
    {
        int accepted = 0;
        bool reboot = false;
        foreach (ConfigurationKeyResult result in results)
        {
            if (result.Accepted)
            {
                accepted++;
                reboot |= result.Status == "RebootRequired";
            }
        }

        string status = accepted == results.Count
            ? (reboot ? "RebootRequired" : "Accepted")
            : accepted == 0 ? "Rejected" : PartiallyAccepted;
        return new CommandAnswer(status, Accepted: accepted == results.Count && results.Count > 0) { KeyResults = results };
    }

    private static string Key(string component, string variable, string? instance) => DeviceModelKey.Format(component, variable, instance);

    private static CommandStatusInfo? Info(V201.StatusInfoType? info) => info is null ? null : new CommandStatusInfo(info.ReasonCode, info.AdditionalInfo);

    private static CommandStatusInfo? Info(V21.StatusInfoType? info) => info is null ? null : new CommandStatusInfo(info.ReasonCode, info.AdditionalInfo);
}

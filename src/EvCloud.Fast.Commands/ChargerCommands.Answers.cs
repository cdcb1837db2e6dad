using System.Text.Json;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;

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
    /// Every answer of these commands carries <c>status</c> except 1.6 GetConfiguration (<c>configurationKey</c>,
    /// <c>unknownKey</c>), 2.x GetVariables (<c>getVariableResult</c>) and 2.x SetVariables (<c>setVariableResult</c>),
    /// which are read field by field. A 1.6 ChangeConfiguration answer does not name its key; use
    /// <see cref="ReadChangeConfigurationAnswers"/> to pair the answers of a multi-key change with their keys.
    /// </remarks>
    /// <exception cref="JsonException">The payload is not JSON or lacks the field the action's answer requires.</exception>
    public static CommandAnswer ReadAnswer(OcppVersion version, string action, ReadOnlySpan<byte> payloadJson)
    {
        ArgumentNullException.ThrowIfNull(action);
        var reader = new Utf8JsonReader(payloadJson);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The {action} answer is not a JSON object.");
        }

        return (version, action) switch
        {
            (OcppVersion.Ocpp16, "GetConfiguration") => ReadGetConfiguration16(root),
            (not OcppVersion.Ocpp16, "GetVariables") => ReadGetVariables(root),
            (not OcppVersion.Ocpp16, "SetVariables") => Summarise(ReadSetVariables(root)),
            _ => ReadStatusAnswer(action, root),
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

    private static CommandAnswer ReadStatusAnswer(string action, JsonElement root)
    {
        if (!root.TryGetProperty("status"u8, out JsonElement statusElement) || statusElement.ValueKind != JsonValueKind.String)
        {
            throw new JsonException($"The {action} answer has no status.");
        }

        string status = statusElement.GetString()!;
        return new CommandAnswer(status, IsSuccess(action, status))
        {
            StatusInfo = ReadStatusInfo(root, "statusInfo"u8),
            TransactionId = action == "RequestStartTransaction" && root.TryGetProperty("transactionId"u8, out JsonElement tx)
                ? tx.GetString()
                : null,
        };
    }

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
    private static CommandAnswer ReadGetConfiguration16(JsonElement root)
    {
        var settings = new List<ConfigurationSetting>();
        var unknown = new List<string>();
        if (root.TryGetProperty("configurationKey"u8, out JsonElement keys))
        {
            foreach (JsonElement item in keys.EnumerateArray())
            {
                settings.Add(new ConfigurationSetting(
                    RequiredString(item, "key"u8, "configurationKey[].key"),
                    OptionalString(item, "value"u8),
                    item.TryGetProperty("readonly"u8, out JsonElement ro) && ro.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? ro.GetBoolean()
                        : null));
            }
        }

        if (root.TryGetProperty("unknownKey"u8, out JsonElement unknownKeys))
        {
            foreach (JsonElement item in unknownKeys.EnumerateArray())
            {
                unknown.Add(item.GetString() ?? string.Empty);
            }
        }

        return new CommandAnswer("Accepted", Accepted: true) { Settings = settings, UnknownKeys = unknown, KeyResults = [] };
    }

    // OCPP 2.0.1 Part 2 GetVariablesResponse: getVariableResult[] {attributeStatus, attributeValue?, component, variable}.
    private static CommandAnswer ReadGetVariables(JsonElement root)
    {
        var settings = new List<ConfigurationSetting>();
        var unknown = new List<string>();
        var refused = new List<ConfigurationKeyResult>();
        foreach (JsonElement item in RequiredArray(root, "getVariableResult"u8, "getVariableResult"))
        {
            string key = ReadDeviceModelKey(item);
            string status = RequiredString(item, "attributeStatus"u8, "getVariableResult[].attributeStatus");
            switch (status)
            {
                case "Accepted":
                    settings.Add(new ConfigurationSetting(key, OptionalString(item, "attributeValue"u8), ReadOnly: null));
                    break;
                case "UnknownComponent" or "UnknownVariable" or "NotSupportedAttributeType":
                    unknown.Add(key);
                    break;
                default:
                    refused.Add(new ConfigurationKeyResult(key, status, Accepted: false, ReadStatusInfo(item, "attributeStatusInfo"u8)));
                    break;
            }
        }

        return new CommandAnswer("Accepted", Accepted: true) { Settings = settings, UnknownKeys = unknown, KeyResults = refused };
    }

    // OCPP 2.0.1 Part 2 SetVariablesResponse: setVariableResult[] {attributeStatus, attributeStatusInfo?, component, variable}.
    private static List<ConfigurationKeyResult> ReadSetVariables(JsonElement root)
    {
        var results = new List<ConfigurationKeyResult>();
        foreach (JsonElement item in RequiredArray(root, "setVariableResult"u8, "setVariableResult"))
        {
            string status = RequiredString(item, "attributeStatus"u8, "setVariableResult[].attributeStatus");
            results.Add(new ConfigurationKeyResult(
                ReadDeviceModelKey(item),
                status,
                IsSuccess("SetVariables", status),
                ReadStatusInfo(item, "attributeStatusInfo"u8)));
        }

        return results;
    }

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

    private static string ReadDeviceModelKey(JsonElement item)
    {
        string component = item.TryGetProperty("component"u8, out JsonElement c) ? RequiredString(c, "name"u8, "component.name") : string.Empty;
        if (!item.TryGetProperty("variable"u8, out JsonElement v))
        {
            throw new JsonException("A variable result has no variable.");
        }

        return DeviceModelKey.Format(component, RequiredString(v, "name"u8, "variable.name"), OptionalString(v, "instance"u8));
    }

    private static CommandStatusInfo? ReadStatusInfo(JsonElement parent, ReadOnlySpan<byte> name) =>
        parent.TryGetProperty(name, out JsonElement info) && info.ValueKind == JsonValueKind.Object
            ? new CommandStatusInfo(RequiredString(info, "reasonCode"u8, "statusInfo.reasonCode"), OptionalString(info, "additionalInfo"u8))
            : null;

    private static JsonElement.ArrayEnumerator RequiredArray(JsonElement parent, ReadOnlySpan<byte> name, string path) =>
        parent.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new JsonException($"The answer has no {path} array.");

    private static string RequiredString(JsonElement parent, ReadOnlySpan<byte> name, string path) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new JsonException($"The answer has no {path}.");

    private static string? OptionalString(JsonElement parent, ReadOnlySpan<byte> name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

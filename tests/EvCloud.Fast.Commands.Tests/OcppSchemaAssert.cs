using System.Text;
using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Commands.Tests;

/// <summary>Checks payloads against the official schemas the gateway validates with, and parses them for field asserts.</summary>
internal static class OcppSchemaAssert
{
    public static readonly TheoryData<OcppVersion> AllVersions = new(OcppVersion.Ocpp16, OcppVersion.Ocpp201, OcppVersion.Ocpp21);

    public static readonly TheoryData<OcppVersion> Ocpp2Versions = new(OcppVersion.Ocpp201, OcppVersion.Ocpp21);

    /// <summary>Asserts the command's payload is a valid CALL of its action for <paramref name="version"/> and returns it parsed.</summary>
    public static JsonElement ValidRequest(OcppVersion version, OcppCommand command)
    {
        OcppAction action = GetAction(version, command.Action);
        Validate(action.Request!, command.PayloadJson);
        return JsonDocument.Parse(command.PayloadJson).RootElement.Clone();
    }

    /// <summary>Asserts <paramref name="json"/> is a valid CALLRESULT of <paramref name="actionName"/> and returns its bytes.</summary>
    public static byte[] ValidResponse(OcppVersion version, string actionName, string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Validate(GetAction(version, actionName).Response!, payload);
        return payload;
    }

    private static OcppAction GetAction(OcppVersion version, string actionName)
    {
        Assert.True(
            OcppSchemaSet.LoadEmbedded().TryGetAction(version, Encoding.UTF8.GetBytes(actionName), out OcppAction? action),
            $"{actionName} is not an action of {version}");
        return action;
    }

    private static void Validate(CompiledSchema schema, byte[] payload)
    {
        var reader = new Utf8JsonReader(payload, isFinalBlock: true, state: default);
        bool valid = schema.TryValidate(ref reader, out OcppValidationError error);
        Assert.True(valid, $"{schema}: {error} in {Encoding.UTF8.GetString(payload)}");
    }
}

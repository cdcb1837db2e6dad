using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>Assertions on OCPP-J answers, including schema validation of what the server sent.</summary>
public static class OcppAssert
{
    private static readonly OcppSchemaSet Schemas = OcppSchemaSet.LoadEmbedded();

    /// <summary>Asserts a CALLRESULT whose payload is valid against the action's response schema; returns the payload.</summary>
    public static JsonElement CallResult(JsonElement message, string action, OcppVersion version = OcppVersion.Ocpp16)
    {
        Assert.True(message.ValueKind == JsonValueKind.Array, "expected an OCPP-J array, got " + message);
        Assert.True(message[0].GetInt32() == 3, "expected a CALLRESULT, got " + message);
        JsonElement payload = message[2];
        Assert.True(Schemas.TryGetAction(version, Encoding.UTF8.GetBytes(action), out OcppAction? schema), action);
        byte[] json = Encoding.UTF8.GetBytes(payload.GetRawText());
        var reader = new Utf8JsonReader(json);
        reader.Read();
        bool valid = schema!.Response!.TryValidate(ref reader, out OcppValidationError error);
        Assert.True(valid, $"{action} response violates its schema: {error} in {payload}");
        return payload;
    }

    /// <summary>Asserts a CALLERROR with the given code; returns the description.</summary>
    public static string CallError(JsonElement message, string code)
    {
        Assert.True(message[0].GetInt32() == 4, "expected a CALLERROR, got " + message);
        Assert.Equal(code, message[2].GetString());
        Assert.Equal(JsonValueKind.Object, message[4].ValueKind);
        return message[3].GetString()!;
    }
}

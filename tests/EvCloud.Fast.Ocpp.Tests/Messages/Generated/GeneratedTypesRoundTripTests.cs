using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Ocpp.Tests.Messages.Generated;

/// <summary>
/// The generated records against the official schemas: what they write passes the run-time validator, and what chargers
/// send reads into them.
/// </summary>
public class GeneratedTypesRoundTripTests
{
    public static TheoryData<OcppVersion, string, bool> Messages => GeneratedTypesFixture.Messages();

    [Theory]
    [InlineData(OcppVersion.Ocpp16)]
    [InlineData(OcppVersion.Ocpp201)]
    [InlineData(OcppVersion.Ocpp21)]
    public void EveryActionOfTheSchemaSet_HasGeneratedRequestAndResponseTypes(OcppVersion version)
    {
        var generated = GeneratedTypesFixture.Actions(version);
        var expected = SchemaFixture.Schemas.Actions(version);

        Assert.Equal(expected.Select(a => a.Name).Order(StringComparer.Ordinal), generated.Select(a => a.Action));
        foreach (OcppAction action in expected)
        {
            OcppMessageTypes types = generated.Single(g => g.Action == action.Name);
            Assert.Equal(version, types.Version);
            Assert.Equal(action.Name + "Request", types.Request.Type.Name);
            Assert.Equal(action.Response is null, types.Response is null);
        }
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16)]
    [InlineData(OcppVersion.Ocpp201)]
    [InlineData(OcppVersion.Ocpp21)]
    public void TheVisitor_SeesEveryActionOnce_WithTheTypesOfTheActionTable(OcppVersion version)
    {
        var visitor = new RecordingVisitor();
        switch (version)
        {
            case OcppVersion.Ocpp16: Ocpp.Messages.Generated.V16.V16Actions.Accept(visitor); break;
            case OcppVersion.Ocpp201: Ocpp.Messages.Generated.V201.V201Actions.Accept(visitor); break;
            default: Ocpp.Messages.Generated.V21.V21Actions.Accept(visitor); break;
        }

        Assert.Equal(
            GeneratedTypesFixture.Actions(version).Select(a => (a.Version, a.Action, a.Request.Type, a.Response?.Type)),
            visitor.Seen);
    }

    private sealed class RecordingVisitor : IOcppActionVisitor
    {
        public List<(OcppVersion, string, Type, Type?)> Seen { get; } = [];

        public void Visit<TRequest, TResponse>(OcppVersion version, string action, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response) =>
            Seen.Add((version, action, typeof(TRequest), typeof(TResponse)));

        public void VisitSend<TRequest>(OcppVersion version, string action, JsonTypeInfo<TRequest> request) =>
            Seen.Add((version, action, typeof(TRequest), null));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void EverySchemaBuiltPayload_ReadIntoItsRecordAndWrittenBack_IsTheSameJson_AndPassesTheSchema(OcppVersion version, string action, bool response)
    {
        JsonObject schemaJson = GeneratedTypesFixture.SchemaJson(version, action, response);
        OcppMessageTypes types = GeneratedTypesFixture.Action(version, action);
        JsonTypeInfo typeInfo = response ? types.Response! : types.Request;
        CompiledSchema schema = SchemaFixture.Schema(version, action, response);

        int variants = SchemaExamples.Variants(schemaJson);
        foreach (bool everyProperty in new[] { false, true })
        {
            for (int variant = 0; variant < variants; variant++)
            {
                JsonNode example = SchemaExamples.Build(schemaJson, everyProperty, variant);
                byte[] exampleBytes = Encoding.UTF8.GetBytes(example.ToJsonString());
                Assert.True(SchemaFixture.Validate(schema, exampleBytes, out OcppValidationError exampleError),
                    $"the example builder made an invalid payload: {exampleError}");

                object record = JsonSerializer.Deserialize(exampleBytes, typeInfo)!;
                Assert.IsType(typeInfo.Type, record);
                byte[] written = JsonSerializer.SerializeToUtf8Bytes(record, typeInfo);

                Assert.True(SchemaFixture.Validate(schema, written, out OcppValidationError error),
                    $"{action}{(response ? " response" : "")} written as {Encoding.UTF8.GetString(written)}: {error}");
                Assert.True(JsonNode.DeepEquals(example, JsonNode.Parse(written)),
                    $"read {example.ToJsonString()}\nwrote {Encoding.UTF8.GetString(written)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Samples.Valid), MemberType = typeof(Samples))]
    public void KnownGoodPayloads_ReadIntoTheGeneratedRecords_AndWriteBackTheSameValues(OcppVersion version, string action, bool response, string json)
    {
        OcppMessageTypes types = GeneratedTypesFixture.Action(version, action);
        JsonTypeInfo typeInfo = response ? types.Response! : types.Request;

        object record = JsonSerializer.Deserialize(json, typeInfo)!;
        byte[] written = JsonSerializer.SerializeToUtf8Bytes(record, typeInfo);

        Assert.True(SchemaFixture.Validate(SchemaFixture.Schema(version, action, response), written, out OcppValidationError error), error.ToString());
        // Same values; only the spelling of date-times (Z → +00:00) and numbers (2.314e2 → 231.4) may change.
        Assert.Equal(Canonical(JsonNode.Parse(json)), Canonical(JsonNode.Parse(written)));
    }

    [Theory]
    [MemberData(nameof(WireFrames))]
    public void KnownGoodFrames_FromTheWire_ReadIntoTheGeneratedRecords(string frame)
    {
        // OCPP-J CALL: [2,"<messageId>","<Action>",{...}]
        JsonArray call = JsonNode.Parse(frame)!.AsArray();
        string action = call[2]!.GetValue<string>();
        JsonTypeInfo typeInfo = GeneratedTypesFixture.Action(OcppVersion.Ocpp16, action).Request;

        object record = JsonSerializer.Deserialize(call[3]!.ToJsonString(), typeInfo)!;

        Assert.Equal(Canonical(call[3]), Canonical(JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(record, typeInfo))));
    }

    public static TheoryData<string> WireFrames => new()
    {
        TestSupport.WireSamples.BootNotification,
        TestSupport.WireSamples.StatusNotification,
        TestSupport.WireSamples.MeterValues,
    };

    /// <summary>Values as a reader sees them: date-times as instants, numbers as decimals, object members sorted.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Canonical(p.Value))) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        JsonValue value when value.GetValueKind() == JsonValueKind.Number =>
            decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: >= 20 } text
                             && text[4] == '-' && text[10] == 'T' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out DateTimeOffset instant) =>
            instant.UtcTicks.ToString(CultureInfo.InvariantCulture),
        null => "null",
        _ => node.ToJsonString(),
    };
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

/// <summary>Shared access to the embedded schemas and a one-call validation helper.</summary>
internal static class SchemaFixture
{
    public static OcppSchemaSet Schemas { get; } = OcppSchemaSet.LoadEmbedded();

    public static CompiledSchema Schema(OcppVersion version, string action, bool response = false)
    {
        Assert.True(Schemas.TryGetAction(version, Encoding.UTF8.GetBytes(action), out OcppAction? found), action);
        CompiledSchema? schema = response ? found.Response : found.Request;
        Assert.NotNull(schema);
        return schema;
    }

    public static bool Validate(CompiledSchema schema, ReadOnlySequence<byte> payload, out OcppValidationError error)
    {
        var reader = new Utf8JsonReader(payload, isFinalBlock: true, state: default);
        Assert.True(reader.Read());
        return OcppSchemaValidator.TryValidate(schema, ref reader, out error);
    }

    public static bool Validate(CompiledSchema schema, byte[] payload, out OcppValidationError error) =>
        Validate(schema, new ReadOnlySequence<byte>(payload), out error);

    /// <summary>Every way a payload reaches the validator (see <see cref="SequenceShapes.Of"/>).</summary>
    public static IEnumerable<(string Shape, ReadOnlySequence<byte> Payload)> Shapes(byte[] payload) => SequenceShapes.Of(payload);
}

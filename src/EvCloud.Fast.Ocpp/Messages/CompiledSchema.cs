namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// One OCPP message schema (a request, response or SEND payload), compiled once at startup so that validating a
/// payload walks plain object references and UTF-8 byte arrays instead of a JSON document.
/// </summary>
public sealed class CompiledSchema
{
    internal CompiledSchema(string name, OcppVersion version, SchemaNode root)
    {
        Name = name;
        Version = version;
        Root = root;
    }

    /// <summary>The schema's file name without extension, e.g. <c>BootNotificationRequest</c>, for logs and errors.</summary>
    public string Name { get; }

    /// <summary>The protocol the schema belongs to; it decides the version-specific error code mapping.</summary>
    public OcppVersion Version { get; }

    internal SchemaNode Root { get; }

    /// <summary>Validates one payload value; see <see cref="OcppSchemaValidator.TryValidate"/> for the reader contract.</summary>
    public bool TryValidate(ref System.Text.Json.Utf8JsonReader reader, out OcppValidationError error) =>
        OcppSchemaValidator.TryValidate(this, ref reader, out error);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Version})";
}

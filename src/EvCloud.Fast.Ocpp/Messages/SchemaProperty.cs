namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>One entry of a schema's <c>properties</c>, keyed by its UTF-8 name so matching never decodes the payload.</summary>
internal sealed class SchemaProperty
{
    public SchemaProperty(string name, SchemaNode schema, ulong requiredBit)
    {
        Name = name;
        Utf8Name = System.Text.Encoding.UTF8.GetBytes(name);
        Schema = schema;
        RequiredBit = requiredBit;
    }

    /// <summary>The name as a string, used only to build error paths.</summary>
    public string Name { get; }

    public byte[] Utf8Name { get; }

    public SchemaNode Schema { get; }

    /// <summary>This property's bit in <see cref="SchemaNode.RequiredMask"/>; 0 when optional.</summary>
    public ulong RequiredBit { get; }
}

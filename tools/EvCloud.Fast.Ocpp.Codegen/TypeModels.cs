namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>A C# type the generator writes: a record for an object schema or an enum for a string enum.</summary>
internal abstract class TypeModel(string name, string origin)
{
    /// <summary>The C# name, unique within its version.</summary>
    public string Name { get; } = name;

    /// <summary>Where the schema of this type was read (<c>definitions/ModemType of BootNotificationRequest.json</c>).</summary>
    public string Origin { get; } = origin;

    public string? Description { get; set; }

    /// <summary>Facts for the doc comment that are not the schema's description (merges, sharing).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The messages whose payload reaches this type, sorted.</summary>
    public SortedSet<string> UsedBy { get; } = new(StringComparer.Ordinal);
}

/// <summary>An object schema: a message payload or a nested object.</summary>
internal sealed class ObjectModel(string name, string origin) : TypeModel(name, origin)
{
    public List<PropertyModel> Properties { get; } = [];

    /// <summary>True unless the schema says <c>additionalProperties: false</c> (2.x <c>CustomDataType</c>).</summary>
    public bool Extensible { get; set; }

    /// <summary>Set for a message payload (the schema file's root).</summary>
    public SchemaFile? Message { get; set; }
}

/// <summary>A string schema with <c>enum</c>.</summary>
internal sealed class EnumModel(string name, string origin) : TypeModel(name, origin)
{
    public List<string> Values { get; } = [];
}

/// <summary>One property of an object schema.</summary>
internal sealed record PropertyModel(string JsonName, string CsName, TypeRef Type, bool Required, string? Description, string Schema);

/// <summary>The C# type of a property or an array item.</summary>
/// <param name="CsName">How the type is spelled in C#, without the nullable mark.</param>
/// <param name="IsValueType">True for structs and enums, which need <c>?</c> to be optional.</param>
/// <param name="Named">The generated type this refers to, if any.</param>
/// <param name="Item">For an array, its item type.</param>
internal sealed record TypeRef(string CsName, bool IsValueType, TypeModel? Named = null, TypeRef? Item = null);

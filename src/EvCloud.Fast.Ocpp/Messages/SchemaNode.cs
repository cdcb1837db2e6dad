namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// One compiled JSON Schema (draft-07 subset used by OCPP). <c>$ref</c>s are resolved at load time, so a node's
/// children are plain references and validation never looks anything up by name.
/// </summary>
/// <remarks>Built once by <see cref="OcppSchemaCompiler"/> and never mutated afterwards.</remarks>
internal sealed class SchemaNode
{
    /// <summary>Bits of <see cref="SchemaTypes"/> this node accepts; <see cref="SchemaTypes.Any"/> when <c>type</c> is absent.</summary>
    public SchemaTypes Types { get; internal set; } = SchemaTypes.Any;

    public SchemaProperty[] Properties { get; internal set; } = [];

    /// <summary>One bit per required property (at most 64; the widest OCPP object requires 7 of 42 properties).</summary>
    public ulong RequiredMask { get; internal set; }

    /// <summary>Required property names in schema order, to name the first missing one.</summary>
    public SchemaProperty[] Required { get; internal set; } = [];

    public bool AdditionalPropertiesAllowed { get; internal set; } = true;

    public byte[][]? Enum { get; internal set; }

    /// <summary>Longest <see cref="Enum"/> member in bytes: a longer unescaped value cannot be a member.</summary>
    public int EnumMaxLength { get; internal set; }

    /// <summary>Length limits in Unicode code points (JSON Schema §6.3.1, as ajv counts); -1 when absent.</summary>
    public int MaxLength { get; internal set; } = -1;

    public int MinLength { get; internal set; }

    public StringFormat Format { get; internal set; }

    public decimal? Minimum { get; internal set; }

    public decimal? Maximum { get; internal set; }

    public decimal? ExclusiveMinimum { get; internal set; }

    public decimal? ExclusiveMaximum { get; internal set; }

    public decimal? MultipleOf { get; internal set; }

    public SchemaNode? Items { get; internal set; }

    public int MinItems { get; internal set; }

    public int MaxItems { get; internal set; } = -1;

    /// <summary>True when a string value needs more than a type check.</summary>
    public bool HasStringChecks { get; internal set; }

    /// <summary>True when a number value needs more than a type check.</summary>
    public bool HasNumberChecks { get; internal set; }

    internal void Seal()
    {
        HasStringChecks = Enum is not null || MaxLength >= 0 || MinLength > 0 || Format != StringFormat.None;
        HasNumberChecks = Minimum.HasValue || Maximum.HasValue || ExclusiveMinimum.HasValue
            || ExclusiveMaximum.HasValue || MultipleOf.HasValue;
        if (Enum is not null)
        {
            foreach (byte[] member in Enum)
            {
                EnumMaxLength = Math.Max(EnumMaxLength, member.Length);
            }
        }
    }
}

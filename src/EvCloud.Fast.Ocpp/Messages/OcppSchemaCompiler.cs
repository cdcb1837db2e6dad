using System.Text;
using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Compiles one OCPP JSON schema into a <see cref="SchemaNode"/> tree. Runs at startup only, so it may allocate freely.
/// </summary>
/// <remarks>
/// An inventory of all 387 schema files found these validation keywords: <c>type</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> (always <c>false</c>), <c>enum</c> (strings only), <c>maxLength</c>,
/// <c>format</c> (<c>date-time</c>, <c>uri</c>), <c>minimum</c>, <c>maximum</c>, <c>multipleOf</c>, <c>items</c>,
/// <c>minItems</c>, <c>maxItems</c>, <c>additionalItems</c> and <c>$ref</c> into <c>#/definitions</c>. Each is
/// supported, plus <c>minLength</c>, <c>exclusiveMinimum</c> and <c>exclusiveMaximum</c> (numeric, draft-06+).
/// Any other keyword throws <see cref="InvalidDataException"/> so a new schema cannot be half-validated in silence.
/// </remarks>
internal static class OcppSchemaCompiler
{
    private const string DefinitionsPrefix = "#/definitions/";

    /// <summary>Compiles <paramref name="json"/>, a JSON Schema document, named <paramref name="name"/> in errors.</summary>
    /// <exception cref="InvalidDataException">The schema uses a keyword or form this validator does not support.</exception>
    public static CompiledSchema Compile(string name, OcppVersion version, ReadOnlyMemory<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var compiler = new Compilation(name, document.RootElement);
        SchemaNode root = compiler.CompileRoot();
        return new CompiledSchema(name, version, root);
    }

    private sealed class Compilation(string name, JsonElement root)
    {
        private readonly Dictionary<string, SchemaNode> _definitions = new(StringComparer.Ordinal);

        public SchemaNode CompileRoot()
        {
            SchemaNode node = Compile(root, "#");
            if (root.TryGetProperty("definitions", out JsonElement definitions))
            {
                if (definitions.ValueKind != JsonValueKind.Object)
                {
                    throw Unsupported("#/definitions", "definitions must be an object");
                }

                foreach (JsonProperty definition in definitions.EnumerateObject())
                {
                    Resolve(DefinitionsPrefix + definition.Name, "#/definitions");
                }
            }

            return node;
        }

        private SchemaNode Compile(JsonElement element, string pointer)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Unsupported(pointer, $"a schema must be an object, not {element.ValueKind}");
            }

            if (element.TryGetProperty("$ref", out JsonElement reference))
            {
                foreach (JsonProperty keyword in element.EnumerateObject())
                {
                    if (keyword.Name != "$ref" && !IsAnnotation(keyword.Name) && !(keyword.Name == "definitions" && pointer == "#"))
                    {
                        throw Unsupported(pointer, $"'{keyword.Name}' next to '$ref' (draft-07 would ignore it)");
                    }
                }

                return Resolve(reference.GetString() ?? string.Empty, pointer);
            }

            var node = new SchemaNode();
            Fill(node, element, pointer);
            return node;
        }

        private SchemaNode Resolve(string reference, string pointer)
        {
            if (!reference.StartsWith(DefinitionsPrefix, StringComparison.Ordinal))
            {
                throw Unsupported(pointer, $"$ref '{reference}' is not into #/definitions");
            }

            if (_definitions.TryGetValue(reference, out SchemaNode? known))
            {
                return known;
            }

            string definitionName = reference[DefinitionsPrefix.Length..];
            if (!root.TryGetProperty("definitions", out JsonElement definitions)
                || !definitions.TryGetProperty(definitionName, out JsonElement definition))
            {
                throw Unsupported(pointer, $"$ref '{reference}' does not resolve");
            }

            // NOTE: registered before filling so a recursive definition points at itself instead of looping.
            var node = new SchemaNode();
            _definitions.Add(reference, node);
            if (definition.TryGetProperty("$ref", out _))
            {
                throw Unsupported(reference, "a definition that is only a $ref");
            }

            Fill(node, definition, reference);
            return node;
        }

        private void Fill(SchemaNode node, JsonElement element, string pointer)
        {
            string[] required = element.TryGetProperty("required", out JsonElement requiredElement)
                ? ReadRequired(requiredElement, pointer)
                : [];
            bool itemsIsSchema = false;
            bool hasAdditionalItems = false;

            foreach (JsonProperty keyword in element.EnumerateObject())
            {
                JsonElement value = keyword.Value;
                string at = pointer + "/" + keyword.Name;
                switch (keyword.Name)
                {
                    case "type":
                        node.Types = ReadTypes(value, at);
                        break;
                    case "properties":
                        node.Properties = ReadProperties(value, required, at);
                        break;
                    case "required":
                        break;
                    case "additionalProperties":
                        node.AdditionalPropertiesAllowed = value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => throw Unsupported(at, "only boolean additionalProperties is supported"),
                        };
                        break;
                    case "enum":
                        node.Enum = ReadEnum(value, at);
                        break;
                    case "maxLength":
                        node.MaxLength = ReadCount(value, at);
                        break;
                    case "minLength":
                        node.MinLength = ReadCount(value, at);
                        break;
                    case "format":
                        node.Format = value.GetString() switch
                        {
                            "date-time" => StringFormat.DateTime,
                            "uri" => StringFormat.Uri,
                            string other => throw Unsupported(at, $"format '{other}'"),
                            null => throw Unsupported(at, "format must be a string"),
                        };
                        break;
                    case "minimum":
                        node.Minimum = ReadNumber(value, at);
                        break;
                    case "maximum":
                        node.Maximum = ReadNumber(value, at);
                        break;
                    case "exclusiveMinimum":
                        node.ExclusiveMinimum = ReadNumber(value, at);
                        break;
                    case "exclusiveMaximum":
                        node.ExclusiveMaximum = ReadNumber(value, at);
                        break;
                    case "multipleOf":
                        node.MultipleOf = ReadNumber(value, at);
                        if (node.MultipleOf <= 0)
                        {
                            throw Unsupported(at, "multipleOf must be greater than 0");
                        }

                        break;
                    case "items":
                        if (value.ValueKind != JsonValueKind.Object)
                        {
                            throw Unsupported(at, "tuple-form items");
                        }

                        node.Items = Compile(value, at);
                        itemsIsSchema = true;
                        break;
                    case "additionalItems":
                        hasAdditionalItems = true;
                        break;
                    case "minItems":
                        node.MinItems = ReadCount(value, at);
                        break;
                    case "maxItems":
                        node.MaxItems = ReadCount(value, at);
                        break;
                    case "definitions" when pointer == "#":
                        break;
                    default:
                        if (!IsAnnotation(keyword.Name))
                        {
                            throw Unsupported(at, $"keyword '{keyword.Name}'");
                        }

                        break;
                }
            }

            // NOTE: draft-07 §9.3.1.2: additionalItems only applies to tuple-form items, so next to a schema it is inert.
            if (hasAdditionalItems && !itemsIsSchema)
            {
                throw Unsupported(pointer, "additionalItems without a single-schema items");
            }

            if (required.Length > 0)
            {
                var requiredProperties = new SchemaProperty[required.Length];
                for (int i = 0; i < required.Length; i++)
                {
                    requiredProperties[i] = Array.Find(node.Properties, p => p.Name == required[i])
                        ?? throw Unsupported(pointer, $"required '{required[i]}' is not in properties");
                    node.RequiredMask |= requiredProperties[i].RequiredBit;
                }

                node.Required = requiredProperties;
            }

            node.Seal();
        }

        private SchemaProperty[] ReadProperties(JsonElement value, string[] required, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Unsupported(pointer, "properties must be an object");
            }

            var properties = new List<SchemaProperty>();
            foreach (JsonProperty property in value.EnumerateObject())
            {
                int requiredIndex = Array.IndexOf(required, property.Name);
                ulong bit = requiredIndex < 0 ? 0 : 1UL << requiredIndex;
                properties.Add(new SchemaProperty(property.Name, Compile(property.Value, pointer + "/" + property.Name), bit));
            }

            return [.. properties];
        }

        private string[] ReadRequired(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Unsupported(pointer, "required must be an array");
            }

            var names = new List<string>();
            foreach (JsonElement item in value.EnumerateArray())
            {
                string name = item.GetString() ?? throw Unsupported(pointer, "required names must be strings");
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }

            if (names.Count > 64)
            {
                throw Unsupported(pointer, $"{names.Count} required properties; the validator's bitmask holds 64");
            }

            return [.. names];
        }

        private SchemaTypes ReadTypes(JsonElement value, string pointer)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return ReadType(value.GetString()!, pointer);
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Unsupported(pointer, "type must be a string or an array of strings");
            }

            SchemaTypes types = SchemaTypes.None;
            foreach (JsonElement item in value.EnumerateArray())
            {
                types |= ReadType(item.GetString() ?? string.Empty, pointer);
            }

            return types;
        }

        private SchemaTypes ReadType(string type, string pointer) => type switch
        {
            "object" => SchemaTypes.Object,
            "array" => SchemaTypes.Array,
            "string" => SchemaTypes.String,
            "integer" => SchemaTypes.Integer,
            "number" => SchemaTypes.Number | SchemaTypes.Integer,
            "boolean" => SchemaTypes.Boolean,
            "null" => SchemaTypes.Null,
            _ => throw Unsupported(pointer, $"type '{type}'"),
        };

        private byte[][] ReadEnum(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Unsupported(pointer, "enum must be an array");
            }

            var members = new List<byte[]>();
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw Unsupported(pointer, "only string enum members are supported");
                }

                members.Add(Encoding.UTF8.GetBytes(item.GetString()!));
            }

            return [.. members];
        }

        private int ReadCount(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int count) || count < 0)
            {
                throw Unsupported(pointer, "expected a non-negative integer");
            }

            return count;
        }

        private decimal ReadNumber(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out decimal number))
            {
                throw Unsupported(pointer, "expected a number (draft-04 boolean exclusive bounds are not supported)");
            }

            return number;
        }

        private InvalidDataException Unsupported(string pointer, string what) =>
            new($"OCPP schema '{name}' at {pointer}: unsupported {what}.");
    }

    /// <summary>Keywords that describe but never constrain; they are skipped.</summary>
    private static bool IsAnnotation(string keyword) => keyword is "$id" or "$schema" or "$comment" or "comment"
        or "title" or "description" or "javaType" or "default" or "tsEnumNames" or "examples" or "readOnly"
        or "writeOnly" or "deprecated";
}

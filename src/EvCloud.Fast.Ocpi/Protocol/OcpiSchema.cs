using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// The property tables of one OCPI version as the spec prints them — one row per property: name, type, cardinality
/// (<c>1</c> required, <c>?</c> optional, <c>*</c> list, <c>+</c> non-empty list) — and the check of a received
/// object against them. Every receiver of both versions checks its objects here before storing them, so a Session,
/// CDR, Tariff, Location, Token or CommandResult is refused the same way: 2001 naming the first faulty field.
/// </summary>
/// <remarks>
/// <para>Types (OCPI 2.2.1 types §16, 2.1.1 types §2): <c>CiString(n)</c> and <c>string(n)</c> are strings of at most
/// n characters without control characters (CiString: printable ASCII only); <c>DateTime</c> is parsed tolerantly (a
/// partner's 7 fractional digits or offset are accepted, we only write milliseconds); <c>number</c>, <c>int</c>,
/// <c>boolean</c> are JSON numbers/booleans; <c>URL</c> is an absolute http(s) URL of at most 255 characters; an enum is
/// one of its listed values; an object type is checked recursively. <c>any</c> marks a property we pass through
/// unchecked (its content is the sender's data and drives nothing here).</para>
/// <para>Properties not in a table are kept as sent: a newer minor version may add fields.</para>
/// </remarks>
public sealed class OcpiSchema
{
    private readonly Dictionary<string, Field[]> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _enums = new(StringComparer.Ordinal);

    private OcpiSchema(bool numericStrings)
    {
        _numericStrings = numericStrings;
    }

    /// <summary>
    /// Whether a <c>number</c> may arrive as a numeric string: OCPI 2.1.1's own CDR example writes a tariff price as
    /// <c>"2.00"</c>, and 2.1.1 platforms copied it, so a 2.1.1 receiver reads it; 2.2.1 is strict.
    /// </summary>
    private readonly bool _numericStrings;

    /// <summary>
    /// Null when <paramref name="value"/> satisfies the table of <paramref name="objectType"/>, else the first fault,
    /// naming the field by its path (<c>cdr_location.evse_uid is required</c>).
    /// </summary>
    public string? Check(string objectType, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CheckObject(_objects[objectType], value, "");
    }

    /// <summary>Whether <paramref name="value"/> is one of enum <paramref name="enumType"/>'s values.</summary>
    public bool IsEnumValue(string enumType, string? value) => value is not null && _enums[enumType].Contains(value);

    private string? CheckObject(Field[] fields, JsonObject value, string path)
    {
        foreach (Field field in fields)
        {
            string name = path + field.Name;
            JsonNode? node = value[field.Name];
            if (node is null)
            {
                if (field.Cardinality is '1' or '+')
                {
                    return name + " is required.";
                }

                continue;
            }

            if (field.Cardinality is '*' or '+')
            {
                if (node is not JsonArray list)
                {
                    return name + " must be a list.";
                }

                if (field.Cardinality == '+' && list.Count == 0)
                {
                    return name + " must list at least one.";
                }

                for (int i = 0; i < list.Count; i++)
                {
                    if (CheckValue(field, list[i], name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]") is { } error)
                    {
                        return error;
                    }
                }

                continue;
            }

            if (CheckValue(field, node, name) is { } fault)
            {
                return fault;
            }
        }

        return null;
    }

    private string? CheckValue(Field field, JsonNode? node, string name)
    {
        switch (field.Kind)
        {
            case Kind.Any:
                return null;
            case Kind.CiString or Kind.String:
                if (Text(node) is not { } text)
                {
                    return name + " must be a string.";
                }

                if (text.Length > field.MaxLength)
                {
                    return $"{name} is longer than {field.MaxLength} characters.";
                }

                foreach (char c in text)
                {
                    if (char.IsControl(c) || (field.Kind == Kind.CiString && c > '~'))
                    {
                        return name + (field.Kind == Kind.CiString ? " must be printable ASCII." : " must not hold control characters.");
                    }
                }

                return null;
            case Kind.DateTime:
                return OcpiDates.TryParse(Text(node), out _) ? null : name + " must be an RFC 3339 date-time.";
            case Kind.Number:
                return node is JsonValue n && (n.GetValueKind() == JsonValueKind.Number
                    || (_numericStrings && Text(n) is { } digits && decimal.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    ? null
                    : name + " must be a number.";
            case Kind.Int:
                return node is JsonValue i && i.GetValueKind() == JsonValueKind.Number && i.TryGetValue(out long _) ? null : name + " must be an integer.";
            case Kind.Boolean:
                return node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : name + " must be true or false.";
            case Kind.Url:
                return Text(node) is { Length: <= 255 } url && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                    ? null
                    : name + " must be an absolute http(s) URL of at most 255 characters.";
            case Kind.Enum:
                return Text(node) is { } value && _enums[field.Type].Contains(value) ? null : $"{name} must be a {field.Type} ({string.Join(", ", _enums[field.Type].Order(StringComparer.Ordinal))}).";
            default:
                return node is JsonObject obj ? CheckObject(_objects[field.Type], obj, name + ".") : name + " must be an object.";
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>Builds a schema from enum lists and property tables; every type a row names must be defined.</summary>
    internal static OcpiSchema Build(IReadOnlyDictionary<string, string> enums, IReadOnlyDictionary<string, string[]> objects, bool numericStrings = false)
    {
        var schema = new OcpiSchema(numericStrings);
        foreach ((string name, string values) in enums)
        {
            schema._enums[name] = [.. values.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }

        foreach ((string name, string[] rows) in objects)
        {
            schema._objects[name] = [.. rows.Select(Field.Parse)];
        }

        foreach ((string name, Field[] fields) in schema._objects)
        {
            foreach (Field field in fields)
            {
                field.Resolve(schema, name);
            }
        }

        return schema;
    }

    private enum Kind
    {
        Any,
        CiString,
        String,
        DateTime,
        Number,
        Int,
        Boolean,
        Url,
        Enum,
        Object,
    }

    private sealed class Field
    {
        private Field(string name, string type, int maxLength, char cardinality, Kind kind)
        {
            Name = name;
            Type = type;
            MaxLength = maxLength;
            Cardinality = cardinality;
            Kind = kind;
        }

        public string Name { get; }

        public string Type { get; }

        public int MaxLength { get; }

        public char Cardinality { get; }

        public Kind Kind { get; private set; }

        /// <summary>A row as the spec prints it: <c>"contract_id CiString(36) 1"</c>.</summary>
        public static Field Parse(string row)
        {
            string[] parts = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[2] is not ("1" or "?" or "*" or "+"))
            {
                throw new InvalidOperationException($"Bad OCPI property row '{row}'.");
            }

            string type = parts[1];
            int open = type.IndexOf('(', StringComparison.Ordinal);
            int length = open < 0 ? 0 : int.Parse(type.AsSpan(open + 1, type.Length - open - 2), CultureInfo.InvariantCulture);
            string baseType = open < 0 ? type : type[..open];
            Kind kind = baseType switch
            {
                "any" => Kind.Any,
                "CiString" => Kind.CiString,
                "string" => Kind.String,
                "DateTime" => Kind.DateTime,
                "number" => Kind.Number,
                "int" => Kind.Int,
                "boolean" => Kind.Boolean,
                "URL" => Kind.Url,
                _ => Kind.Object, // an enum or an object, resolved once every table is known
            };
            return new Field(parts[0], baseType, length, parts[2][0], kind);
        }

        public void Resolve(OcpiSchema schema, string owner)
        {
            if (Kind != Kind.Object)
            {
                return;
            }

            if (schema._enums.ContainsKey(Type))
            {
                Kind = Kind.Enum;
            }
            else if (!schema._objects.ContainsKey(Type))
            {
                throw new InvalidOperationException($"OCPI property {owner}.{Name} names the undefined type {Type}.");
            }
        }
    }
}

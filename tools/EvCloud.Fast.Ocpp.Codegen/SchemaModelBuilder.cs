using System.Text;
using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>
/// Reads one version's schema files into the types to generate, and decides their names.
/// </summary>
/// <remarks>
/// <para>Naming rules (stable: they depend only on the schema files, which are read in ordinal file-name order):</para>
/// <list type="bullet">
/// <item>A message payload is <c>&lt;Action&gt;Request</c> or <c>&lt;Action&gt;Response</c>.</item>
/// <item>A 2.x definition keeps the schema's own name (<c>ChargingStationType</c>, <c>BootReasonEnumType</c>). Many
/// schemas of one version repeat a definition; those that are identical apart from their annotations (description,
/// javaType, default) are one type, documented with the description of the first file that declares it. A definition
/// whose validation keywords differ from the first declaration of that name becomes its own type named
/// <c>&lt;Action&gt;&lt;Definition&gt;</c> after the first file that declares it (none does in the shipped schemas).</item>
/// <item>An inline object or enum (1.6 declares them in place) is named after the property that holds it, in PascalCase:
/// <c>idTagInfo</c> → <c>IdTagInfo</c>, the items of <c>sampledValue</c> → <c>SampledValue</c>. Inline schemas with
/// identical validation keywords are one type wherever they appear (<c>MeterValues.meterValue</c> and
/// <c>StopTransaction.transactionData</c> are both <c>MeterValue</c>); when they sit under several property names the
/// ordinally first name wins. When different schemas would get the same name, each is prefixed with the name of the
/// type that holds it, the action for a payload property (<c>BootNotificationStatus</c>, <c>IdTagInfoStatus</c>), or with
/// <c>Generic</c> when several holders share it (<c>GenericStatus</c>: the Accepted/Rejected status of six 1.6
/// responses), and where that still collides with the whole message name (<c>BootNotificationResponseStatus</c>).</item>
/// <item>Properties are PascalCase of the wire name (<c>csChargingProfiles</c> → <c>CsChargingProfiles</c>), with a
/// <c>Value</c> suffix where that would equal the enclosing type's name (C# forbids it).</item>
/// </list>
/// <para>Any other collision stops the generator with a message instead of guessing.</para>
/// </remarks>
internal sealed class SchemaModelBuilder
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "description", "javaType", "default", "comment", "$id", "$schema", "title",
    };

    private readonly ProtocolVersionSpec _version;
    private readonly List<SchemaFile> _files;
    private readonly Dictionary<(string File, string Definition), TypeModel> _definitions = [];
    private readonly Dictionary<string, TypeModel> _inline = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, TypeModel> _types = new(StringComparer.Ordinal);

    public SchemaModelBuilder(ProtocolVersionSpec version, IEnumerable<SchemaFile> files)
    {
        _version = version;
        _files = [.. files.OrderBy(f => f.FileName, StringComparer.Ordinal)];
    }

    /// <summary>Every type of the version, sorted by name.</summary>
    public IReadOnlyCollection<TypeModel> Types => _types.Values;

    /// <summary>The message payloads, sorted by name.</summary>
    public IEnumerable<ObjectModel> Messages => _types.Values.OfType<ObjectModel>().Where(t => t.Message is not null);

    public void Build()
    {
        var messages = new List<(SchemaFile File, ObjectModel Model)>();
        foreach (SchemaFile file in _files)
        {
            var model = new ObjectModel(file.MessageName, file.FileName) { Message = file };
            Reserve(model);
            messages.Add((file, model));
        }

        var pending = new List<(TypeModel Model, JsonObject Schema, SchemaFile File)>();
        NameDefinitions(pending);
        NameInlineTypes(pending);
        foreach ((TypeModel model, JsonObject schema, SchemaFile file) in pending)
        {
            Fill(model, schema, file);
        }

        foreach ((SchemaFile file, ObjectModel model) in messages)
        {
            FillObject(model, file.Root, file);
        }

        foreach (ObjectModel model in Messages)
        {
            MarkUsedBy(model, model.Name);
        }

        foreach (TypeModel type in _types.Values.Where(t => t.UsedBy.Count == 0 && t is not ObjectModel { Message: not null }))
        {
            // A definition no property refers to (the OCA files declare a few): generated anyway, so adding a reference
            // later does not change names, and documented as such.
            type.Notes.Add("Declared by the schemas but not used by any message payload.");
        }
    }

    private void NameDefinitions(List<(TypeModel Model, JsonObject Schema, SchemaFile File)> pending)
    {
        // Name → its variants in file order, each with the files that declare it.
        var variants = new SortedDictionary<string, List<(string Signature, List<SchemaFile> Files)>>(StringComparer.Ordinal);
        foreach (SchemaFile file in _files)
        {
            foreach ((string name, JsonNode? definition) in file.Definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                string signature = Signature(definition, file);
                List<(string Signature, List<SchemaFile> Files)> list = variants.TryGetValue(name, out var found) ? found : variants[name] = [];
                int index = list.FindIndex(v => v.Signature == signature);
                if (index < 0)
                {
                    list.Add((signature, [file]));
                }
                else
                {
                    list[index].Files.Add(file);
                }
            }
        }

        foreach ((string name, var list) in variants)
        {
            for (int i = 0; i < list.Count; i++)
            {
                (_, List<SchemaFile> files) = list[i];
                SchemaFile first = files[0];
                string typeName = i == 0 ? name : first.Action + name;
                var schema = (JsonObject)first.Definitions[name]!;
                TypeModel model = NewModel(typeName, schema, $"definitions/{name} of {first.FileName}");
                if (i > 0)
                {
                    model.Notes.Add($"Named {typeName}, not {name}: this declaration's validation keywords differ from the one in {list[0].Files[0].FileName}.");
                }

                Reserve(model);
                foreach (SchemaFile file in files)
                {
                    _definitions[(file.FileName, name)] = model;
                }

                if (files.Count > 1)
                {
                    bool sameText = files.All(f => Text(f.Definitions[name]?["description"]) == Text(schema["description"]));
                    model.Notes.Add(sameText
                        ? $"Declared alike by {files.Count} schemas of this version."
                        : $"Declared alike by {files.Count} schemas of this version, whose descriptions differ; the description is {first.FileName}'s.");
                }

                pending.Add((model, schema, first));
            }
        }
    }

    private sealed record InlineUse(string Property, SchemaFile File, string? ParentSignature, string? ParentName, JsonObject Schema);

    private void NameInlineTypes(List<(TypeModel Model, JsonObject Schema, SchemaFile File)> pending)
    {
        var uses = new Dictionary<string, List<InlineUse>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (SchemaFile file in _files)
        {
            CollectInline(file.Root, file, parentSignature: null, parentName: file.Action, uses, order);
            foreach ((string name, JsonNode? definition) in file.Definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                if (definition is JsonObject schema)
                {
                    CollectInline(schema, file, null, _definitions[(file.FileName, name)].Name, uses, order);
                }
            }
        }

        var candidate = order.ToDictionary(s => s, s => Names.Pascal(uses[s].Select(u => u.Property).Min(StringComparer.Ordinal)!), StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string NameOfSignature(string signature)
        {
            if (names.TryGetValue(signature, out string? known))
            {
                return known;
            }

            string plain = candidate[signature];
            bool shared = order.Count(s => candidate[s] == plain) > 1 || _types.ContainsKey(plain);
            if (!shared)
            {
                return names[signature] = plain;
            }

            // Prefixed with its holder; a schema held alike by several holders (1.6's Accepted/Rejected "status" of six
            // responses) is named for none of them but "Generic", as 2.x names its GenericStatusEnumType.
            List<string> holders = [.. uses[signature].Select(u => u.ParentName ?? NameOfSignature(u.ParentSignature!)).Distinct(StringComparer.Ordinal)];
            return names[signature] = (holders.Count == 1 ? holders[0] : "Generic") + plain;
        }

        foreach (string signature in order)
        {
            _ = NameOfSignature(signature);
        }

        // A prefixed name can still meet another one (the request and the response of one action both holding a
        // different "status"): those take the whole message name as their prefix.
        foreach (IGrouping<string, string> clash in order.GroupBy(s => names[s], StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
        {
            foreach (string signature in clash)
            {
                InlineUse first = uses[signature][0];
                if (first.ParentSignature is null && first.ParentName == first.File.Action)
                {
                    names[signature] = first.File.MessageName + candidate[signature];
                }
            }
        }

        foreach (string signature in order)
        {
            InlineUse first = uses[signature][0];
            TypeModel model = NewModel(names[signature], first.Schema, $"{first.File.FileName}, property {first.Property}");
            if (uses[signature].Count > 1)
            {
                model.Notes.Add("Declared inline, alike, at " + string.Join(", ",
                    uses[signature].Select(u => $"{u.File.MessageName}.{u.Property}").Distinct(StringComparer.Ordinal)) + ".");
            }

            Reserve(model);
            _inline[signature] = model;
            pending.Add((model, first.Schema, first.File));
        }
    }

    private void CollectInline(JsonObject schema, SchemaFile file, string? parentSignature, string? parentName,
        Dictionary<string, List<InlineUse>> uses, List<string> order)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach ((string property, JsonNode? node) in properties)
        {
            JsonObject? target = node as JsonObject;
            if (Text(target?["type"]) == "array")
            {
                target = target!["items"] as JsonObject;
            }

            if (target is null || !IsInline(target))
            {
                continue;
            }

            string signature = Signature(target, file);
            if (!uses.TryGetValue(signature, out List<InlineUse>? list))
            {
                uses[signature] = list = [];
                order.Add(signature);
            }

            list.Add(new InlineUse(property, file, parentSignature, parentSignature is null ? parentName : null, target));
            CollectInline(target, file, signature, null, uses, order);
        }
    }

    private static bool IsInline(JsonObject schema) =>
        schema["$ref"] is null && (schema["enum"] is not null || (Text(schema["type"]) == "object" && schema["properties"] is not null));

    private static TypeModel NewModel(string name, JsonObject schema, string origin) =>
        schema["enum"] is not null ? new EnumModel(name, origin) : new ObjectModel(name, origin);

    private void Reserve(TypeModel model)
    {
        if (_types.Keys.Any(k => string.Equals(k, model.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException(
                $"ocpp{_version.Label}: two types would be named {model.Name} ({_types.Keys.First(k => string.Equals(k, model.Name, StringComparison.OrdinalIgnoreCase))} " +
                $"from {_types[_types.Keys.First(k => string.Equals(k, model.Name, StringComparison.OrdinalIgnoreCase))].Origin}, and {model.Origin}).");
        }

        _types[model.Name] = model;
    }

    private void Fill(TypeModel model, JsonObject schema, SchemaFile file)
    {
        switch (model)
        {
            case EnumModel enumModel:
                enumModel.Description = Text(schema["description"]);
                foreach (JsonNode? value in schema["enum"]!.AsArray())
                {
                    enumModel.Values.Add(value!.GetValue<string>());
                }

                var members = enumModel.Values.GroupBy(Names.Pascal, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
                if (members.Count > 0)
                {
                    throw new InvalidOperationException($"{model.Origin}: the values {string.Join(", ", members[0])} would be one C# member.");
                }

                if (Text(schema["default"]) is { } defaultValue)
                {
                    enumModel.Notes.Add($"Default in the schema: {defaultValue}.");
                }

                break;
            case ObjectModel objectModel:
                FillObject(objectModel, schema, file);
                break;
        }
    }

    private void FillObject(ObjectModel model, JsonObject schema, SchemaFile file)
    {
        model.Description ??= Text(schema["description"]);
        model.Extensible = schema["additionalProperties"] is not JsonValue additional || additional.GetValue<bool>();
        var required = new HashSet<string>((schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()), StringComparer.Ordinal);
        foreach ((string property, JsonNode? node) in schema["properties"] as JsonObject ?? [])
        {
            var propertySchema = (JsonObject)node!;
            string csName = Names.Pascal(property);
            if (csName == model.Name)
            {
                csName += "Value";
            }

            if (model.Properties.Any(p => p.CsName == csName) || csName == "ExtensionData")
            {
                throw new InvalidOperationException($"{model.Origin}: two properties would be named {csName}.");
            }

            model.Properties.Add(new PropertyModel(property, csName, Resolve(propertySchema, file), required.Contains(property),
                Text(propertySchema["description"]), Describe(propertySchema, file)));
        }
    }

    private TypeRef Resolve(JsonObject schema, SchemaFile file)
    {
        if (Text(schema["$ref"]) is { } reference)
        {
            TypeModel target = _definitions[(file.FileName, DefinitionName(reference, file))];
            return new TypeRef(target.Name, target is EnumModel, target);
        }

        if (IsInline(schema))
        {
            TypeModel target = _inline[Signature(schema, file)];
            return new TypeRef(target.Name, target is EnumModel, target);
        }

        switch (Text(schema["type"]))
        {
            case "array":
                TypeRef item = Resolve((JsonObject)schema["items"]!, file);
                return new TypeRef($"IReadOnlyList<{item.CsName}>", false, Item: item);
            case "string":
                return Text(schema["format"]) == "date-time" ? new TypeRef("DateTimeOffset", true) : new TypeRef("string", false);
            case "integer":
                return new TypeRef("int", true);
            case "number":
                return new TypeRef("decimal", true);
            case "boolean":
                return new TypeRef("bool", true);
            case null:
            case "object":
                // "Data without specified length or format" (DataTransfer.data) and objects without declared properties:
                // any JSON value, kept as read.
                return new TypeRef("JsonElement", true);
            default:
                throw new InvalidOperationException($"{file.FileName}: type {schema["type"]!.ToJsonString()} is not supported.");
        }
    }

    /// <summary>The schema's validation keywords in words, for the doc comment (<c>required; maxLength 20</c>).</summary>
    private string Describe(JsonObject schema, SchemaFile file)
    {
        var parts = new List<string>();
        if (Text(schema["$ref"]) is { } reference)
        {
            parts.Add(DefinitionName(reference, file));
        }
        else
        {
            string? type = Text(schema["type"]);
            if (IsInline(schema))
            {
                parts.Add(_inline[Signature(schema, file)].Name);
            }
            else if (type is not null)
            {
                parts.Add(Text(schema["format"]) is { } format ? $"{type} ({format})" : type);
            }
        }

        foreach (string keyword in (string[])["maxLength", "minLength", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
                     "multipleOf", "minItems", "maxItems", "default"])
        {
            if (schema[keyword] is JsonNode value)
            {
                parts.Add($"{keyword} {value.ToJsonString()}");
            }
        }

        if (Text(schema["type"]) == "array" && schema["items"] is JsonObject items)
        {
            string itemText = Describe(items, file);
            if (itemText.Length > 0)
            {
                parts.Add($"items: {itemText}");
            }
        }

        return string.Join(", ", parts);
    }

    private static string DefinitionName(string reference, SchemaFile file)
    {
        const string Prefix = "#/definitions/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file.FileName}: only local references ({Prefix}...) are supported, not {reference}.");
        }

        return reference[Prefix.Length..];
    }

    private void MarkUsedBy(ObjectModel model, string message)
    {
        foreach (PropertyModel property in model.Properties)
        {
            TypeRef type = property.Type.Item ?? property.Type;
            if (type.Named is { } named && named.UsedBy.Add(message) && named is ObjectModel nested)
            {
                MarkUsedBy(nested, message);
            }
        }
    }

    /// <summary>
    /// The validation keywords of a schema as one string, references replaced by what they point to and annotations left
    /// out, so two declarations that validate alike compare equal.
    /// </summary>
    private static string Signature(JsonNode? node, SchemaFile file)
    {
        var builder = new StringBuilder();
        AppendSignature(builder, node, file, depth: 0);
        return builder.ToString();
    }

    private static void AppendSignature(StringBuilder builder, JsonNode? node, SchemaFile file, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidOperationException($"{file.FileName}: recursive schemas are not supported.");
        }

        switch (node)
        {
            case JsonObject obj when Text(obj["$ref"]) is { } reference:
                AppendSignature(builder, file.Definitions[DefinitionName(reference, file)], file, depth + 1);
                break;
            case JsonObject obj:
                builder.Append('{');
                foreach ((string key, JsonNode? value) in obj.Where(p => !Annotations.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(key).Append(':');
                    if (key == "required" && value is JsonArray required)
                    {
                        builder.AppendJoin(',', required.Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
                    }
                    else
                    {
                        AppendSignature(builder, value, file, depth + 1);
                    }

                    builder.Append(';');
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                foreach (JsonNode? item in array)
                {
                    AppendSignature(builder, item, file, depth + 1);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case null:
                builder.Append("null");
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text
        : node is JsonValue other ? other.ToJsonString() : null;
}

using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpp.Tests.Messages.Generated;

/// <summary>
/// Builds payloads from a schema that the schema accepts: the required properties only, or every property; enum
/// values chosen by a variant number, so running the variants 0..n-1 puts each value of every enum on the wire once.
/// Values are written the way the generated records write them back (date-times in UTC with <c>Z</c>, numbers without
/// trailing zeros), so a round trip through a record must give the same JSON.
/// </summary>
internal static class SchemaExamples
{
    public static JsonNode Build(JsonObject root, bool everyProperty, int variant) =>
        Build(root, root["definitions"] as JsonObject ?? [], everyProperty, variant, depth: 0)!;

    /// <summary>How many variants it takes for every enum value to appear: the longest enum in the schema.</summary>
    public static int Variants(JsonObject root)
    {
        int longest = 1;
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["enum"] is JsonArray values)
                    {
                        longest = Math.Max(longest, values.Count);
                    }

                    foreach ((_, JsonNode? child) in obj)
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray array:
                    foreach (JsonNode? child in array)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(root);
        return longest;
    }

    private static JsonNode? Build(JsonObject schema, JsonObject definitions, bool everyProperty, int variant, int depth)
    {
        Assert.True(depth < 32, "schema nesting too deep");
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Build((JsonObject)definitions[reference["#/definitions/".Length..]]!, definitions, everyProperty, variant, depth + 1);
        }

        if (schema["enum"] is JsonArray values)
        {
            return JsonValue.Create(values[variant % values.Count]!.GetValue<string>());
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                var result = new JsonObject();
                var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
                foreach ((string name, JsonNode? property) in schema["properties"] as JsonObject ?? [])
                {
                    if (everyProperty || required.Contains(name))
                    {
                        result[name] = Build((JsonObject)property!, definitions, everyProperty, variant, depth + 1);
                    }
                }

                if (everyProperty && schema["additionalProperties"] is null && schema["properties"] is not null)
                {
                    // A vendor extension where the schema allows one (customData): kept through the round trip.
                    result["vendorExtension"] = new JsonObject { ["level"] = 2, ["tags"] = new JsonArray("a", "b") };
                }

                return result;
            case "array":
                int count = Math.Max(schema["minItems"]?.GetValue<int>() ?? 0, everyProperty ? 2 : 0);
                count = Math.Min(count, schema["maxItems"]?.GetValue<int>() ?? int.MaxValue);
                var array = new JsonArray();
                for (int i = 0; i < count; i++)
                {
                    array.Add(Build((JsonObject)schema["items"]!, definitions, everyProperty, variant + i, depth + 1));
                }

                return array;
            case "string":
                return schema["format"]?.GetValue<string>() switch
                {
                    "date-time" => JsonValue.Create("2024-03-01T08:15:27Z"),
                    "uri" => JsonValue.Create("https://firmware.example.com/ocpp/image.bin"),
                    _ => JsonValue.Create(new string('x', Math.Min(schema["maxLength"]?.GetValue<int>() ?? 12, 12))),
                };
            case "integer":
                return JsonValue.Create(Number(schema, 7m, integer: true));
            case "number":
                return JsonValue.Create(Number(schema, 12.5m, integer: false));
            case "boolean":
                return JsonValue.Create(variant % 2 == 0);
            case null:
                // DataTransfer.data: any JSON.
                return new JsonObject { ["nested"] = new JsonArray(1, "two", null), ["flag"] = true };
            default:
                throw new InvalidOperationException("unexpected schema type " + schema["type"]);
        }
    }

    private static decimal Number(JsonObject schema, decimal preferred, bool integer)
    {
        decimal? minimum = schema["minimum"]?.GetValue<decimal>();
        decimal? maximum = schema["maximum"]?.GetValue<decimal>();
        decimal? multipleOf = schema["multipleOf"]?.GetValue<decimal>();
        decimal value = multipleOf is { } step ? step * 3 : preferred;
        if (minimum is { } low && value < low)
        {
            value = low;
        }

        if (maximum is { } high && value > high)
        {
            value = high;
        }

        return integer ? decimal.Truncate(value) : value;
    }
}

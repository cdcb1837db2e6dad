using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Handlers.Ocpp16;
using EvCloud.Fast.Ocpp.Handlers.Ocpp2;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Fuzz;

/// <summary>
/// Writes one schema-valid CALL (SEND for a 2.1 message without a response) per charger-initiated action and
/// version into <c>corpus/ocpp16</c>, <c>corpus/ocpp201</c> and <c>corpus/ocpp21</c>, so every handler is reached
/// from the first iteration. Each payload is built from the action's official request schema with every property
/// down to three levels (required ones at any depth), then checked by the validator the dispatcher uses; the
/// realistic captures next to them (<c>real-*.json</c>) are written by hand.
/// </summary>
internal static class SeedCorpus
{
    private const int OptionalDepth = 3;

    public static int Write(string corpus)
    {
        OcppSchemaSet schemas = OcppSchemaSet.LoadEmbedded();
        int failed = 0;
        foreach ((OcppVersion version, string folder, string schemaFolder) in new[]
        {
            (OcppVersion.Ocpp16, "ocpp16", "ocpp1.6"),
            (OcppVersion.Ocpp201, "ocpp201", "ocpp2.0.1"),
            (OcppVersion.Ocpp21, "ocpp21", "ocpp2.1"),
        })
        {
            string directory = Path.Combine(corpus, folder);
            Directory.CreateDirectory(directory);
            foreach (OcppAction action in schemas.Actions(version).OrderBy(a => a.Name, StringComparer.Ordinal))
            {
                bool fromCharger = version == OcppVersion.Ocpp16
                    ? Ocpp16Handler.IsChargerInitiated(action.Name)
                    : Ocpp2Handler.IsChargerInitiated(action.Name, version);
                if (!fromCharger || action.Request is null)
                {
                    continue;
                }

                // 1.6 names a request schema after its action; 2.x adds "Request", except for a message without a response.
                string file = version == OcppVersion.Ocpp16 || action.Response is null ? action.Name + ".json" : action.Name + "Request.json";
                JsonObject schema = LoadSchema(schemaFolder, file);
                string? payload = null;
                foreach (int depth in new[] { OptionalDepth, 0 })
                {
                    string candidate = Example(schema, schema, 0, depth)!.ToJsonString();
                    var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(candidate));
                    if (action.Request.TryValidate(ref reader, out OcppValidationError error))
                    {
                        payload = candidate;
                        break;
                    }

                    Console.Error.WriteLine($"{folder}/{action.Name} (depth {depth}): {error.Code} {error.Description}");
                }

                if (payload is null)
                {
                    failed++;
                    continue;
                }

                int type = action.Response is null ? 6 : 2;
                File.WriteAllText(Path.Combine(directory, action.Name + ".json"), $"[{type},\"seed-{action.Name}\",\"{action.Name}\",{payload}]");
            }
        }

        Console.WriteLine(failed == 0 ? "seeds written to " + corpus : failed + " action(s) without a valid seed");
        return failed == 0 ? 0 : 1;
    }

    private static JsonObject LoadSchema(string schemaFolder, string file)
    {
        using Stream stream = typeof(OcppSchemaSet).Assembly.GetManifestResourceStream($"Schemas/{schemaFolder}/{file}")
            ?? throw new FileNotFoundException("No embedded schema " + schemaFolder + "/" + file);
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static JsonNode? Example(JsonObject root, JsonObject node, int depth, int optionalDepth)
    {
        if (node["$ref"] is JsonValue reference)
        {
            string name = reference.GetValue<string>()["#/definitions/".Length..];
            return Example(root, root["definitions"]![name]!.AsObject(), depth, optionalDepth);
        }

        if (node["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }

        string? type = node["type"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonArray a => a[0]!.GetValue<string>(),
            _ => node["properties"] is not null ? "object" : null,
        };
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                HashSet<string> required = node["required"] is JsonArray r ? r.Select(x => x!.GetValue<string>()).ToHashSet() : [];
                if (node["properties"] is JsonObject properties)
                {
                    foreach ((string name, JsonNode? property) in properties)
                    {
                        bool include = required.Contains(name) || (depth < optionalDepth && name != "customData");
                        if (include && property is JsonObject p)
                        {
                            result[name] = Example(root, p, depth + 1, optionalDepth);
                        }
                    }
                }

                return result;
            case "array":
                int count = Math.Max(1, node["minItems"]?.GetValue<int>() ?? 1);
                var array = new JsonArray();
                for (int i = 0; i < count; i++)
                {
                    array.Add(Example(root, node["items"]!.AsObject(), depth + 1, optionalDepth));
                }

                return array;
            case "string":
                return JsonValue.Create(StringExample(node));
            case "integer":
                return JsonValue.Create((long)Math.Max(node["minimum"]?.GetValue<double>() ?? 1, Math.Min(1, node["maximum"]?.GetValue<double>() ?? 1)));
            case "number":
                return JsonValue.Create(Math.Max(node["minimum"]?.GetValue<double>() ?? 1.5, Math.Min(1.5, node["maximum"]?.GetValue<double>() ?? 1.5)));
            case "boolean":
                return JsonValue.Create(false);
            default:
                return JsonValue.Create("x");
        }
    }

    private static string StringExample(JsonObject node)
    {
        string? format = node["format"] is JsonValue f ? f.GetValue<string>() : null;
        if (format == "date-time")
        {
            return "2024-03-01T08:15:27.482Z";
        }

        if (format == "uri")
        {
            return "https://csms.example.com/fw";
        }

        int max = node["maxLength"]?.GetValue<int>() ?? 20;
        int min = node["minLength"]?.GetValue<int>() ?? 1;
        string text = "FUZZ-TAG";
        text = text.Length > max ? text[..max] : text;
        return text.Length < min ? text.PadRight(min, 'x') : text;
    }
}

using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using EvCloud.Fast.Tariffs;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// The OCPI 2.2.1 Tariff object as the tariff endpoints read and write it. Those endpoints pass the partner-facing
/// JSON through <see cref="OcpiTariffJsonContext"/> (snake_case, OCPI numbers and dates), not the API's camelCase
/// options, so the schema is exported from that same context instead of being inferred from a <c>JsonElement</c>
/// (which would document any JSON, <c>{}</c>).
/// </summary>
public static class OcpiTariffSchema
{
    /// <summary>Component name of the tariff schema.</summary>
    public const string Name = "OcpiTariff";

    private const string TimeOfDayPattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /// <summary>Adds the <see cref="Name"/> component to the document.</summary>
    public static void AddTo(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        JsonNode exported = JsonSchemaExporter.GetJsonSchemaAsNode(OcpiTariffJsonContext.Default.Tariff, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Transform,
        });
        exported["description"] = "OCPI 2.2.1 Tariff object (mod_tariffs), with OCPI's snake_case names; it is validated when stored.";
        var schema = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(exported, OpenApiSpecVersion.OpenApi3_1, document, out _)
            ?? throw new InvalidOperationException("The exported tariff schema could not be read as an OpenAPI schema.");
        document.AddComponent(Name, schema);
    }

    /// <summary>A reference to the tariff component.</summary>
    public static IOpenApiSchema Reference(OpenApiDocument? document) => new OpenApiSchemaReference(Name, document);

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        // NOTE: an optional constructor parameter with a custom converter (Price.incl_vat) reaches us only through its
        // parent: the exporter gives it a bare {"default": null} without asking us, so the parent fills in its type.
        if (schema is JsonObject parent && parent["properties"] is JsonObject properties)
        {
            foreach (JsonPropertyInfo property in context.TypeInfo.Properties)
            {
                if (properties[property.Name] is JsonObject described && !described.ContainsKey("description") && Documentation.Of(property) is { } text)
                {
                    described["description"] = text;
                }

                if (properties[property.Name] is JsonObject member && !member.ContainsKey("type") && OcpiScalar(property.PropertyType) is { } scalar)
                {
                    foreach (string key in scalar.Select(p => p.Key).ToArray())
                    {
                        JsonNode? value = scalar[key];
                        scalar.Remove(key);
                        member[key] = value;
                    }
                }
            }
        }

        return OcpiScalar(context.TypeInfo.Type) ?? schema;
    }

    /// <summary>
    /// The tariff model's XML comments (EvCloud.Fast.Tariffs.xml, copied next to the binaries on build and publish), so
    /// the OCPI members are described in the words of the code. Without the file the schema simply has no member
    /// descriptions.
    /// </summary>
    private static class Documentation
    {
        private static readonly Dictionary<string, XElement> Members = Load();

        public static string? Of(JsonPropertyInfo property)
        {
            if (property.AttributeProvider is not MemberInfo { DeclaringType: { } type } member)
            {
                return null;
            }

            // A property's own summary, or a positional record parameter's <param> on its type.
            XElement? summary = Members.GetValueOrDefault("P:" + type.FullName + "." + member.Name)?.Element("summary")
                ?? Members.GetValueOrDefault("T:" + type.FullName)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == member.Name);
            return summary is null ? null : Text(summary);
        }

        private static Dictionary<string, XElement> Load()
        {
            string file = Path.Combine(AppContext.BaseDirectory, typeof(Tariff).Assembly.GetName().Name + ".xml");
            if (!File.Exists(file))
            {
                return [];
            }

            return XDocument.Load(file).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);
        }

        // <see cref="T:X.Y"/> becomes Y, <c>x</c> and <paramref name="x"/> become x; whitespace collapses to single spaces.
        private static string Text(XElement element)
        {
            var text = new StringBuilder();
            foreach (XNode node in element.Nodes())
            {
                text.Append(node switch
                {
                    XText t => t.Value,
                    XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "").Split('.')[^1],
                    XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name"),
                    XElement inner => Text(inner),
                    _ => "",
                });
            }

            return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
    }

    // The OCPI converters write plain JSON numbers, RFC 3339 UTC date-times and "HH:MM" times; the exporter cannot see
    // through a custom converter and would leave these unconstrained.
    private static JsonObject? OcpiScalar(Type type)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        JsonObject? scalar = (underlying ?? type) switch
        {
            Type t when t == typeof(decimal) => new JsonObject { ["type"] = "number" },
            Type t when t == typeof(DateTimeOffset) => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            Type t when t == typeof(TimeOnly) => new JsonObject { ["type"] = "string", ["pattern"] = TimeOfDayPattern },
            _ => null,
        };
        if (scalar is not null && underlying is not null)
        {
            scalar["type"] = new JsonArray(scalar["type"]!.GetValue<string>(), "null");
        }

        return scalar;
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>Lists the values of string members marked with <see cref="StringValuesAttribute"/> as the schema's <c>enum</c>.</summary>
public sealed class ApiSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(StringValuesAttribute), inherit: true) is [StringValuesAttribute values, ..])
        {
            schema.Enum = [.. values.Values.Select(v => (JsonNode)JsonValue.Create(v))];
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
            {
                // A nullable member may also be null; an enum without null would forbid it.
                schema.Enum.Add(null!);
            }
        }

        return Task.CompletedTask;
    }
}

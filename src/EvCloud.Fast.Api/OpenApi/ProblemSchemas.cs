using System.Reflection;
using System.Text.Json.Nodes;
using EvCloud.Fast.Http;
using Microsoft.OpenApi;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// The problem+json bodies as the API actually writes them (<see cref="ApiProblem"/>, the authentication handler and
/// the exception handler): RFC 7807 members plus the stable <c>code</c> and the request's <c>traceId</c>. ASP.NET's own
/// <c>ProblemDetails</c> schema lacks both, so every problem response of the document points here instead.
/// </summary>
public static class ProblemSchemas
{
    /// <summary>Component name of every problem body.</summary>
    public const string Problem = "Problem";

    /// <summary>The media type every error is sent with.</summary>
    public const string MediaType = "application/problem+json";

    /// <summary>Every <see cref="ProblemCodes"/> value, read from its constants so a new code is documented at once.</summary>
    public static IReadOnlyList<string> Codes { get; } = typeof(ProblemCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Adds <see cref="Problem"/> to the document's components.</summary>
    public static void AddTo(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.AddComponent(Problem, CreateProblem());
    }

    private static OpenApiSchema CreateProblem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details. Clients switch on code; title and detail are for people and may change.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "code", "traceId" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = String("urn:evcloud:problem:<code>, one URI per code.", "uri"),
            ["title"] = String("A short summary of the problem for people."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code, repeated." },
            ["detail"] = String("What went wrong in this request, for people."),
            ["instance"] = String("The request path, when the server sets it.", "uri-reference"),
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The stable error code.",
                Enum = [.. Codes.Select(c => (JsonNode)JsonValue.Create(c))],
            },
            ["traceId"] = String("The request's trace id, as the server logged it; quote it when reporting a problem."),
            ["commandId"] = String("Command problems: the id of the command the charger was sent."),
            ["action"] = String("Command problems: the OCPP action."),
            ["ocppErrorCode"] = String("charger_error: the OCPP CALLERROR code the charger answered with."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "validation_failed: messages per invalid field (a parameter name, a body member, or 'body').",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["ocpiStatusCode"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "OCPI problems: the status_code the partner answered with." },
        },
    };

    private static OpenApiSchema String(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };
}

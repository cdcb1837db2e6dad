using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// The document as a whole: its description, the API-key security schemes and the problem schema that
/// <see cref="ApiOperationTransformer"/> points every error response at. Runs after the operation transformers.
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    /// <summary>What each group of operations is for, shown above it in the reference page.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Chargers"] = "Chargers as the server knows them: boot data, connectors or EVSEs, connection, device model.",
        ["Transactions"] = "Charging transactions with their meter data, from every OCPP version.",
        ["Tokens"] = "The tokens (idTags) chargers may authorize, and their status.",
        ["Charger administration"] = "Which charge point ids may register, and the Basic passwords and security profiles they use.",
        ["API keys"] = "The keys that call this API, and their roles.",
        ["Commands"] = "Commands to chargers, answered at once or queued until the charger is back online.",
        ["Events"] = "The live event stream (server-sent events) of charger, transaction and CDR events.",
        ["Tariffs"] = "OCPI 2.2.1 tariffs and where each applies.",
        ["Sessions"] = "Charging sessions in progress, priced so far.",
        ["CDRs"] = "Charge detail records: the priced, final record of each session, with corrections.",
        ["OCPI"] = "Roaming partners over OCPI 2.2.1 / 2.1.1: registration, tokens, received objects, outbox and commands.",
        ["Health"] = "Whether the process is up; anonymous, for load balancers and probes.",
    };

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "EvCloud.Fast application API",
            Version = "v1",
            Description = "Chargers, transactions, tokens, commands, CDRs and live events, the same for OCPP 1.6, 2.0.1 and 2.1 chargers.\n\n" +
                "Authenticate with an API key, as `Authorization: Bearer evc_…` or `X-API-Key: evc_…`; its role (Reader, Operator, " +
                "Admin) decides what it may call, and each operation says which it needs. Every error is RFC 7807 " +
                "`application/problem+json` with a stable `code` and the request's `traceId`.",
        };
        // The server URL comes from the request; without the trailing slash, paths append to it as written.
        foreach (OpenApiServer server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (OpenApiTag tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is not null && TagDescriptions.TryGetValue(tag.Name, out string? description))
            {
                tag.Description = description;
            }
        }

        ApiSecuritySchemes.AddTo(document);
        ProblemSchemas.AddTo(document);
        OcpiTariffSchema.AddTo(document);

        // NOTE: every problem response now refers to Problem (the operation transformer replaced ASP.NET's), so its
        // ProblemDetails schemas would only be unused components.
        document.Components?.Schemas?.Remove("ProblemDetails");
        document.Components?.Schemas?.Remove("HttpValidationProblemDetails");
        return Task.CompletedTask;
    }
}

using System.Globalization;
using EvCloud.Fast.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// Describes each operation from what its endpoint enforces, so no endpoint has to repeat it: an endpoint that
/// requires a policy gets the API-key security requirement, a 401 and (when the policy needs more than any valid key)
/// a 403; an anonymous one gets an empty requirement; every error response, declared or added here, carries the
/// problem schema the server actually sends.
/// </summary>
public sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    /// <summary>The role each policy needs, for the operation's description; <see cref="ApiPolicies.Read"/> accepts any key.</summary>
    private static readonly Dictionary<string, string> PolicyRoles = new(StringComparer.Ordinal)
    {
        [ApiPolicies.Read] = "any API key (Reader, Operator or Admin)",
        [ApiPolicies.Operate] = "an Operator or Admin API key",
        [ApiPolicies.Admin] = "an Admin API key",
    };

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        IList<object> metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        bool anonymous = metadata.OfType<IAllowAnonymous>().Any();
        string[] policies = anonymous ? [] : [.. metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? ApiPolicies.Read).Distinct(StringComparer.Ordinal)];
        if (policies.Length == 0)
        {
            // NOTE: an explicit empty list, not an absent one: absent would mean "the document's default", and a
            // reader (or a linter) could not tell an anonymous endpoint from one that forgot its requirement.
            operation.Security = [];
        }
        else
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiSecuritySchemes.Bearer, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiSecuritySchemes.Header, context.Document)] = [] },
            ];
            // A group's Read under an endpoint's Operate or Admin adds nothing: name only what narrows.
            string[] narrowing = policies.Length > 1 ? [.. policies.Where(p => p != ApiPolicies.Read)] : policies;
            string who = string.Join(" and ", narrowing.Select(p => PolicyRoles.GetValueOrDefault(p, "the '" + p + "' policy")));
            operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + "Requires " + who + ".";
            operation.Responses.TryAdd("401", new OpenApiResponse());
            if (policies.Any(p => p != ApiPolicies.Read))
            {
                operation.Responses.TryAdd("403", new OpenApiResponse());
            }
        }

        if (metadata.OfType<OcpiTariffBody>().FirstOrDefault() is { } tariff)
        {
            DescribeTariffBody(operation, tariff, context.Document);
        }

        if (operation.RequestBody is not null)
        {
            // A body that is not JSON of the expected shape never reaches the handler: it gets malformed_body.
            operation.Responses.TryAdd("400", new OpenApiResponse());
        }

        // The exception handler answers any unexpected failure with internal_error.
        operation.Responses.TryAdd("500", new OpenApiResponse());
        foreach ((string status, IOpenApiResponse response) in operation.Responses.ToArray())
        {
            if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 400)
            {
                continue;
            }

            operation.Responses[status] = new OpenApiResponse
            {
                Description = ErrorDescription(code, response.Description),
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    [ProblemSchemas.MediaType] = new() { Schema = new OpenApiSchemaReference(ProblemSchemas.Problem, context.Document) },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static void DescribeTariffBody(OpenApiOperation operation, OcpiTariffBody tariff, OpenApiDocument? document)
    {
        if (tariff.Request && operation.RequestBody?.Content is { } request && request.TryGetValue("application/json", out OpenApiMediaType? body))
        {
            body.Schema = OcpiTariffSchema.Reference(document);
        }

        if ((tariff.Response || tariff.ResponseList) && operation.Responses!.TryGetValue("200", out IOpenApiResponse? ok)
            && ok.Content is { } content && content.TryGetValue("application/json", out OpenApiMediaType? media))
        {
            media.Schema = tariff.ResponseList
                ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = OcpiTariffSchema.Reference(document) }
                : OcpiTariffSchema.Reference(document);
        }
    }

    /// <summary>What a status means in this API, naming the codes it comes with; an endpoint's own wording wins.</summary>
    private static string ErrorDescription(int status, string? declared) => status switch
    {
        _ when !string.IsNullOrEmpty(declared) && !IsDefaultReason(status, declared) => declared,
        400 => "Invalid parameters or body (validation_failed, with errors per field; malformed_body; invalid_command).",
        401 => "No API key, or one the server does not know (unauthorized).",
        403 => "The API key's role does not allow this call (forbidden).",
        404 => "The resource does not exist (not_found, charger_not_found).",
        409 => "The resource's state does not allow the call (conflict; charger_offline for commands).",
        422 => "The command cannot be expressed for the charger's OCPP version (unsupported_for_version).",
        500 => "An unexpected server error, logged with the traceId (internal_error).",
        502 => "The charger answered with a CALLERROR (charger_error) or an invalid answer (charger_invalid_response).",
        503 => "Too many commands are waiting for this charger (charger_busy).",
        504 => "The charger did not answer in time (charger_timeout).",
        _ => "An error, as problem+json with a stable code.",
    };

    // ASP.NET fills a declared status's description with its reason phrase ("Not Found"); ours says more.
    private static bool IsDefaultReason(int status, string description) =>
        string.Equals(description, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), StringComparison.OrdinalIgnoreCase);
}

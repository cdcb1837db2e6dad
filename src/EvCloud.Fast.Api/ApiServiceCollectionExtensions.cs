using EvCloud.Fast.Api.Endpoints;
using EvCloud.Fast.Api.OpenApi;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Api;

/// <summary>Registration and mapping of the unified application API.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the API's services: options (<c>Api</c>), API-key authentication and role policies, problem details, JSON
    /// source generation and the OpenAPI document. Needs the OCPP gateway and the command layer
    /// (<see cref="CommandServiceCollectionExtensions.AddChargerCommands"/>).
    /// </summary>
    public static IServiceCollection AddEvCloudApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Api").Get<ApiOptions>() ?? new ApiOptions());
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<CommandDependencies>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, p => p.RequireRole(nameof(ApiRole.Reader)))
            .AddPolicy(ApiPolicies.Operate, p => p.RequireRole(nameof(ApiRole.Operator)))
            .AddPolicy(ApiPolicies.Admin, p => p.RequireRole(nameof(ApiRole.Admin)));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
            {
                StatusCodes.Status400BadRequest => ProblemCodes.MalformedBody,
                StatusCodes.Status404NotFound => ProblemCodes.NotFound,
                StatusCodes.Status401Unauthorized => ProblemCodes.Unauthorized,
                StatusCodes.Status403Forbidden => ProblemCodes.Forbidden,
                _ => ProblemCodes.InternalError,
            });
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // The OCPP payload records of the typed command endpoints, for their OpenAPI schemas.
            options.SerializerOptions.TypeInfoResolverChain.Add(V16JsonContext.Default);
            options.SerializerOptions.TypeInfoResolverChain.Add(V201JsonContext.Default);
            options.SerializerOptions.TypeInfoResolverChain.Add(V21JsonContext.Default);
        });
        services.AddOpenApi("v1", options =>
        {
            WithOcppSchemaIds(options);
            options.AddSchemaTransformer<ApiSchemaTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return services;
    }

    /// <summary>
    /// Maps <c>/api/v1/...</c>, the OpenAPI document at <c>/openapi/v1.json</c> and its browsable reference at
    /// <c>/api/docs</c>, with the error handling that turns failures into problem+json.
    /// </summary>
    public static WebApplication MapEvCloudApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "EvCloud.Fast API v1");
            options.RoutePrefix = "api/docs";
            options.DocumentTitle = "EvCloud.Fast API reference";
        });

        RouteGroupBuilder api = app.MapGroup(ApiRoutes.Prefix);
        ChargerEndpoints.Map(api);
        TokenEndpoints.Map(api);
        AdminEndpoints.Map(api);
        CommandEndpoints.Map(api);
        TypedCommandEndpoints.Map(api);
        ChargerCommandEndpoints.Map(api);
        CdrEndpoints.Map(api);
        PricingEndpoints.Map(api);
        EventStreamEndpoints.Map(api);
        return app;
    }

    private const string GeneratedNamespace = "EvCloud.Fast.Ocpp.Messages.Generated.";

    // The OCPP records of 1.6, 2.0.1 and 2.1 share names (ResetRequest is in all three), so their schemas carry the
    // version (V16ResetRequest); every other type keeps its default schema name.
    private static OpenApiOptions WithOcppSchemaIds(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = type => type.Type.Namespace is { } ns && ns.StartsWith(GeneratedNamespace, StringComparison.Ordinal)
            ? ns[GeneratedNamespace.Length..] + type.Type.Name
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        return options;
    }
}

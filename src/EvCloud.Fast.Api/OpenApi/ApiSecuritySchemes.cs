using Microsoft.OpenApi;

namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// The two ways <see cref="Security.ApiKeyAuthenticationHandler"/> accepts an API key, as OpenAPI security schemes; an
/// authenticated operation accepts either.
/// </summary>
public static class ApiSecuritySchemes
{
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string Bearer = "ApiKeyBearer";

    /// <summary><c>X-API-Key: &lt;key&gt;</c>.</summary>
    public const string Header = "ApiKeyHeader";

    /// <summary>Adds both schemes to the document's components.</summary>
    public static void AddTo(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        // Descriptions are CommonMark in the reference page: a bare <key> would be read as an HTML tag and vanish.
        document.AddComponent(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key",
            Description = "`Authorization: Bearer evc_…`: an API key created with `POST /api/v1/api-keys`, configured under `Api:Keys`, " +
                "or the admin key the server logs once on the first start of a fresh install.",
        });
        document.AddComponent(Header, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "`X-API-Key: evc_…`: the same API key in its own header, for clients that cannot set Authorization.",
        });
    }
}

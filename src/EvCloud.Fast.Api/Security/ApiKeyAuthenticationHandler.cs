using System.Security.Claims;
using System.Text.Encodings.Web;
using EvCloud.Fast.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvCloud.Fast.Api.Security;

/// <summary>
/// Authenticates API calls by key: <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>. Failures
/// answer 401 / 403 as problem+json (codes <c>unauthorized</c> / <c>forbidden</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim carrying the key's name (the audit source of commands).</summary>
    public const string KeyNameClaim = "evcloud:key-name";

    private readonly ApiKeyStore _keys;

    /// <summary>Creates the handler.</summary>
    public ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
        : base(options, logger, encoder)
    {
        _keys = keys;
    }

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        string? authorization = Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization[7..].Trim();
        }
        else if (Request.Headers.TryGetValue("X-API-Key", out var header))
        {
            presented = header.ToString().Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        ApiKeyRecord? key = _keys.Find(presented);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key"));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(KeyNameClaim, key.Name) };
        for (ApiRole role = ApiRole.Reader; role <= key.Role; role++)
        {
            claims.Add(new Claim(ClaimTypes.Role, role.ToString()));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblem.WriteAsync(Context, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "API key required",
            "Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblem.WriteAsync(Context, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not allowed",
            "This API key's role does not allow this call.");
}

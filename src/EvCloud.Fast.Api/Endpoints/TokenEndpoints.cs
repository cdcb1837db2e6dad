using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary><c>/api/v1/tokens</c>: the local authorization store that answers Authorize and transaction starts.</summary>
internal static class TokenEndpoints
{
    /// <summary>OCPP 1.6 IdToken is CiString20; 2.x idToken is string(36).</summary>
    private const int MaxIdTagLength = 36;

    private static readonly AuthorizationStatus[] WritableStatuses =
    [
        AuthorizationStatus.Accepted, AuthorizationStatus.Blocked, AuthorizationStatus.Expired, AuthorizationStatus.Invalid,
        AuthorizationStatus.NoCredit, AuthorizationStatus.NotAllowedTypeEVSE, AuthorizationStatus.NotAtThisLocation, AuthorizationStatus.NotAtThisTime,
    ];

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", List).RequireAuthorization(ApiPolicies.Read)
            .WithName("ListTokens").WithSummary("List tokens, ordered by id tag")
            .Produces<Page<TokenView>>().ProducesValidationProblem();
        tokens.MapGet("/{idTag}", Get).RequireAuthorization(ApiPolicies.Read)
            .WithName("GetToken").WithSummary("One token")
            .Produces<TokenView>().ProducesProblem(StatusCodes.Status404NotFound);
        tokens.MapPut("/{idTag}", PutAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithName("PutToken").WithSummary("Create or replace a token (durable before the answer)")
            .WithDescription("Overrides a configured token with the same id tag. Chargers see the change at their next Authorize or transaction start.")
            .Accepts<TokenWrite>("application/json").Produces<TokenView>().ProducesValidationProblem();
        tokens.MapPost("/{idTag}/block", (string idTag, TokenStore store, CancellationToken ct) => SetStatusAsync(idTag, AuthorizationStatus.Blocked, store, ct))
            .RequireAuthorization(ApiPolicies.Operate)
            .WithName("BlockToken").WithSummary("Block a token: Authorize answers Blocked")
            .Produces<TokenView>().ProducesProblem(StatusCodes.Status404NotFound);
        tokens.MapPost("/{idTag}/unblock", (string idTag, TokenStore store, CancellationToken ct) => SetStatusAsync(idTag, AuthorizationStatus.Accepted, store, ct))
            .RequireAuthorization(ApiPolicies.Operate)
            .WithName("UnblockToken").WithSummary("Unblock a token: Authorize answers Accepted again (unless expired)")
            .Produces<TokenView>().ProducesProblem(StatusCodes.Status404NotFound);
        tokens.MapDelete("/{idTag}", DeleteAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithName("DeleteToken").WithSummary("Delete a token: it answers as unknown (Ocpp:Authorization:UnknownTokens)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(HttpContext context, TokenStore store, ApiOptions options, string? status, int? offset, int? limit)
    {
        if (!Paging.TryRead(offset, limit, options, out int from, out int count, out IResult? problem))
        {
            return problem!;
        }

        IEnumerable<TokenRecord> query = store.All;
        if (status is not null)
        {
            if (!Enum.TryParse(status, ignoreCase: true, out AuthorizationStatus wanted) || !WritableStatuses.Contains(wanted))
            {
                return ApiProblem.Validation("status", "status must be one of " + string.Join(", ", WritableStatuses) + ".");
            }

            query = query.Where(t => t.Status == wanted);
        }

        TokenView[] all = [.. query.OrderBy(t => t.IdTag, StringComparer.Ordinal).Select(t => Views.Token(t, store.OpenTransactions(t.IdTag)))];
        return TypedResults.Ok(Paging.Page(context, all, from, count));
    }

    private static IResult Get(string idTag, TokenStore store) =>
        store.Get(idTag) is { } token ? TypedResults.Ok(Views.Token(token, store.OpenTransactions(idTag))) : ApiProblem.NotFound("Token '" + idTag + "'");

    private static async Task<IResult> PutAsync(string idTag, TokenWrite? body, TokenStore store, CancellationToken cancellationToken)
    {
        if (idTag.Length > MaxIdTagLength)
        {
            return ApiProblem.Validation("idTag", $"An id tag has at most {MaxIdTagLength} characters (OCPP 2.x idToken; 20 for 1.6 chargers).");
        }

        body ??= new TokenWrite(null, null, null, null);
        AuthorizationStatus status = AuthorizationStatus.Accepted;
        if (body.Status is not null && (!Enum.TryParse(body.Status, ignoreCase: true, out status) || !WritableStatuses.Contains(status)))
        {
            return ApiProblem.Validation("status", "status must be one of " + string.Join(", ", WritableStatuses) + ".");
        }

        if (body.ParentIdTag is { Length: > MaxIdTagLength })
        {
            return ApiProblem.Validation("parentIdTag", $"A parent id tag has at most {MaxIdTagLength} characters.");
        }

        return await SaveAsync(idTag, status, body.ExpiryDate, body.ParentIdTag, body.AllowConcurrentTransactions, store, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> SetStatusAsync(string idTag, AuthorizationStatus status, TokenStore store, CancellationToken cancellationToken)
    {
        if (store.Get(idTag) is not { } existing)
        {
            return ApiProblem.NotFound("Token '" + idTag + "'");
        }

        return await SaveAsync(idTag, status, existing.ExpiryDate, existing.ParentIdTag, existing.AllowConcurrentTransactions, store, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> SaveAsync(
        string idTag, AuthorizationStatus status, DateTimeOffset? expiry, string? parentIdTag, bool? allowConcurrent, TokenStore store, CancellationToken cancellationToken)
    {
        var token = new TokenRecord
        {
            IdTag = idTag,
            Status = status,
            ExpiryDate = expiry,
            ParentIdTag = parentIdTag,
            AllowConcurrentTransactions = allowConcurrent,
            LastUpdated = DateTimeOffset.UtcNow,
        };
        await store.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Views.Token(token, store.OpenTransactions(idTag)));
    }

    private static async Task<IResult> DeleteAsync(string idTag, TokenStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(idTag, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : ApiProblem.NotFound("Token '" + idTag + "'");
}

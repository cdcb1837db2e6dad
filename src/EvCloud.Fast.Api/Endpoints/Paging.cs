using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// Offset pagination shared by the list endpoints: <c>offset</c> (default 0) and <c>limit</c> (default 50, at most
/// <see cref="ApiOptions.MaxPageSize"/>); the response carries the total, the URL of the next page in the body's
/// <c>next</c> and in a <c>Link: &lt;…&gt;; rel="next"</c> header, and <c>X-Total-Count</c>.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 50;

    public static bool TryRead(int? offset, int? limit, ApiOptions options, out int from, out int count, out IResult? problem)
    {
        from = offset ?? 0;
        count = limit ?? DefaultLimit;
        problem = null;
        if (from < 0)
        {
            problem = ApiProblem.Validation("offset", "offset must be 0 or more.");
            return false;
        }

        if (count < 1 || count > options.MaxPageSize)
        {
            problem = ApiProblem.Validation("limit", $"limit must be between 1 and {options.MaxPageSize}.");
            return false;
        }

        return true;
    }

    public static Page<T> Page<T>(HttpContext context, IReadOnlyList<T> all, int offset, int limit)
    {
        T[] items = [.. all.Skip(offset).Take(limit)];
        string? next = null;
        if (offset + items.Length < all.Count)
        {
            var query = new QueryBuilder(context.Request.Query
                .Where(q => q.Key is not ("offset" or "limit"))
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))))
            {
                { "offset", (offset + items.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                { "limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
            next = UriHelper.BuildAbsolute(context.Request.Scheme, context.Request.Host, context.Request.PathBase, context.Request.Path, query.ToQueryString());
            context.Response.Headers.Link = "<" + next + ">; rel=\"next\"";
        }

        context.Response.Headers["X-Total-Count"] = all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Page<T>(items, all.Count, offset, limit, next);
    }
}

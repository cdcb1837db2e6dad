using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>A page request of OCPI 2.2.1 §4.1.6.1: offset, limit, date_from (inclusive) and date_to (exclusive) on last_updated.</summary>
/// <param name="Offset">First object (0-based).</param>
/// <param name="Limit">Objects in this page: what the client asked for, capped at the server's maximum (X-Limit).</param>
/// <param name="DateFrom">Only objects with last_updated ≥ this.</param>
/// <param name="DateTo">Only objects with last_updated &lt; this.</param>
public readonly record struct OcpiPage(int Offset, int Limit, DateTimeOffset? DateFrom, DateTimeOffset? DateTo)
{
    /// <summary>Whether <paramref name="lastUpdated"/> falls in [date_from, date_to).</summary>
    public bool Matches(DateTimeOffset lastUpdated) =>
        (DateFrom is not { } from || lastUpdated >= from) && (DateTo is not { } to || lastUpdated < to);

    /// <summary>
    /// date_from in Unix ms for an index of millisecond last_updated values, rounded up: a partner's finer date_from
    /// (7 fractional digits) must not take in the millisecond it falls within.
    /// </summary>
    public long? FromMs => DateFrom is { } from ? CeilingMs(from) : null;

    /// <summary>date_to in Unix ms, rounded up: last_updated &lt; date_to holds for a whole ms below a finer date_to.</summary>
    public long? ToMs => DateTo is { } to ? CeilingMs(to) : null;

    private static long CeilingMs(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
}

/// <summary>Reads page requests and writes paginated answers (OCPI 2.2.1 §4.1.6).</summary>
public static class OcpiPaging
{
    /// <summary>
    /// Reads the parameters. A limit above <paramref name="maxLimit"/> is lowered to it, not refused (§4.1.6.2: "the
    /// server limits the maximum number of objects to return"); a negative offset, a limit below 1 or a date that
    /// does not parse is 2001.
    /// </summary>
    public static bool TryRead(IQueryCollection query, int defaultLimit, int maxLimit, out OcpiPage page, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        page = default;
        error = null;
        int offset = 0, limit = Math.Min(defaultLimit, maxLimit);
        if (query.TryGetValue("offset", out var offsetText) && (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            error = "offset must be a non-negative integer.";
            return false;
        }

        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                error = "limit must be a positive integer.";
                return false;
            }

            limit = Math.Min(limit, maxLimit);
        }

        DateTimeOffset? from = null, to = null;
        if (query.TryGetValue("date_from", out var fromText))
        {
            if (!OcpiDates.TryParse(fromText, out DateTimeOffset value))
            {
                error = "date_from is not an RFC 3339 date-time.";
                return false;
            }

            from = value;
        }

        if (query.TryGetValue("date_to", out var toText))
        {
            if (!OcpiDates.TryParse(toText, out DateTimeOffset value))
            {
                error = "date_to is not an RFC 3339 date-time.";
                return false;
            }

            to = value;
        }

        page = new OcpiPage(offset, limit, from, to);
        return true;
    }

    /// <summary>
    /// Cuts one page out of the matching objects (already filtered and in a stable order, oldest first) and writes the
    /// headers: <c>X-Total-Count</c> (all matching, §4.1.6.2), <c>X-Limit</c> (the cap, not the count returned) and
    /// <c>Link: &lt;…&gt;; rel="next"</c> carrying every filter of the request, absent on the last page.
    /// </summary>
    public static List<T> Apply<T>(HttpContext context, IReadOnlyList<T> matching, OcpiPage page, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(matching);
        int start = Math.Min(page.Offset, matching.Count);
        int count = Math.Min(page.Limit, matching.Count - start);
        var items = new List<T>(count);
        for (int i = start; i < start + count; i++)
        {
            items.Add(matching[i]);
        }

        WriteHeaders(context, matching.Count, start, count, page, baseUrl);
        return items;
    }

    /// <summary>
    /// The headers of a page an index already cut (<see cref="Storage.LastUpdatedIndex"/>): <paramref name="count"/>
    /// objects at the request's offset out of <paramref name="total"/> matching.
    /// </summary>
    public static void WriteHeaders(HttpContext context, int total, int count, OcpiPage page, string baseUrl) =>
        WriteHeaders(context, total, Math.Min(page.Offset, total), count, page, baseUrl);

    private static void WriteHeaders(HttpContext context, int total, int start, int count, OcpiPage page, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        IHeaderDictionary headers = context.Response.Headers;
        headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        headers["X-Limit"] = page.Limit.ToString(CultureInfo.InvariantCulture);
        if (start + count < total)
        {
            var query = new QueryBuilder();
            foreach (var (key, values) in context.Request.Query)
            {
                if (key is "offset" or "limit")
                {
                    continue;
                }

                foreach (string? value in values)
                {
                    query.Add(key, value ?? "");
                }
            }

            query.Add("offset", (start + count).ToString(CultureInfo.InvariantCulture));
            query.Add("limit", page.Limit.ToString(CultureInfo.InvariantCulture));
            headers.Link = "<" + baseUrl + context.Request.Path + query.ToQueryString() + ">; rel=\"next\"";
        }
    }

    /// <summary>The URL in a <c>Link</c> header's <c>rel="next"</c>, if any (client side).</summary>
    public static string? NextLink(IEnumerable<string> linkHeaders)
    {
        ArgumentNullException.ThrowIfNull(linkHeaders);
        foreach (string header in linkHeaders)
        {
            foreach (string part in header.Split(','))
            {
                int open = part.IndexOf('<', StringComparison.Ordinal);
                int close = part.IndexOf('>', StringComparison.Ordinal);
                if (open >= 0 && close > open && part.AsSpan(close).Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                {
                    return part[(open + 1)..close].Trim();
                }
            }
        }

        return null;
    }
}

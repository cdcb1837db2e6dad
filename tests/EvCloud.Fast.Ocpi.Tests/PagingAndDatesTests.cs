using EvCloud.Fast.Ocpi.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class PagingAndDatesTests
{
    private static IQueryCollection Query(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request.Query;

    [Fact]
    public void TryRead_Defaults_AndCapsTheLimit()
    {
        Assert.True(OcpiPaging.TryRead(Query(""), 100, 1000, out OcpiPage page, out _));
        Assert.Equal(new OcpiPage(0, 100, null, null), page);

        Assert.True(OcpiPaging.TryRead(Query("?limit=5000&offset=7"), 100, 1000, out page, out _));
        Assert.Equal((7, 1000), (page.Offset, page.Limit));
    }

    [Theory]
    [InlineData("?offset=-1")] // negative offset
    [InlineData("?limit=0")] // a page of nothing
    [InlineData("?limit=ten")] // not a number
    [InlineData("?date_from=2016-13-01T00:00:00Z")] // month 13
    [InlineData("?date_to=yesterday")] // not RFC 3339
    [InlineData("?date_from=2016-01-01")] // a date without time
    public void TryRead_Refuses_BadParameters(string query)
    {
        Assert.False(OcpiPaging.TryRead(Query(query), 100, 1000, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Page_IsInclusiveFrom_AndExclusiveTo()
    {
        var from = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        var page = new OcpiPage(0, 10, from, to);

        Assert.True(page.Matches(from));
        Assert.False(page.Matches(to));
        Assert.False(page.Matches(from.AddTicks(-1)));
        Assert.True(page.Matches(to.AddTicks(-1)));
    }

    [Fact]
    public void Apply_WritesTotalLimitAndANextLinkWithEveryFilter()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/ocpi/cpo/2.2.1/locations";
        context.Request.QueryString = new QueryString("?date_from=2016-01-01T00:00:00Z&limit=2");
        Assert.True(OcpiPaging.TryRead(context.Request.Query, 100, 1000, out OcpiPage page, out _));

        List<int> items = OcpiPaging.Apply(context, [1, 2, 3, 4, 5], page, "https://cpo.example.com");

        Assert.Equal([1, 2], items);
        Assert.Equal("5", context.Response.Headers["X-Total-Count"]);
        Assert.Equal("2", context.Response.Headers["X-Limit"]);
        Assert.Equal(
            "<https://cpo.example.com/ocpi/cpo/2.2.1/locations?date_from=2016-01-01T00%3A00%3A00Z&offset=2&limit=2>; rel=\"next\"",
            context.Response.Headers.Link.ToString());
    }

    [Theory]
    [InlineData(3, 2, false)] // the last page
    [InlineData(5, 2, false)] // past the end: empty, no link
    [InlineData(0, 5, false)] // everything in one page
    [InlineData(0, 4, true)] // one left over
    public void Apply_LinksOnlyWhenMoreRemain(int offset, int limit, bool linked)
    {
        var context = new DefaultHttpContext();
        OcpiPaging.Apply(context, [1, 2, 3, 4, 5], new OcpiPage(offset, limit, null, null), "http://h");

        Assert.Equal(linked, context.Response.Headers.ContainsKey("Link"));
        Assert.Equal("5", context.Response.Headers["X-Total-Count"]);
    }

    [Fact]
    public void NextLink_FindsRelNext_AmongOtherLinks()
    {
        Assert.Equal("https://x/a?offset=2", OcpiPaging.NextLink(["<https://x/a?offset=0>; rel=\"prev\", <https://x/a?offset=2>; rel=\"next\""]));
        Assert.Null(OcpiPaging.NextLink(["<https://x/a?offset=0>; rel=\"prev\""]));
    }

    [Theory]
    [InlineData("2015-06-29T20:39:09Z", "2015-06-29T20:39:09Z")]
    [InlineData("2015-06-29T20:39:09", "2015-06-29T20:39:09Z")] // no designator means UTC (types §16.1.5)
    [InlineData("2015-06-29T22:39:09+02:00", "2015-06-29T20:39:09Z")] // an offset is converted
    [InlineData("2015-06-29T20:39:09.123Z", "2015-06-29T20:39:09.123Z")] // fractions kept to ms
    public void Dates_AreReadAsUtc_AndWrittenWithZ(string input, string written)
    {
        Assert.True(OcpiDates.TryParse(input, out DateTimeOffset value));
        Assert.Equal(written, OcpiDates.Format(value));
    }

    [Theory]
    [InlineData("\"2026-11-24T11:15:00.1234567Z\"", "\"2026-11-24T11:15:00.123Z\"")] // a partner's 7 digits are read, and written as ms
    [InlineData("\"2026-11-24T11:15:00.9999999Z\"", "\"2026-11-24T11:15:00.999Z\"")] // cut, never rounded into the next second
    [InlineData("\"2026-11-24T11:15:00.0004Z\"", "\"2026-11-24T11:15:00Z\"")] // below a millisecond: whole seconds
    [InlineData("\"2026-11-24T11:15:00Z\"", "\"2026-11-24T11:15:00Z\"")]
    public void DateTimeConverter_ReadsFineFractions_AndWritesAtMost25Characters(string input, string written)
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { new EvCloud.Fast.Tariffs.OcpiDateTimeConverter() } };
        DateTimeOffset value = System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>(input, options);
        string json = System.Text.Json.JsonSerializer.Serialize(value, options);
        Assert.Equal(written, json);
        Assert.InRange(json.Length - 2, 20, 25);
    }

    [Fact]
    public void EveryOcpiContext_WritesAtMostMilliseconds()
    {
        var stamp = new DateTimeOffset(2026, 11, 24, 11, 15, 0, TimeSpan.Zero).AddTicks(1_234_567);
        string session = System.Text.Json.JsonSerializer.Serialize(new EvCloud.Fast.Ocpi.Sessions.OcpiSession { StartDateTime = stamp, LastUpdated = stamp }, OcpiJsonContext.Default.OcpiSession);
        string token = System.Text.Json.JsonSerializer.Serialize(new EvCloud.Fast.Ocpi.Tokens.OcpiToken { LastUpdated = stamp }, OcpiJsonContext.Default.OcpiToken);
        Assert.All(new[] { session, token }, json =>
        {
            Assert.Contains("\"2026-11-24T11:15:00.123Z\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain("1234567", json, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void QueryBuilder_IsWhatTheLinkUses() => Assert.Equal("?a=b", new QueryBuilder { { "a", "b" } }.ToQueryString().Value);
}

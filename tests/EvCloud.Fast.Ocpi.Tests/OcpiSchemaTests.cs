using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class OcpiSchemaTests
{
    private const string Tariff221 =
        """{"country_code":"NL","party_id":"CPO","id":"T1","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}]}],"last_updated":"2026-01-01T00:00:00.1234567Z"}""";

    [Fact]
    public void AValidTariff_Passes_WithAPartnersSevenFractionalDigits() =>
        Assert.Null(OcpiSchemas.V221.Check("Tariff", JsonNode.Parse(Tariff221)!.AsObject()));

    [Theory]
    [InlineData("tariff_alt_text", """[{"language":"eng","text":"x"}]""", "tariff_alt_text[0].language is longer than 2")] // DisplayText.language string(2)
    [InlineData("tariff_alt_text", """[{"language":"en"}]""", "tariff_alt_text[0].text is required")] // DisplayText.text 1
    [InlineData("tariff_alt_url", "\"ftp://example.com/t\"", "tariff_alt_url must be an absolute http(s) URL")] // URL
    [InlineData("type", "\"CHEAPEST\"", "type must be a TariffType")] // not a TariffType value
    [InlineData("elements", "[]", "elements must list at least one")] // cardinality +
    [InlineData("currency", "3", "currency must be a string")] // a number where a string belongs
    [InlineData("id", "\"T\\u00e91\"", "id must be printable ASCII")] // CiString is ASCII
    [InlineData("last_updated", "\"yesterday\"", "last_updated must be an RFC 3339 date-time")] // DateTime
    public void AFaultyTariff_IsRefused_NamingTheField(string field, string value, string message)
    {
        JsonObject tariff = JsonNode.Parse(Tariff221)!.AsObject();
        tariff[field] = JsonNode.Parse(value);

        string? error = OcpiSchemas.V221.Check("Tariff", tariff);

        Assert.NotNull(error);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOfExactlyItsLength_Passes_AndOneMore_IsRefused()
    {
        JsonObject tariff = JsonNode.Parse(Tariff221)!.AsObject();
        tariff["tariff_alt_text"] = new JsonArray(new JsonObject { ["language"] = "en", ["text"] = new string('x', 512) });
        Assert.Null(OcpiSchemas.V221.Check("Tariff", tariff));

        tariff["tariff_alt_text"] = new JsonArray(new JsonObject { ["language"] = "en", ["text"] = new string('x', 513) });
        Assert.Equal("tariff_alt_text[0].text is longer than 512 characters.", OcpiSchemas.V221.Check("Tariff", tariff));
    }

    [Fact]
    public void A211Session_IsCheckedByTheSameTables()
    {
        var session = JsonNode.Parse("""{"id":"S1","start_datetime":"2026-01-01T00:00:00Z","kwh":0,"auth_id":"A1","auth_method":"WHITELIST","currency":"EUR","status":"ACTIVE","last_updated":"2026-01-01T00:00:00Z"}""")!.AsObject();

        Assert.Equal("location is required.", OcpiSchemas.V211.Check("Session", session));
        session["auth_method"] = "COMMAND"; // 2.2.1 only
        session["location"] = JsonNode.Parse("""{"id":"L1","type":"ON_STREET","address":"a","city":"c","postal_code":"1","country":"NLD","coordinates":{"latitude":"1","longitude":"2"},"last_updated":"2026-01-01T00:00:00Z"}""");
        Assert.StartsWith("auth_method must be a AuthMethod", OcpiSchemas.V211.Check("Session", session), StringComparison.Ordinal);
    }
}

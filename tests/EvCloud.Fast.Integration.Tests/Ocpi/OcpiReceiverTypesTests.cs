using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Partners;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// What a partner sends our receivers is checked against the spec's property tables before it is stored (2001 naming
/// the field), a command's outcome stays final once known, and an OCPI path no endpoint answers gets the envelope.
/// </summary>
public sealed class OcpiReceiverTypesTests : IAsyncLifetime
{
    private OcpiPair _pair = null!;

    public async Task InitializeAsync()
    {
        _pair = await OcpiPair.StartAsync();
        await _pair.ConnectAsync();
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    /// <summary>The token the CPO presents to the eMSP.</summary>
    private string CpoToken => _pair.Cpo.Services.GetRequiredService<PartnerRegistry>().Get("emsp")!.OutgoingToken!;

    /// <summary>The token the eMSP presents to the CPO.</summary>
    private string EmspToken => _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;

    [Theory]
    [InlineData("location_id")] // Session 1: required
    [InlineData("auth_method")] // Session 1: required
    [InlineData("currency")] // Session 1: required
    public async Task Session221_WithoutARequiredField_Is2001_NamingIt(string field)
    {
        using var http = new OcpiHttp();
        Dictionary<string, object> session = Session();
        session.Remove(field);

        (HttpResponseMessage response, JsonElement body) = await http.SendAsync(HttpMethod.Put, _pair.EmspBase + "/ocpi/emsp/2.2.1/sessions/NL/CPO/S1", CpoToken, session);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.Contains(field + " is required", body.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _pair.EmspApi.GetAsync("api/v1/ocpi/sessions/NL/CPO/S1")).StatusCode);

        // The complete session is stored.
        (_, JsonElement ok) = await http.SendAsync(HttpMethod.Put, _pair.EmspBase + "/ocpi/emsp/2.2.1/sessions/NL/CPO/S1", CpoToken, Session());
        Assert.Equal(1000, ok.GetProperty("status_code").GetInt32());
    }

    [Theory]
    [InlineData("cdr_location", "cdr_location is required")] // CDR 1
    [InlineData("charging_periods", "charging_periods is required")] // CDR +
    public async Task Cdr221_WithoutARequiredField_Is2001(string field, string message)
    {
        using var http = new OcpiHttp();
        Dictionary<string, object> cdr = Cdr();
        cdr.Remove(field);

        (HttpResponseMessage response, JsonElement body) = await http.SendAsync(HttpMethod.Post, _pair.EmspBase + "/ocpi/emsp/2.2.1/cdrs", CpoToken, cdr);

        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.Contains(message, body.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        (_, JsonElement ok) = await http.SendAsync(HttpMethod.Post, _pair.EmspBase + "/ocpi/emsp/2.2.1/cdrs", CpoToken, Cdr());
        Assert.Equal(1000, ok.GetProperty("status_code").GetInt32());
    }

    [Theory]
    [InlineData("issuer", 1_000_000, "issuer is longer than 64")] // string(64)
    [InlineData("contract_id", 37, "contract_id is longer than 36")] // CiString(36)
    [InlineData("visual_number", 65, "visual_number is longer than 64")] // string(64)
    public async Task Token_WithAnOverlongField_Is2001_AndNotStored(string field, int length, string message)
    {
        using var http = new OcpiHttp();
        Dictionary<string, object> token = Token();
        token[field] = new string('A', length);

        (_, JsonElement body) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/TOK1", EmspToken, token);

        Assert.Equal(2001, body.GetProperty("status_code").GetInt32());
        Assert.Contains(message, body.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        JsonElement roaming = await ApiClient.JsonAsync(await _pair.CpoApi.GetAsync("api/v1/ocpi/roaming-tokens"), HttpStatusCode.OK);
        Assert.Empty(roaming.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Token_EnergyContract_IsStored()
    {
        using var http = new OcpiHttp();
        Dictionary<string, object> token = Token();
        token["energy_contract"] = new { supplier_name = "Green Power", contract_id = "GP-123" };

        (_, JsonElement body) = await http.SendAsync(HttpMethod.Put, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/TOK1", EmspToken, token);

        Assert.Equal(1000, body.GetProperty("status_code").GetInt32());
        (_, JsonElement read) = await http.SendAsync(HttpMethod.Get, _pair.CpoBase + "/ocpi/cpo/2.2.1/tokens/DE/EMS/TOK1", EmspToken);
        JsonElement contract = read.GetProperty("data").GetProperty("energy_contract");
        Assert.Equal(("Green Power", "GP-123"), (contract.GetProperty("supplier_name").GetString(), contract.GetProperty("contract_id").GetString()));
    }

    [Fact]
    public async Task CommandResult_OutsideItsEnum_Is2001_AndOneForARejectedCommand_IsAnAnomaly()
    {
        await ApiClient.JsonAsync(await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/T1", "{\"contractId\":\"DE-EMS-C1\"}"), HttpStatusCode.OK);
        JsonElement rejected = await ApiClient.JsonAsync(await _pair.EmspApi.PostAsync("api/v1/ocpi/commands/start-session", "{\"locationId\":\"NOWHERE\",\"tokenUid\":\"T1\"}"), HttpStatusCode.OK);
        Assert.Equal("REJECTED", rejected.GetProperty("response").GetString());
        CommandSender sender = _pair.Emsp.Services.GetRequiredService<CommandSender>();
        string id = rejected.GetProperty("id").GetString()!;
        string responseUrl = JsonDocument.Parse(sender.Get(id)!.RequestJson).RootElement.GetProperty("response_url").GetString()!;
        using var http = new OcpiHttp();

        (HttpResponseMessage bogus, JsonElement bogusBody) = await http.SendAsync(HttpMethod.Post, responseUrl, CpoToken, new { result = "MAYBE" });
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Equal(2001, bogusBody.GetProperty("status_code").GetInt32());
        Assert.Contains("result", bogusBody.GetProperty("status_message").GetString(), StringComparison.Ordinal);

        // The CPO said REJECTED: a later ACCEPTED result does not change the outcome; it is kept as an anomaly.
        (_, JsonElement late) = await http.SendAsync(HttpMethod.Post, responseUrl, CpoToken, new { result = "ACCEPTED" });
        Assert.Equal(1000, late.GetProperty("status_code").GetInt32());
        SentCommand after = sender.Get(id)!;
        Assert.Null(after.Result);
        Assert.Contains("ACCEPTED", Assert.Single(after.Anomalies), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/ocpi/2.2.1/nothing-here", HttpStatusCode.NotFound)] // no such module
    [InlineData("DELETE", "/ocpi/cpo/2.2.1/locations", HttpStatusCode.MethodNotAllowed)] // the Sender interface has GET only
    public async Task UnmatchedOcpiRequests_AnswerWithTheEnvelope(string method, string path, HttpStatusCode expected)
    {
        using var http = new OcpiHttp();

        (HttpResponseMessage response, JsonElement body) = await http.SendAsync(new HttpMethod(method), _pair.CpoBase + path, EmspToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(2000, body.GetProperty("status_code").GetInt32());
        Assert.True(body.TryGetProperty("timestamp", out _));
    }

    private static Dictionary<string, object> Session() => new()
    {
        ["country_code"] = "NL", ["party_id"] = "CPO", ["id"] = "S1", ["start_date_time"] = "2026-11-24T10:00:00Z", ["kwh"] = 0,
        ["cdr_token"] = new { country_code = "DE", party_id = "EMS", uid = "T1", type = "RFID", contract_id = "DE-EMS-C1" },
        ["auth_method"] = "WHITELIST", ["location_id"] = "LOC1", ["evse_uid"] = "EVSE-1", ["connector_id"] = "1", ["currency"] = "EUR",
        ["status"] = "ACTIVE", ["last_updated"] = "2026-11-24T10:00:00Z",
    };

    private static Dictionary<string, object> Cdr() => new()
    {
        ["country_code"] = "NL", ["party_id"] = "CPO", ["id"] = "CDR1", ["start_date_time"] = "2026-11-24T10:00:00Z", ["end_date_time"] = "2026-11-24T11:00:00Z",
        ["cdr_token"] = new { country_code = "DE", party_id = "EMS", uid = "T1", type = "RFID", contract_id = "DE-EMS-C1" },
        ["auth_method"] = "WHITELIST",
        ["cdr_location"] = new
        {
            id = "LOC1", address = "Stationsplein 1", city = "Amsterdam", country = "NLD", coordinates = new { latitude = "52.37403", longitude = "4.88969" },
            evse_uid = "EVSE-1", evse_id = "NL*CPO*E1*1", connector_id = "1", connector_standard = "IEC_62196_T2", connector_format = "SOCKET", connector_power_type = "AC_3_PHASE",
        },
        ["currency"] = "EUR",
        ["charging_periods"] = new[] { new { start_date_time = "2026-11-24T10:00:00Z", dimensions = new[] { new { type = "ENERGY", volume = 12 } } } },
        ["total_cost"] = new { excl_vat = 3.6 }, ["total_energy"] = 12, ["total_time"] = 1, ["last_updated"] = "2026-11-24T11:00:00Z",
    };

    private static Dictionary<string, object> Token() => new()
    {
        ["country_code"] = "DE", ["party_id"] = "EMS", ["uid"] = "TOK1", ["type"] = "RFID", ["contract_id"] = "DE-EMS-C1", ["issuer"] = "Test eMSP",
        ["valid"] = true, ["whitelist"] = "ALLOWED", ["last_updated"] = "2026-11-24T10:00:00Z",
    };
}

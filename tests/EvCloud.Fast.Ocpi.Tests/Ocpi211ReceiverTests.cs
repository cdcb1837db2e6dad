using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpi.Versions;
using EvCloud.Fast.Tests.Shared;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>What a 2.1.1 CPO pushes to our eMSP: the checks of its required fields and the conversion to the 2.2.1 form we store.</summary>
public sealed class Ocpi211ReceiverTests
{
    private static readonly CdrTokenSource NoTokens = new(_ => null, "DE", "EMS");

    [Fact]
    public void SpecLocation_IsValid_AndBecomesA221LocationOfTheUrlsParty()
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Location);
        Assert.Null(Ocpi211Objects.ValidateLocation(received));

        JsonObject stored = Ocpi211Objects.LocationTo221(received, "nl", "cpo");

        Assert.Equal(("NL", "CPO", "LOC1"), (Text(stored, "country_code"), Text(stored, "party_id"), Text(stored, "id")));
        Assert.True(stored["publish"]!.GetValue<bool>());
        Assert.Equal("ON_STREET", Text(stored, "parking_type"));
        Assert.False(stored.ContainsKey("type"));
        JsonObject connector = stored["evses"]![0]!["connectors"]![1]!.AsObject();
        Assert.Equal(220, connector["max_voltage"]!.GetValue<int>());
        Assert.Equal(16, connector["max_amperage"]!.GetValue<int>());
        Assert.Equal("11", Assert.Single(connector["tariff_ids"]!.AsArray())!.GetValue<string>());
        Assert.False(connector.ContainsKey("voltage") || connector.ContainsKey("amperage") || connector.ContainsKey("tariff_id"));
        Assert.Equal("BeCharged", stored["operator"]!["name"]!.GetValue<string>());
        Assert.Equal("BE-BEC-E041503002", Text(stored["evses"]![1]!.AsObject(), "evse_id"));

        // The received object is not changed by the conversion: it is what a 2.1.1 GET serves back.
        Assert.Equal("ON_STREET", Text(received, "type"));
        Assert.Equal(220, received["evses"]![0]!["connectors"]![0]!["voltage"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("OTHER")] // no 2.2.1 ParkingType for it
    [InlineData("UNKNOWN")] // no 2.2.1 ParkingType for it
    public void LocationTypesWithoutA221ParkingType_AreLeftOut(string type)
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Location);
        received["type"] = type;

        Assert.False(Ocpi211Objects.LocationTo221(received, "NL", "CPO").ContainsKey("parking_type"));
    }

    [Theory]
    [InlineData("type", "type is required")] // 2.1.1 Location.type has cardinality 1
    [InlineData("postal_code", "postal_code is required")] // required in 2.1.1 (optional in 2.2.1)
    [InlineData("coordinates.latitude", "coordinates.latitude is required")] // GeoLocation needs both
    [InlineData("evses.0.status", "evses[0].status is required")] // EVSE.status
    [InlineData("evses.1.connectors.0.voltage", "evses[1].connectors[0].voltage is required")] // Connector.voltage
    [InlineData("evses.0.connectors.1.last_updated", "evses[0].connectors[1].last_updated is required")] // Connector.last_updated
    public void LocationWithoutARequiredField_IsRefusedWithItsName(string path, string reason)
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Location);
        Remove(received, path);

        string? error = Ocpi211Objects.ValidateLocation(received);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LocationWithoutConnectorsOnAnEvse_IsRefused()
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Location);
        received["evses"]![0]!["connectors"] = new JsonArray();

        Assert.Contains("evses[0].connectors must list at least one", Ocpi211Objects.ValidateLocation(received), StringComparison.Ordinal);
    }

    [Fact]
    public void SpecSession_BecomesA221Session_WithOurTokenAndAPrice()
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Session);
        Assert.Null(Ocpi211Objects.ValidateSession(received));
        var ours = new OcpiToken { CountryCode = "DE", PartyId = "EMS", Uid = "04A1B2C3D4", Type = "RFID", ContractId = "DE8ACC12E46L89" };
        var tokens = new CdrTokenSource(contractId => string.Equals(contractId, ours.ContractId, StringComparison.OrdinalIgnoreCase) ? ours : null, "DE", "EMS");

        JsonObject stored = Ocpi211Objects.SessionTo221(received, "NL", "CPO", tokens);

        Assert.Equal(("NL", "CPO", "101"), (Text(stored, "country_code"), Text(stored, "party_id"), Text(stored, "id")));
        Assert.Equal("2015-06-29T22:39:09Z", Text(stored, "start_date_time"));
        Assert.False(stored.ContainsKey("start_datetime") || stored.ContainsKey("auth_id") || stored.ContainsKey("location"));
        Assert.Equal(("LOC1", "3256", "1"), (Text(stored, "location_id"), Text(stored, "evse_uid"), Text(stored, "connector_id")));
        Assert.Equal(2.50m, stored["total_cost"]!["excl_vat"]!.GetValue<decimal>());
        JsonObject token = stored["cdr_token"]!.AsObject();
        Assert.Equal(("DE", "EMS", "04A1B2C3D4", "RFID", "DE8ACC12E46L89"),
            (Text(token, "country_code"), Text(token, "party_id"), Text(token, "uid"), Text(token, "type"), Text(token, "contract_id")));
        Assert.Equal(("WHITELIST", "PENDING", "EUR"), (Text(stored, "auth_method"), Text(stored, "status"), Text(stored, "currency")));
    }

    [Fact]
    public void SessionOfATokenWeDoNotKnow_KeepsItsAuthIdAsUidAndContractId()
    {
        JsonObject stored = Ocpi211Objects.SessionTo221(Parse(Ocpi211SpecExamples.Session), "NL", "CPO", NoTokens);

        JsonObject token = stored["cdr_token"]!.AsObject();
        Assert.Equal(("DE", "EMS", "DE8ACC12E46L89", "OTHER", "DE8ACC12E46L89"),
            (Text(token, "country_code"), Text(token, "party_id"), Text(token, "uid"), Text(token, "type"), Text(token, "contract_id")));
    }

    [Theory]
    [InlineData("auth_id")] // the only reference to the token
    [InlineData("start_datetime")] // 2.1.1 spelling, required
    [InlineData("location")] // required in 2.1.1
    [InlineData("kwh")] // required
    public void SessionWithoutARequiredField_IsRefused(string field)
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Session);
        received.Remove(field);

        Assert.Contains(field + " is required", Ocpi211Objects.ValidateSession(received), StringComparison.Ordinal);
    }

    [Fact]
    public void SpecCdr_BecomesA221Cdr_WithACdrLocationAndPricedTotals()
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Cdr);
        Assert.Null(Ocpi211Objects.ValidateCdr(received));

        JsonObject stored = Ocpi211Objects.CdrTo221(received, "NL", "CPO", NoTokens);

        Assert.Equal("2015-06-29T23:37:32Z", Text(stored, "end_date_time"));
        Assert.False(stored.ContainsKey("stop_date_time") || stored.ContainsKey("location"));
        JsonObject location = stored["cdr_location"]!.AsObject();
        Assert.Equal(("LOC1", "3256", "BE-BEC-E041503003", "1", "IEC_62196_T2", "SOCKET", "AC_1_PHASE"),
            (Text(location, "id"), Text(location, "evse_uid"), Text(location, "evse_id"), Text(location, "connector_id"),
             Text(location, "connector_standard"), Text(location, "connector_format"), Text(location, "connector_power_type")));
        Assert.Equal(("Gent", "9000", "F.Rooseveltlaan 3A"), (Text(location, "city"), Text(location, "postal_code"), Text(location, "address")));
        Assert.Equal(4.00m, stored["total_cost"]!["excl_vat"]!.GetValue<decimal>());
        Assert.Equal(15.342m, stored["total_energy"]!.GetValue<decimal>());
        JsonObject tariff = stored["tariffs"]![0]!.AsObject();
        Assert.Equal(("NL", "CPO", "12"), (Text(tariff, "country_code"), Text(tariff, "party_id"), Text(tariff, "id")));
        Assert.Equal("DE8ACC12E46L89", Text(stored["cdr_token"]!.AsObject(), "contract_id"));
    }

    [Theory]
    [InlineData("total_cost")] // a number in 2.1.1, required
    [InlineData("stop_date_time")] // required
    [InlineData("charging_periods")] // at least one
    [InlineData("total_time")] // required
    public void CdrWithoutARequiredField_IsRefused(string field)
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Cdr);
        received.Remove(field);

        Assert.Contains(field + " is required", Ocpi211Objects.ValidateCdr(received), StringComparison.Ordinal);
    }

    [Fact]
    public void SpecTariff_GetsItsOwnersParty_AndThePutExampleLacksLastUpdated()
    {
        JsonObject received = Parse(Ocpi211SpecExamples.Tariff);
        Assert.Null(Ocpi211Objects.ValidateTariff(received));

        JsonObject stored = Ocpi211Objects.TariffTo221(received, "nl", "cpo");
        Assert.Equal(("NL", "CPO", "12", "EUR"), (Text(stored, "country_code"), Text(stored, "party_id"), Text(stored, "id"), Text(stored, "currency")));
        Assert.Equal(300, stored["elements"]![0]!["price_components"]![0]!["step_size"]!.GetValue<int>());

        Assert.Contains("last_updated is required", Ocpi211Objects.ValidateTariff(Parse(Ocpi211SpecExamples.TariffPutWithoutLastUpdated)), StringComparison.Ordinal);
        received["elements"] = new JsonArray();
        Assert.Contains("elements must list at least one", Ocpi211Objects.ValidateTariff(received), StringComparison.Ordinal);
    }

    [Fact]
    public void CommandTo211_CarriesA211TokenAndAnIntegerReservationId()
    {
        var request = new OcpiCommandRequest
        {
            ResponseUrl = "https://emsp.example/ocpi/emsp/2.1.1/commands/RESERVE_NOW/1",
            Token = new OcpiToken { CountryCode = "DE", PartyId = "EMS", Uid = "APP-1", Type = "APP_USER", ContractId = "DE-EMS-C1", Issuer = "Test", Valid = true, Whitelist = "ALLOWED" },
            LocationId = "LOC1",
            ConnectorId = "1",
            ReservationId = "42",
            AuthorizationReference = "not-in-2.1.1",
        };

        OcpiCommandRequest211 body = CommandSender.To211("RESERVE_NOW", request);

        Assert.Equal(42, body.ReservationId);
        Assert.Equal(("APP-1", "OTHER", "DE-EMS-C1"), (body.Token!.Uid, body.Token.Type, body.Token.AuthId));
        Assert.Null(body.ConnectorId); // only UNLOCK_CONNECTOR has one in 2.1.1
        Assert.Equal(request.ResponseUrl, body.ResponseUrl);
    }

    [Theory]
    [InlineData("2.1.1", "CANCEL_RESERVATION", "7", true)] // no such command in 2.1.1
    [InlineData("2.1.1", "RESERVE_NOW", "R-7", true)] // 2.1.1 reservation_id is an int
    [InlineData("2.1.1", "RESERVE_NOW", "7", false)]
    [InlineData("2.1.1", "START_SESSION", null, false)]
    [InlineData("2.2.1", "CANCEL_RESERVATION", "R-7", false)]
    [InlineData("2.2.1", "RESERVE_NOW", "R-7", false)]
    public void CannotSend_NamesWhatA211CpoCannotTake(string version, string type, string? reservationId, bool refused)
    {
        var partner = new OcpiPartner { Id = "cpo", Version = OcpiVersions.Parse(version) };

        string? reason = CommandSender.CannotSend(partner, type, new OcpiCommandRequest { ReservationId = reservationId });

        Assert.Equal(refused, reason is not null);
    }

    [Theory]
    [InlineData("{\"reservation_id\":7}", "7")] // 2.1.1 ReserveNow: an int
    [InlineData("{\"reservation_id\":\"R-7\"}", "R-7")] // 2.2.1: a CiString(36)
    public void CommandReceiver_ReadsTheReservationIdOfEitherVersion(string json, string expected)
    {
        OcpiCommandRequest request = System.Text.Json.JsonSerializer.Deserialize(json, OcpiJsonContext.Default.OcpiCommandRequest)!;

        Assert.Equal(expected, request.ReservationId);
        Assert.Contains("\"reservation_id\":\"" + expected + "\"", System.Text.Json.JsonSerializer.Serialize(request, OcpiJsonContext.Default.OcpiCommandRequest), StringComparison.Ordinal);
    }

    [Fact]
    public void VersionDetails211_ListTheEmspModulesWithoutRoles_AndOneUrlPerModule()
    {
        var emsp = new OcpiOptions { Roles = ["EMSP"], PublicUrl = "https://emsp.example" };
        OcpiVersionDetails details = VersionEndpoints.Details(null, new OcpiUrls(emsp), emsp, OcpiVersionNumber.V211);

        foreach (string module in new[] { "locations", "sessions", "cdrs", "tariffs", "tokens", "commands" })
        {
            OcpiEndpoint endpoint = Assert.Single(details.Endpoints, e => e.Identifier == module);
            Assert.Null(endpoint.Role);
            Assert.Equal("https://emsp.example/ocpi/emsp/2.1.1/" + module, endpoint.Url);
        }

        var both = new OcpiOptions { Roles = ["CPO", "EMSP"], PublicUrl = "https://both.example" };
        OcpiVersionDetails dual = VersionEndpoints.Details(null, new OcpiUrls(both), both, OcpiVersionNumber.V211);
        Assert.Equal(dual.Endpoints.Count, dual.Endpoints.Select(e => e.Identifier).Distinct().Count());
    }

    [Fact]
    public void A211PartnersEndpoints_AreFoundForEitherRole()
    {
        var partner = new OcpiPartner
        {
            Version = OcpiVersionNumber.V211,
            Endpoints = [new PartnerEndpoint { Identifier = "tokens", Url = "https://cpo.example/ocpi/cpo/2.1.1/tokens" }],
            Roles = [new PartnerRole { CountryCode = "NL", PartyId = "CPO" }],
        };

        Assert.Equal("https://cpo.example/ocpi/cpo/2.1.1/tokens", partner.EndpointUrl("tokens", "RECEIVER"));
        Assert.True(partner.HasRole("CPO"));
        Assert.Null(partner.EndpointUrl("commands", "RECEIVER"));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static string? Text(JsonObject obj, string name) => obj[name]?.GetValue<string>();

    /// <summary>Removes the field at a dotted path (numbers index lists).</summary>
    private static void Remove(JsonObject root, string path)
    {
        string[] parts = path.Split('.');
        JsonNode node = root;
        foreach (string part in parts[..^1])
        {
            node = int.TryParse(part, out int index) ? node[index]! : node[part]!;
        }

        node.AsObject().Remove(parts[^1]);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class ModuleRulesTests
{
    [Fact]
    public void PartyScoping_IsCaseInsensitive_AndRoleAware()
    {
        var partner = new OcpiPartner { Roles = [new PartnerRole { Role = "EMSP", CountryCode = "DE", PartyId = "EMS" }] };

        Assert.True(partner.HasParty("de", "ems"));
        Assert.True(partner.HasParty("DE", "EMS", "EMSP"));
        Assert.False(partner.HasParty("DE", "EMS", "CPO"));
        Assert.False(partner.HasParty("NL", "EMS"));
        Assert.False(partner.HasParty(null, null));
    }

    [Theory]
    [InlineData(ConnectorStatus.Available, true, "AVAILABLE")]
    [InlineData(ConnectorStatus.Preparing, true, "CHARGING")]
    [InlineData(ConnectorStatus.Charging, true, "CHARGING")]
    [InlineData(ConnectorStatus.SuspendedEV, true, "CHARGING")]
    [InlineData(ConnectorStatus.SuspendedEVSE, true, "CHARGING")]
    [InlineData(ConnectorStatus.Finishing, true, "CHARGING")]
    [InlineData(ConnectorStatus.Occupied, true, "CHARGING")]
    [InlineData(ConnectorStatus.Reserved, true, "RESERVED")]
    [InlineData(ConnectorStatus.Unavailable, true, "INOPERATIVE")]
    [InlineData(ConnectorStatus.Faulted, true, "OUTOFORDER")]
    [InlineData(ConnectorStatus.Unknown, true, "UNKNOWN")]
    [InlineData(ConnectorStatus.Available, false, "UNKNOWN")]
    public void EvseStatus_FollowsTheDocumentedTable(ConnectorStatus status, bool online, string expected) =>
        Assert.Equal(expected, EvseStatusMapping.Map(status, online));

    [Fact]
    public void ReservationIds_AreKeptWhenNumeric_AndHashedStablyOtherwise()
    {
        Assert.Equal(1234, CommandReceiver.OcppReservationId("1234"));
        int hashed = CommandReceiver.OcppReservationId("res-abc");
        Assert.True(hashed >= 0);
        Assert.Equal(hashed, CommandReceiver.OcppReservationId("RES-ABC"));
    }

    [Theory]
    [InlineData("{\"status\":\"Accepted\"}", "ACCEPTED")]
    [InlineData("{\"status\":\"Rejected\"}", "REJECTED")]
    public void StartResult_MapsTheChargersAnswer(string answer, string expected)
    {
        var result = new OcppCallResult(OcppCallStatus.Completed, Encoding.UTF8.GetBytes(answer));

        Assert.Equal(expected, CommandReceiver.MapResult("START_SESSION", OcppVersion.Ocpp16, "RemoteStartTransaction", result).Result);
    }

    [Fact]
    public void Results_OfTimeoutsAndErrors_AreTimeoutNotSupportedAndFailed()
    {
        Assert.Equal("TIMEOUT", CommandReceiver.MapResult("STOP_SESSION", OcppVersion.Ocpp16, "RemoteStopTransaction", new OcppCallResult(OcppCallStatus.Timeout)).Result);
        Assert.Equal("NOT_SUPPORTED", CommandReceiver.MapResult("UNLOCK_CONNECTOR", OcppVersion.Ocpp16, "UnlockConnector", new OcppCallResult(OcppCallStatus.CallError, ErrorCode: "NotImplemented")).Result);
        Assert.Equal("FAILED", CommandReceiver.MapResult("UNLOCK_CONNECTOR", OcppVersion.Ocpp16, "UnlockConnector", new OcppCallResult(OcppCallStatus.Offline)).Result);
        Assert.Equal("UNKNOWN_RESERVATION", CommandReceiver.MapResult("CANCEL_RESERVATION", OcppVersion.Ocpp16, "CancelReservation",
            new OcppCallResult(OcppCallStatus.Completed, Encoding.UTF8.GetBytes("{\"status\":\"Rejected\"}"))).Result);
        Assert.Equal("EVSE_OCCUPIED", CommandReceiver.MapResult("RESERVE_NOW", OcppVersion.Ocpp16, "ReserveNow",
            new OcppCallResult(OcppCallStatus.Completed, Encoding.UTF8.GetBytes("{\"status\":\"Occupied\"}"))).Result);
    }

    private static OcpiToken ValidToken() => new()
    {
        CountryCode = "DE", PartyId = "EMS", Uid = "012345678", Type = "RFID", ContractId = "DE8ACC12E46L89", Issuer = "TheNewMotion",
        Valid = true, Whitelist = "ALWAYS", LastUpdated = DateTimeOffset.UtcNow,
    };

    [Fact]
    public void Token_FromTheSpecExample_IsValid() => Assert.Null(TokenValidation.Check(ValidToken()));

    [Theory]
    [InlineData("uid")] // required, the OCPP idTag
    [InlineData("type")] // required TokenType
    [InlineData("whitelist")] // required WhitelistType
    [InlineData("valid")] // required flag
    [InlineData("last_updated")] // required timestamp
    [InlineData("party")] // the owner
    public void Token_MissingARequiredField_IsRefused(string field)
    {
        OcpiToken token = ValidToken();
        switch (field)
        {
            case "uid": token.Uid = null; break;
            case "type": token.Type = "MAGIC"; break;
            case "whitelist": token.Whitelist = "SOMETIMES"; break;
            case "valid": token.Valid = null; break;
            case "last_updated": token.LastUpdated = null; break;
            default: token.PartyId = "TOOLONG"; break;
        }

        Assert.NotNull(TokenValidation.Check(token));
    }

    [Fact]
    public void Token211_RoundTrips_WithThePartyFromTheUrl()
    {
        OcpiToken211 old = TokenValidation.To211(ValidToken());
        OcpiToken back = TokenValidation.From211(old, "de", "ems");

        Assert.Equal("DE8ACC12E46L89", old.AuthId);
        Assert.Equal(("DE", "EMS", "DE8ACC12E46L89"), (back.CountryCode, back.PartyId, back.ContractId));
    }

    [Fact]
    public void ReceivedLocation_NeedsItsRequiredFields()
    {
        var location = JsonNode.Parse("""
            {"country_code":"NL","party_id":"CPO","id":"LOC1","publish":true,"address":"F. Kleinstraat 8","city":"Amsterdam","country":"NLD",
             "coordinates":{"latitude":"52.37403","longitude":"4.88969"},"time_zone":"Europe/Amsterdam","last_updated":"2015-06-29T20:39:09Z",
             "evses":[{"uid":"3256","status":"AVAILABLE","last_updated":"2015-06-29T20:39:09Z","connectors":[{"id":"1","standard":"IEC_62196_T2",
             "format":"SOCKET","power_type":"AC_3_PHASE","max_voltage":220,"max_amperage":16,"last_updated":"2015-06-29T20:39:09Z"}]}]}
            """)!.AsObject();
        Assert.Null(LocationReceiverStore.Validate(location));

        location["evses"]![0]!["connectors"] = new JsonArray();
        Assert.NotNull(LocationReceiverStore.Validate(location));
    }

    [Fact]
    public void CommandRequestExceptions_AreWhatAnUnsuitableTokenRaises() =>
        Assert.Throws<CommandRequestException>(() => ChargerCommands.StartCharging(OcppVersion.Ocpp16, new StartChargingRequest { IdTag = new string('x', 21) }, 1));
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.V211;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.V211;
using CdrModel = EvCloud.Fast.Cdr.Cdrs.Cdr;
using GeoLocation = EvCloud.Fast.Ocpi.Locations.GeoLocation;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>
/// Our 2.2.1 objects in their OCPI 2.1.1 form: every property the 2.1.1 tables define (and no other), every required
/// one present, enum values from the 2.1.1 lists, amounts excluding VAT. Property tables and examples are from the
/// 2.1.1 text (release-2.1.1-bugfixes: mod_locations §3, mod_sessions §3.1, mod_cdrs §3.1, mod_tariffs §3.1 and §4).
/// </summary>
public sealed class Ocpi211MappingTests
{
    // mod_locations §3.1 / §3.2 / §3.3: (all properties, required ones).
    private static readonly string[] LocationProperties =
    [
        "id", "type", "name", "address", "city", "postal_code", "country", "coordinates", "related_locations", "evses", "directions", "operator",
        "suboperator", "owner", "facilities", "time_zone", "opening_times", "charging_when_closed", "images", "energy_mix", "last_updated",
    ];

    private static readonly string[] LocationRequired = ["id", "type", "address", "city", "postal_code", "country", "coordinates", "last_updated"];

    private static readonly string[] EvseProperties =
    [
        "uid", "evse_id", "status", "status_schedule", "capabilities", "connectors", "floor_level", "coordinates", "physical_reference", "directions",
        "parking_restrictions", "images", "last_updated",
    ];

    private static readonly string[] EvseRequired = ["uid", "status", "connectors", "last_updated"];

    private static readonly string[] ConnectorProperties = ["id", "standard", "format", "power_type", "voltage", "amperage", "tariff_id", "terms_and_conditions", "last_updated"];

    private static readonly string[] ConnectorRequired = ["id", "standard", "format", "power_type", "voltage", "amperage", "last_updated"];

    // mod_sessions §3.1.
    private static readonly string[] SessionProperties =
    [
        "id", "start_datetime", "end_datetime", "kwh", "auth_id", "auth_method", "location", "meter_id", "currency", "charging_periods", "total_cost", "status", "last_updated",
    ];

    private static readonly string[] SessionRequired = ["id", "start_datetime", "kwh", "auth_id", "auth_method", "location", "currency", "status", "last_updated"];

    // mod_cdrs §3.1.
    private static readonly string[] CdrProperties =
    [
        "id", "start_date_time", "stop_date_time", "auth_id", "auth_method", "location", "meter_id", "currency", "tariffs", "charging_periods", "total_cost",
        "total_energy", "total_time", "total_parking_time", "remark", "last_updated",
    ];

    private static readonly string[] CdrRequired =
        ["id", "start_date_time", "stop_date_time", "auth_id", "auth_method", "location", "currency", "charging_periods", "total_cost", "total_energy", "total_time", "last_updated"];

    // mod_cdrs §4.3 CdrDimensionType.
    private static readonly string[] DimensionTypes = ["ENERGY", "FLAT", "MAX_CURRENT", "MIN_CURRENT", "PARKING_TIME", "TIME"];

    private static readonly DateTimeOffset Updated = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Location_HasExactlyThe211Properties_AndEveryRequiredOne()
    {
        JsonObject json = Serialize(Ocpi211Mapper.Location(SampleLocation(), "EvCloud.Fast"));

        AssertShape(json, LocationProperties, LocationRequired);
        JsonObject evse = json["evses"]![0]!.AsObject();
        AssertShape(evse, EvseProperties, EvseRequired);
        AssertShape(evse["connectors"]![0]!.AsObject(), ConnectorProperties, ConnectorRequired);
        Assert.Equal("EvCloud.Fast", (string?)json["operator"]!["name"]);
    }

    [Fact]
    public void Location_MapsThe221OnlyValues_ToWhat211Allows()
    {
        Location211 mapped = Ocpi211Mapper.Location(SampleLocation(), null);

        Assert.Equal("PARKING_GARAGE", mapped.Type);
        Assert.Equal(("52.374030", "4.889690"), (mapped.Coordinates.Latitude, mapped.Coordinates.Longitude));
        Assert.Equal(["WIFI"], mapped.Facilities!); // PARKING_LOT and TRAM_STOP are 2.2.1 facilities
        Evse211 evse = Assert.Single(mapped.Evses!);
        Assert.Equal(["REMOTE_START_STOP_CAPABLE", "RFID_READER"], evse.Capabilities!); // no CONTACTLESS_CARD_PAYABLE in 2.1.1
        Assert.Equal(("-1", "A12", "CHARGING"), (evse.FloorLevel, evse.PhysicalReference, evse.Status));
        Connector211 first = evse.Connectors[0];
        Assert.Equal((230, 32, "T1"), (first.Voltage, first.Amperage, first.TariffId)); // the first of tariff_ids
        Assert.Equal("AC_1_PHASE", evse.Connectors[1].PowerType); // AC_2_PHASE
        Assert.Null(mapped.Operator);
    }

    [Theory]
    [InlineData("ON_STREET", "ON_STREET")]
    [InlineData("PARKING_GARAGE", "PARKING_GARAGE")]
    [InlineData("UNDERGROUND_GARAGE", "UNDERGROUND_GARAGE")]
    [InlineData("PARKING_LOT", "PARKING_LOT")]
    [InlineData("ALONG_MOTORWAY", "OTHER")]
    [InlineData("ON_DRIVEWAY", "OTHER")]
    [InlineData(null, "UNKNOWN")]
    public void LocationType_FollowsTheParkingType(string? parkingType, string expected) =>
        Assert.Equal(expected, Ocpi211Mapper.LocationType(parkingType));

    [Theory]
    [InlineData("52.37403", "52.374030")]
    [InlineData("-4.8896912", "-4.889691")]
    [InlineData("4.889690", "4.889690")]
    public void Coordinates_HaveTheSixDecimalsOfThe211Regex(string configured, string expected) =>
        Assert.Equal(expected, Ocpi211Mapper.Coordinate(configured));

    [Fact]
    public void LocationOfSession_HoldsOnlyTheEvseAndConnectorUsed()
    {
        Location211 mapped = Ocpi211Mapper.LocationOfSession(SampleLocation(), null, "evse-1", "2")!;

        Evse211 evse = Assert.Single(mapped.Evses!);
        Assert.Equal("EVSE-1", evse.Uid);
        Assert.Equal("2", Assert.Single(evse.Connectors).Id);
        Assert.Null(Ocpi211Mapper.LocationOfSession(SampleLocation(), null, "EVSE-9", "1"));
    }

    [Fact]
    public void LocationOfSession_AtAnUnconfiguredCharger_IsBuiltFromTheCdrLocation_WithEveryRequiredField()
    {
        Location211 mapped = Ocpi211Mapper.LocationOfSession(SampleCdr().CdrLocation, Updated);

        JsonObject json = Serialize(mapped);
        AssertShape(json, LocationProperties, LocationRequired);
        AssertShape(json["evses"]![0]!.AsObject(), EvseProperties, EvseRequired);
        AssertShape(json["evses"]![0]!["connectors"]![0]!.AsObject(), ConnectorProperties, ConnectorRequired);
        Assert.Equal(("UNKNOWN", "UNKNOWN", "", "52.374030"), (mapped.Type, mapped.Evses![0].Status, mapped.PostalCode, mapped.Coordinates.Latitude));
    }

    [Fact]
    public void Session_HasThe211Shape_OfTheSpecExample()
    {
        OcpiSession session = SampleSession();
        JsonObject json = Serialize(Ocpi211Mapper.Session(session, Ocpi211Mapper.LocationOfSession(SampleLocation(), null, "EVSE-1", "1")!));

        AssertShape(json, SessionProperties, SessionRequired);

        // mod_sessions §3.1 "Simple Session example of a short finished session": the same properties.
        Assert.Equal(
            ["auth_id", "auth_method", "charging_periods", "currency", "end_datetime", "id", "kwh", "last_updated", "location", "start_datetime", "status", "total_cost"],
            json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("2026-11-24T09:00:00Z", (string?)json["start_datetime"]);
        Assert.Equal(JsonValueKind.Number, json["total_cost"]!.GetValueKind());
        Assert.Equal(3.60m, (decimal)json["total_cost"]!);
        Assert.Equal("DE-EMS-C00000007-1", (string?)json["auth_id"]);
        Assert.Equal("AUTH_REQUEST", (string?)json["auth_method"]); // COMMAND is 2.2.1 only
        Assert.Equal("COMPLETED", (string?)json["status"]);
        Assert.All(json["charging_periods"]!.AsArray(), p =>
        {
            Assert.Null(p!["tariff_id"]);
            Assert.All(p["dimensions"]!.AsArray(), d => Assert.Contains((string?)d!["type"], DimensionTypes));
        });
    }

    [Fact]
    public void Session_WithoutToken_ContractId_UsesTheUid_AndThePatchFieldsAreRenamed()
    {
        OcpiSession session = SampleSession();
        session.CdrToken = new CdrToken("DE", "EMS", "TAG-1", "RFID", "");
        session.AuthMethod = "WHITELIST";

        Session211 mapped = Ocpi211Mapper.Session(session, new Location211());

        Assert.Equal(("TAG-1", "WHITELIST"), (mapped.AuthId, mapped.AuthMethod));
        Assert.Equal("end_datetime", Ocpi211Mapper.SessionField("end_date_time"));
        Assert.Equal("kwh", Ocpi211Mapper.SessionField("kwh"));
    }

    [Fact]
    public void Cdr_HasThe211Shape_TotalsExclVat_And211Dimensions()
    {
        CdrModel cdr = SampleCdr();
        JsonObject json = Serialize(Ocpi211Mapper.Cdr(cdr, Ocpi211Mapper.LocationOfSession(SampleLocation(), null, "EVSE-1", "1")!));

        AssertShape(json, CdrProperties, CdrRequired);
        Assert.Equal(4.36m, (decimal)json["total_cost"]!); // excl_vat; incl_vat was 5.28
        Assert.Equal((12m, 1.25m, 0.25m), ((decimal)json["total_energy"]!, (decimal)json["total_time"]!, (decimal)json["total_parking_time"]!));
        JsonArray periods = json["charging_periods"]!.AsArray();
        Assert.Equal(2, periods.Count);
        Assert.All(periods, p => Assert.All(p!["dimensions"]!.AsArray(), d => Assert.Contains((string?)d!["type"], DimensionTypes)));
        Assert.Equal("FLAT", (string?)periods[0]!["dimensions"]![0]!["type"]); // the fixed cost of 0.76
        Assert.DoesNotContain(periods.SelectMany(p => p!["dimensions"]!.AsArray()), d => (string?)d!["type"] is "MAX_POWER" or "STATE_OF_CHARGE");
        JsonObject tariff = Assert.Single(json["tariffs"]!.AsArray())!.AsObject();
        Assert.False(tariff.ContainsKey("country_code"));
        Assert.Single(json["location"]!["evses"]!.AsArray());
    }

    [Fact]
    public void CreditCdr_IsACdrWithNegativeTotal_AndTheRemarkNamingTheCancelledCdr()
    {
        CdrModel credit = CdrBuilder.CreditFor(SampleCdr(), "CDR-7-C1", Updated);

        Cdr211 mapped = Ocpi211Mapper.Cdr(credit, new Location211());

        Assert.Equal(-4.36m, mapped.TotalCost);
        Assert.Equal("Credit for CDR CDR-7", mapped.Remark);
        Assert.Equal("CDR-7-C1", mapped.Id);
        JsonObject json = Serialize(mapped);
        Assert.False(json.ContainsKey("credit"));
        Assert.False(json.ContainsKey("credit_reference_id"));
    }

    [Fact]
    public void Cdr_WhosePeriodsHoldOnly221Dimensions_GetsOnePeriodWithItsTotals()
    {
        CdrModel cdr = SampleCdr() with
        {
            TotalFixedCost = null,
            ChargingPeriods = [new ChargingPeriod { StartDateTime = Updated, Dimensions = [new CdrDimension(CdrDimensionType.StateOfCharge, 80)] }],
        };

        ChargingPeriod211 period = Assert.Single(Ocpi211Mapper.Cdr(cdr, new Location211()).ChargingPeriods);

        Assert.Equal(cdr.StartDateTime, period.StartDateTime);
        Assert.Equal([new CdrDimension211("ENERGY", 12m), new CdrDimension211("TIME", 1.00m)], period.Dimensions);
    }

    [Fact]
    public void Tariff_TheSpecsComplexExample_RoundTripsThroughOur221Model()
    {
        // mod_tariffs §3.1 "Complex Tariff example", read as 2.1.1, mapped to our 2.2.1 model (the existing inbound
        // mapper), then back to 2.1.1: the same object.
        const string Example = """
            {"id":"11","currency":"EUR","tariff_alt_url":"https://company.com/tariffs/11",
             "elements":[
              {"price_components":[{"type":"FLAT","price":2.50,"step_size":1}]},
              {"price_components":[{"type":"TIME","price":1.00,"step_size":900}],"restrictions":{"max_power":32.00}},
              {"price_components":[{"type":"TIME","price":2.00,"step_size":600}],
               "restrictions":{"min_power":32.00,"day_of_week":["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]}},
              {"price_components":[{"type":"TIME","price":1.25,"step_size":600}],"restrictions":{"min_power":32.00,"day_of_week":["SATURDAY","SUNDAY"]}},
              {"price_components":[{"type":"PARKING_TIME","price":5.00,"step_size":300}],
               "restrictions":{"start_time":"09:00","end_time":"18:00","day_of_week":["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]}},
              {"price_components":[{"type":"PARKING_TIME","price":6.00,"step_size":300}],
               "restrictions":{"start_time":"10:00","end_time":"17:00","day_of_week":["SATURDAY"]}}],
             "last_updated":"2015-06-29T20:39:09Z"}
            """;
        Tariff211 read = JsonSerializer.Deserialize(Example, OcpiTariffJsonContext.Default.Tariff211)!;

        Tariff211 back = Tariff211Mapper.ToV211(Tariff211Mapper.ToV221(read, "NL", "CPO"))!;

        string written = JsonSerializer.Serialize(back, Ocpi211JsonContext.Default.Tariff211);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Example), JsonNode.Parse(written)), written);
    }

    [Fact]
    public void Tariff_DropsWhat211CannotSay_AndKeepsPricesExclVat()
    {
        var tariff = new Tariff
        {
            CountryCode = "NL",
            PartyId = "CPO",
            Id = "T1",
            Currency = "EUR",
            Type = TariffType.ProfileFast,
            MinPrice = new Price(1m, 1.21m),
            StartDateTime = Updated,
            Elements =
            [
                new TariffElement
                {
                    PriceComponents = [new PriceComponent { Type = TariffDimensionType.Flat, Price = 3m, Vat = 21m, StepSize = 1 }],
                    Restrictions = new TariffRestrictions { Reservation = ReservationRestrictionType.Reservation },
                },
                new TariffElement
                {
                    PriceComponents = [new PriceComponent { Type = TariffDimensionType.Time, Price = 9m, StepSize = 60 }],
                    Restrictions = new TariffRestrictions { MinCurrent = 32m },
                },
                new TariffElement
                {
                    PriceComponents = [new PriceComponent { Type = TariffDimensionType.Energy, Price = 0.30m, Vat = 21m, StepSize = 1 }],
                    Restrictions = new TariffRestrictions { StartTime = new TimeOnly(22, 0), EndTime = TimeOnly.MinValue, DayOfWeek = [OcpiDayOfWeek.Saturday] },
                },
                new TariffElement { PriceComponents = [new PriceComponent { Type = TariffDimensionType.Energy, Price = 0.40m, Vat = 21m, StepSize = 1 }] },
            ],
            LastUpdated = Updated,
        };

        JsonObject json = JsonNode.Parse(JsonSerializer.Serialize(Tariff211Mapper.ToV211(tariff)!, Ocpi211JsonContext.Default.Tariff211))!.AsObject();

        Assert.Equal(["currency", "elements", "id", "last_updated"], json.Select(p => p.Key).Order(StringComparer.Ordinal));
        JsonArray elements = json["elements"]!.AsArray();
        Assert.Equal(2, elements.Count); // the reservation and the current-restricted elements are left out
        JsonObject component = elements[0]!["price_components"]![0]!.AsObject();
        Assert.Equal(0.30m, (decimal)component["price"]!);
        Assert.False(component.ContainsKey("vat"));
        Assert.Equal(("22:00", "00:00"), ((string?)elements[0]!["restrictions"]!["start_time"], (string?)elements[0]!["restrictions"]!["end_time"]));

        Tariff reservationsOnly = tariff with { Elements = [tariff.Elements[0]] };
        Assert.Null(Tariff211Mapper.ToV211(reservationsOnly));
    }

    private static JsonObject Serialize<T>(T value) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Ocpi211JsonContext.Default.GetTypeInfo(typeof(T))!))!.AsObject();

    private static void AssertShape(JsonObject json, string[] allowed, string[] required)
    {
        Assert.All(json.Select(p => p.Key), key => Assert.Contains(key, allowed));
        Assert.All(required, key => Assert.True(json.ContainsKey(key), "missing required " + key + " in " + json.ToJsonString()));
    }

    private static OcpiLocation SampleLocation() => new()
    {
        CountryCode = "NL",
        PartyId = "CPO",
        Id = "LOC1",
        Publish = true,
        Name = "Garage 1",
        Address = "Stationsplein 1",
        City = "Amsterdam",
        PostalCode = "1012AB",
        Country = "NLD",
        Coordinates = new GeoLocation { Latitude = "52.37403", Longitude = "4.88969" },
        ParkingType = "PARKING_GARAGE",
        Facilities = ["WIFI", "PARKING_LOT", "TRAM_STOP"],
        TimeZone = "Europe/Amsterdam",
        Evses =
        [
            new OcpiEvse
            {
                Uid = "EVSE-1",
                EvseId = "NL*CPO*E1*1",
                Status = "CHARGING",
                Capabilities = ["REMOTE_START_STOP_CAPABLE", "CONTACTLESS_CARD_PAYABLE", "RFID_READER"],
                FloorLevel = "-1",
                PhysicalReference = "A12",
                Connectors =
                [
                    new OcpiConnector { Id = "1", Standard = "IEC_62196_T2", Format = "SOCKET", PowerType = "AC_3_PHASE", MaxVoltage = 230, MaxAmperage = 32, MaxElectricPower = 22000, TariffIds = ["T1", "T2"], LastUpdated = Updated },
                    new OcpiConnector { Id = "2", Standard = "IEC_62196_T2", Format = "CABLE", PowerType = "AC_2_PHASE", MaxVoltage = 230, MaxAmperage = 16, LastUpdated = Updated },
                ],
                LastUpdated = Updated,
            },
        ],
        LastUpdated = Updated,
    };

    private static OcpiSession SampleSession() => new()
    {
        CountryCode = "NL",
        PartyId = "CPO",
        Id = "7",
        StartDateTime = Updated.AddHours(-1),
        EndDateTime = Updated.AddMinutes(15),
        Kwh = 12m,
        CdrToken = new CdrToken("DE", "EMS", "APP-USER-7", "APP_USER", "DE-EMS-C00000007-1"),
        AuthMethod = "COMMAND",
        AuthorizationReference = "REF-1",
        LocationId = "LOC1",
        EvseUid = "EVSE-1",
        ConnectorId = "1",
        Currency = "EUR",
        ChargingPeriods = Periods(),
        TotalCost = new Price(3.60m, 4.36m),
        Status = "COMPLETED",
        LastUpdated = Updated,
    };

    private static CdrModel SampleCdr() => new()
    {
        CountryCode = "NL",
        PartyId = "CPO",
        Id = "CDR-7",
        StartDateTime = Updated.AddHours(-1),
        EndDateTime = Updated.AddMinutes(15),
        SessionId = "7",
        CdrToken = new CdrToken("DE", "EMS", "APP-USER-7", "APP_USER", "DE-EMS-C00000007-1"),
        AuthMethod = "WHITELIST",
        CdrLocation = new CdrLocation
        {
            Id = "LOC1", Address = "Stationsplein 1", City = "Amsterdam", Country = "NLD", Coordinates = new EvCloud.Fast.Cdr.Cdrs.GeoLocation("52.37403", "4.88969"),
            EvseUid = "EVSE-1", EvseId = "NL*CPO*E1*1", ConnectorId = "1", ConnectorStandard = "IEC_62196_T2", ConnectorFormat = "SOCKET", ConnectorPowerType = "AC_3_PHASE",
        },
        Currency = "EUR",
        Tariffs =
        [
            new Tariff
            {
                CountryCode = "NL", PartyId = "CPO", Id = "T1", Currency = "EUR", LastUpdated = Updated,
                Elements =
                [
                    new TariffElement
                    {
                        PriceComponents =
                        [
                            new PriceComponent { Type = TariffDimensionType.Flat, Price = 0.76m, Vat = 21m, StepSize = 1 },
                            new PriceComponent { Type = TariffDimensionType.Energy, Price = 0.30m, Vat = 21m, StepSize = 1 },
                        ],
                    },
                ],
            },
        ],
        ChargingPeriods = Periods(),
        TotalCost = new Price(4.36m, 5.28m),
        TotalFixedCost = new Price(0.76m, 0.92m),
        TotalEnergy = 12m,
        TotalEnergyCost = new Price(3.60m, 4.36m),
        TotalTime = 1.25m,
        TotalParkingTime = 0.25m,
        LastUpdated = Updated.AddMinutes(16),
    };

    private static List<ChargingPeriod> Periods() =>
    [
        new ChargingPeriod
        {
            StartDateTime = Updated.AddHours(-1),
            Dimensions = [new CdrDimension(CdrDimensionType.Energy, 12m), new CdrDimension(CdrDimensionType.Time, 1m), new CdrDimension(CdrDimensionType.MaxPower, 11m)],
            TariffId = "T1",
        },
        new ChargingPeriod
        {
            StartDateTime = Updated,
            Dimensions = [new CdrDimension(CdrDimensionType.ParkingTime, 0.25m), new CdrDimension(CdrDimensionType.StateOfCharge, 80m)],
            TariffId = "T1",
        },
    ];
}

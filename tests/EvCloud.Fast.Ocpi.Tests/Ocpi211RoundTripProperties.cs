using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.V211;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>
/// Where 2.1.1 and 2.2.1 say the same thing, a 2.1.1 object taken to 2.2.1 (what our eMSP stores from a 2.1.1 CPO) and
/// back to 2.1.1 (what our CPO sends a 2.1.1 eMSP) is the object it was. The generators stay inside what both versions
/// express: 2.1.1 enum values that 2.2.1 keeps, one tariff id per connector, a parking-type location type,
/// coordinates with six decimals, whole-second UTC dates.
/// </summary>
public sealed class Ocpi211RoundTripProperties
{
    private static readonly string[] Standards = ["CHADEMO", "DOMESTIC_F", "IEC_62196_T1", "IEC_62196_T2", "IEC_62196_T2_COMBO", "TESLA_S"];
    private static readonly string[] Statuses = ["AVAILABLE", "BLOCKED", "CHARGING", "INOPERATIVE", "OUTOFORDER", "PLANNED", "REMOVED", "RESERVED", "UNKNOWN"];
    private static readonly string[] Capabilities = ["CHARGING_PROFILE_CAPABLE", "CREDIT_CARD_PAYABLE", "REMOTE_START_STOP_CAPABLE", "RESERVABLE", "RFID_READER", "UNLOCK_CAPABLE"];
    private static readonly string[] Restrictions = ["EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES"];
    private static readonly string[] Facilities = ["HOTEL", "RESTAURANT", "CAFE", "MALL", "SUPERMARKET", "SPORT", "AIRPORT", "WIFI"];
    private static readonly string[] LocationTypes = ["ON_STREET", "PARKING_GARAGE", "UNDERGROUND_GARAGE", "PARKING_LOT"];

    [Property(MaxTest = 200)]
    public Property Connector_211To221AndBack_IsTheSameConnector() => Prop.ForAll(Connector().ToArbitrary(), connector =>
    {
        JsonObject stored = Ocpi211Objects.ConnectorTo221(connector);
        OcpiConnector typed = stored.Deserialize(OcpiJsonContext.Default.OcpiConnector)!;
        JsonNode back = JsonSerializer.SerializeToNode(Ocpi211Mapper.Connector(typed), Ocpi211JsonContext.Default.Connector211)!;
        return JsonNode.DeepEquals(connector, back).Label(connector.ToJsonString() + " came back as " + back.ToJsonString());
    });

    [Property(MaxTest = 100)]
    public Property Evse_211To221AndBack_IsTheSameEvse() => Prop.ForAll(Evse().ToArbitrary(), evse =>
    {
        JsonObject stored = Ocpi211Objects.EvseTo221(evse);
        OcpiEvse typed = stored.Deserialize(OcpiJsonContext.Default.OcpiEvse)!;
        JsonNode back = JsonSerializer.SerializeToNode(Ocpi211Mapper.Evse(typed), Ocpi211JsonContext.Default.Evse211)!;
        return JsonNode.DeepEquals(evse, back).Label(evse.ToJsonString() + " came back as " + back.ToJsonString());
    });

    [Property(MaxTest = 50)]
    public Property Location_211To221AndBack_IsTheSameLocation() => Prop.ForAll(Location().ToArbitrary(), location =>
    {
        JsonObject stored = Ocpi211Objects.LocationTo221(location, "NL", "CPO");
        OcpiLocation typed = stored.Deserialize(OcpiJsonContext.Default.OcpiLocation)!;
        JsonNode back = JsonSerializer.SerializeToNode(Ocpi211Mapper.Location(typed, operatorName: null), Ocpi211JsonContext.Default.Location211)!;
        return JsonNode.DeepEquals(location, back).Label(location.ToJsonString() + " came back as " + back.ToJsonString());
    });

    private static Gen<string> Id(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-".ToCharArray()), length)
        select new string(chars);

    private static Gen<string?> Optional(Gen<string> value) =>
        Gen.OneOf(Gen.Constant<string?>(null), value.Select(v => (string?)v));

    // A non-empty subset in the list's order, or none at all: our 2.1.1 form leaves an empty list out.
    private static Gen<JsonArray?> SubsetOf(string[] values) =>
        Gen.SubListOf(values).Select(list => list.Count == 0 ? null : new JsonArray([.. list.Select(v => (JsonNode)v)]));

    private static Gen<string> Date() =>
        Gen.Choose(0, 400_000_000).Select(seconds =>
            DateTimeOffset.FromUnixTimeSeconds(1_500_000_000L + seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static Gen<JsonObject> Connector() =>
        from id in Id(36)
        from standard in Gen.Elements(Standards)
        from format in Gen.Elements("SOCKET", "CABLE")
        from powerType in Gen.Elements("AC_1_PHASE", "AC_3_PHASE", "DC")
        from voltage in Gen.Choose(0, 1000)
        from amperage in Gen.Choose(0, 500)
        from tariffId in Optional(Id(36))
        from terms in Optional(Id(20).Select(path => "https://example.com/" + path))
        from lastUpdated in Date()
        select With(
            new JsonObject
            {
                ["id"] = id, ["standard"] = standard, ["format"] = format, ["power_type"] = powerType,
                ["voltage"] = voltage, ["amperage"] = amperage, ["last_updated"] = lastUpdated,
            },
            ("tariff_id", tariffId), ("terms_and_conditions", terms));

    private static Gen<JsonObject> Evse() =>
        from uid in Id(39)
        from evseId in Optional(Id(20).Select(id => "NL*CPO*E" + id))
        from status in Gen.Elements(Statuses)
        from capabilities in SubsetOf(Capabilities)
        from connectors in Gen.NonEmptyListOf(Connector()).Select(list => list.Take(3).ToList())
        from floor in Optional(Id(4))
        from reference in Optional(Id(16))
        from restrictions in SubsetOf(Restrictions)
        from lastUpdated in Date()
        select With(
            new JsonObject
            {
                ["uid"] = uid, ["status"] = status, ["connectors"] = new JsonArray([.. connectors]), ["last_updated"] = lastUpdated,
            },
            ("evse_id", evseId), ("floor_level", floor), ("physical_reference", reference),
            ("capabilities", capabilities), ("parking_restrictions", restrictions));

    private static Gen<JsonObject> Location() =>
        from id in Id(39)
        from type in Gen.Elements(LocationTypes)
        from name in Optional(Id(40))
        from address in Id(45)
        from city in Id(45)
        from postalCode in Id(10)
        from country in Gen.Elements("NLD", "DEU", "BEL")
        from latitude in Gen.Choose(-90_000_000, 90_000_000)
        from longitude in Gen.Choose(-180_000_000, 180_000_000)
        from evses in Gen.ListOf(Evse()).Select(list => list.Take(2).ToList())
        from facilities in SubsetOf(Facilities)
        from timeZone in Optional(Gen.Elements("Europe/Amsterdam", "Europe/Berlin"))
        from whenClosed in Gen.Elements<bool?>(null, true, false)
        from lastUpdated in Date()
        select With(
            new JsonObject
            {
                ["id"] = id, ["type"] = type, ["address"] = address, ["city"] = city, ["postal_code"] = postalCode, ["country"] = country,
                ["coordinates"] = new JsonObject { ["latitude"] = Degrees(latitude), ["longitude"] = Degrees(longitude) },
                ["last_updated"] = lastUpdated,
            },
            ("name", name), ("evses", evses.Count == 0 ? null : new JsonArray([.. evses])), ("facilities", facilities),
            ("time_zone", timeZone), ("charging_when_closed", whenClosed is { } b ? JsonValue.Create(b) : null));

    private static string Degrees(int micro) => (micro / 1_000_000m).ToString("0.000000", CultureInfo.InvariantCulture);

    private static JsonObject With(JsonObject value, params (string Name, JsonNode? Value)[] optional)
    {
        foreach ((string name, JsonNode? node) in optional)
        {
            if (node is not null)
            {
                value[name] = node;
            }
        }

        return value;
    }

    private static JsonObject With(JsonObject value, params (string Name, string? Value)[] optional) =>
        With(value, [.. optional.Select(o => (o.Name, o.Value is null ? null : (JsonNode)o.Value))]);
}

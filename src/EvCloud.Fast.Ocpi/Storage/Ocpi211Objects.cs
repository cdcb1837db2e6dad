using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Storage;

/// <summary>
/// What a 2.1.1 CPO pushes to our eMSP receivers: lenient checks of the required fields (OCPI 2.1.1 Location §3.1–3.3,
/// Session §3.1, CDR §3.1, Tariff §3.1) and the conversion to the 2.2.1 form we store and serve on
/// <c>/api/v1/ocpi</c>. Works on JSON so that every field we do not convert passes through unchanged.
/// </summary>
/// <remarks>
/// <para>Checked against the 2.1.1 property tables (<see cref="OcpiSchemas.V211"/>): presence, types, lengths and enum
/// values of every described field.</para>
/// <para>Conversion 2.1.1 → 2.2.1: Location gets country_code/party_id (from the URL) and publish=true, <c>type</c>
/// becomes <c>parking_type</c> where 2.2.1 has the value (OTHER/UNKNOWN have none and are dropped); Connector
/// <c>voltage</c>/<c>amperage</c> become <c>max_voltage</c>/<c>max_amperage</c> and <c>tariff_id</c> becomes
/// <c>tariff_ids</c>. Session: <c>start_datetime</c>/<c>end_datetime</c> become <c>start_date_time</c>/<c>end_date_time</c>,
/// the embedded location becomes <c>location_id</c>/<c>evse_uid</c>/<c>connector_id</c>. CDR: <c>stop_date_time</c>
/// becomes <c>end_date_time</c>, the location becomes a <c>cdr_location</c>, its tariffs are converted. Session and
/// CDR: <c>auth_id</c> becomes a <c>cdr_token</c> (our token with that contract id when we have it) and the
/// <c>total_cost</c> number becomes a Price <c>{excl_vat}</c> (2.1.1: "total cost (excluding VAT)"). Tariff: the
/// owner's country_code/party_id are added.</para>
/// </remarks>
public static class Ocpi211Objects
{
    private static readonly string[] ParkingTypes = ["ON_STREET", "PARKING_GARAGE", "UNDERGROUND_GARAGE", "PARKING_LOT"];

    /// <summary>Null when <paramref name="location"/> satisfies the 2.1.1 Location tables (with its EVSEs and connectors), else the fault.</summary>
    public static string? ValidateLocation(JsonObject location) => Check("Location", location);

    /// <summary>Null when <paramref name="evse"/> is a valid 2.1.1 EVSE (§3.2), else the fault.</summary>
    public static string? ValidateEvse(JsonObject evse) => Check("EVSE", evse);

    /// <summary>Null when <paramref name="connector"/> is a valid 2.1.1 Connector (§3.3), else the fault.</summary>
    public static string? ValidateConnector(JsonObject connector) => Check("Connector", connector);

    /// <summary>Null when <paramref name="session"/> is a valid 2.1.1 Session (§3.1), else the fault.</summary>
    public static string? ValidateSession(JsonObject session) => Check("Session", session);

    /// <summary>Null when <paramref name="cdr"/> is a valid 2.1.1 CDR (§3.1), else the fault.</summary>
    public static string? ValidateCdr(JsonObject cdr) => Check("Cdr", cdr);

    /// <summary>Null when <paramref name="tariff"/> is a valid 2.1.1 Tariff (§3.1), else the fault.</summary>
    public static string? ValidateTariff(JsonObject tariff) => Check("Tariff", tariff);

    private static string? Check(string type, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return OcpiSchemas.V211.Check(type, value) is { } error ? type + ": " + error : null;
    }

    // The 2.1.1 → 2.2.1 field tables. Fields both versions spell alike are not listed: they are copied.

    // Connector (§8.3.3): voltage/amperage are the maxima; the one tariff_id is a list of one.
    private static readonly FieldMap ConnectorFields = new FieldMap()
        .Rename("voltage", "max_voltage")
        .Rename("amperage", "max_amperage")
        .Convert("tariff_id", "tariff_ids", (value, _) => Text(value) is { Length: > 0 } tariffId ? new JsonArray(tariffId) : null);

    // EVSE (§8.3.2): its connectors converted, every other field as is.
    private static readonly FieldMap EvseFields = new FieldMap()
        .Each("connectors", ConnectorFields);

    // Location (§8.3.1): owned by the pushing CPO; type is parking_type where 2.2.1 has the value (OTHER and UNKNOWN
    // have none); 2.1.1 has no publish flag, so everything a CPO pushed was meant to be shown.
    private static readonly FieldMap LocationFields = new FieldMap()
        .Owned()
        .Drop("publish")
        .Convert("type", "parking_type", (value, _) => Text(value) is { } type && ParkingTypes.Contains(type, StringComparer.Ordinal) ? type : null)
        .Each("evses", EvseFields)
        .Always("publish", true);

    // Tariff (§11.3.1): owned by the CPO, every other field as is.
    private static readonly FieldMap TariffFields = new FieldMap()
        .Owned();

    // Session (§9.3.1): the datetimes are spelt with an underscore; the embedded location becomes the ids of its one
    // location, EVSE and connector; auth_id becomes a cdr_token; total_cost (excluding VAT) a Price.
    private static readonly FieldMap SessionFields = new FieldMap()
        .Owned()
        .Rename("start_datetime", "start_date_time")
        .Rename("end_datetime", "end_date_time")
        .Convert("auth_id", "cdr_token", CdrToken)
        .Rule("location", (value, target, _) =>
        {
            JsonObject? location = value as JsonObject;
            JsonObject? evse = (location?["evses"] as JsonArray)?.FirstOrDefault() as JsonObject;
            JsonObject? connector = (evse?["connectors"] as JsonArray)?.FirstOrDefault() as JsonObject;
            target["location_id"] = location?["id"]?.DeepClone();
            target["evse_uid"] = evse?["uid"]?.DeepClone();
            target["connector_id"] = connector?["id"]?.DeepClone();
        })
        .Rule("total_cost", (value, target, _) => target["total_cost"] = Price(value));

    // CDR (§10.4.1): stop_date_time is end_date_time; the location becomes a cdr_location, the tariffs are converted;
    // auth_id and total_cost as in a session.
    private static readonly FieldMap CdrFields = new FieldMap()
        .Owned()
        .Rename("stop_date_time", "end_date_time")
        .Convert("auth_id", "cdr_token", CdrToken)
        .Rule("location", (value, target, _) => target[value is JsonObject ? "cdr_location" : "location"] = value is JsonObject location ? CdrLocation(location) : value?.DeepClone())
        .Each("tariffs", TariffFields)
        .Rule("total_cost", (value, target, _) => target["total_cost"] = Price(value));

    /// <summary>A 2.1.1 Location as 2.2.1 (§8.3.1), owned by <paramref name="countryCode"/>/<paramref name="partyId"/> (the URL's) and published.</summary>
    public static JsonObject LocationTo221(JsonObject location, string countryCode, string partyId) =>
        LocationFields.Apply(location, new ConversionContext(countryCode, partyId));

    /// <summary>A 2.1.1 EVSE as 2.2.1 (§8.3.2): its connectors converted, every other field as is.</summary>
    public static JsonObject EvseTo221(JsonObject evse) => EvseFields.Apply(evse, NoOwner);

    /// <summary>A 2.1.1 Connector as 2.2.1 (§8.3.3): voltage/amperage → max_voltage/max_amperage, tariff_id → tariff_ids.</summary>
    public static JsonObject ConnectorTo221(JsonObject connector) => ConnectorFields.Apply(connector, NoOwner);

    /// <summary>A 2.1.1 Tariff as 2.2.1 (§11.3.1): the owner's country_code/party_id added, every other field as is.</summary>
    public static JsonObject TariffTo221(JsonObject tariff, string countryCode, string partyId) =>
        TariffFields.Apply(tariff, new ConversionContext(countryCode, partyId));

    /// <summary>
    /// A 2.1.1 Session as 2.2.1 (§9.3.1), owned by the CPO <paramref name="countryCode"/>/<paramref name="partyId"/>;
    /// <paramref name="tokens"/> gives the cdr_token of its auth_id.
    /// </summary>
    public static JsonObject SessionTo221(JsonObject session, string countryCode, string partyId, CdrTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return SessionFields.Apply(session, new ConversionContext(countryCode, partyId, tokens));
    }

    /// <summary>A 2.1.1 CDR as 2.2.1 (§10.4.1), owned by the CPO <paramref name="countryCode"/>/<paramref name="partyId"/>.</summary>
    public static JsonObject CdrTo221(JsonObject cdr, string countryCode, string partyId, CdrTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return CdrFields.Apply(cdr, new ConversionContext(countryCode, partyId, tokens));
    }

    // EVSEs and connectors have no owner of their own.
    private static readonly ConversionContext NoOwner = new("", "");

    private static JsonObject CdrToken(JsonNode? authId, ConversionContext context) => context.Tokens!.CdrToken(Text(authId) ?? "");

    /// <summary>CdrLocation (2.2.1 §10.4.5) from a 2.1.1 Location holding the one EVSE and connector used.</summary>
    private static JsonObject CdrLocation(JsonObject location)
    {
        JsonObject? evse = (location["evses"] as JsonArray)?.FirstOrDefault() as JsonObject;
        JsonObject? connector = (evse?["connectors"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var result = new JsonObject();
        (string Target, JsonNode? Value)[] parts =
        [
            ("id", location["id"]), ("name", location["name"]), ("address", location["address"]), ("city", location["city"]),
            ("postal_code", location["postal_code"]), ("country", location["country"]), ("coordinates", location["coordinates"]),
            ("evse_uid", evse?["uid"]), ("evse_id", evse?["evse_id"]), ("connector_id", connector?["id"]),
            ("connector_standard", connector?["standard"]), ("connector_format", connector?["format"]), ("connector_power_type", connector?["power_type"]),
        ];
        foreach ((string target, JsonNode? value) in parts)
        {
            if (value is not null)
            {
                result[target] = value.DeepClone();
            }
        }

        return result;
    }

    /// <summary>2.1.1 total_cost (a number, excluding VAT) as a 2.2.1 Price; an object is kept as it is.</summary>
    private static JsonNode? Price(JsonNode? value) => value switch
    {
        JsonValue number when number.GetValueKind() == JsonValueKind.Number => new JsonObject { ["excl_vat"] = number.DeepClone() },
        JsonValue text when text.TryGetValue(out string? s) && decimal.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out decimal d) =>
            new JsonObject { ["excl_vat"] = d },
        _ => value?.DeepClone(),
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}

/// <summary>
/// The cdr_token (2.2.1 §10.4.3) of a 2.1.1 auth_id: 2.1.1 sessions and CDRs name the token only by its auth_id, which
/// is the contract id of one of our tokens (2.1.1 Token.auth_id = 2.2.1 contract_id).
/// </summary>
public sealed class CdrTokenSource
{
    private readonly Func<string, OcpiToken?> _byContractId;
    private readonly string _countryCode;
    private readonly string _partyId;

    /// <summary>Creates the source: <paramref name="byContractId"/> finds our token, ours are <paramref name="countryCode"/>/<paramref name="partyId"/>.</summary>
    public CdrTokenSource(Func<string, OcpiToken?> byContractId, string countryCode, string partyId)
    {
        _byContractId = byContractId;
        _countryCode = countryCode;
        _partyId = partyId;
    }

    /// <summary>
    /// Our token's uid and type when we have a token with this contract id; else the auth_id as uid with type OTHER
    /// (we cannot tell an RFID card from another token by its contract id), under our party.
    /// </summary>
    public JsonObject CdrToken(string authId)
    {
        OcpiToken? token = authId.Length == 0 ? null : _byContractId(authId);
        return new JsonObject
        {
            ["country_code"] = token?.CountryCode ?? _countryCode,
            ["party_id"] = token?.PartyId ?? _partyId,
            ["uid"] = token?.Uid ?? authId,
            ["type"] = token?.Type ?? "OTHER",
            ["contract_id"] = authId,
        };
    }
}

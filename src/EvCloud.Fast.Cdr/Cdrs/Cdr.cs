using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Cdr.Cdrs;

// OCPI and storage field records: each type is documented with its specification reference; the members carry the spec's own names.
#pragma warning disable CS1591, CS1573

/// <summary>OCPI 2.2.1 mod_cdrs CDR object: one finished, priced charging session, for settlement and roaming.</summary>
public sealed record Cdr
{
    public required string CountryCode { get; init; }

    public required string PartyId { get; init; }

    /// <summary>Derived from the transaction (see <see cref="CdrIds"/>), so a replay can never create a second CDR.</summary>
    public required string Id { get; init; }

    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public required DateTimeOffset StartDateTime { get; init; }

    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public required DateTimeOffset EndDateTime { get; init; }

    /// <summary>The OCPI Session id of the charging session (the transaction id).</summary>
    public string? SessionId { get; init; }

    public required CdrToken CdrToken { get; init; }

    /// <summary>AUTH_REQUEST, COMMAND or WHITELIST.</summary>
    public required string AuthMethod { get; init; }

    public string? AuthorizationReference { get; init; }

    public required CdrLocation CdrLocation { get; init; }

    public string? MeterId { get; init; }

    public required string Currency { get; init; }

    /// <summary>The tariff used to price this CDR.</summary>
    public IReadOnlyList<Tariff>? Tariffs { get; init; }

    public required IReadOnlyList<ChargingPeriod> ChargingPeriods { get; init; }

    public required Price TotalCost { get; init; }

    public Price? TotalFixedCost { get; init; }

    /// <summary>kWh.</summary>
    public required decimal TotalEnergy { get; init; }

    public Price? TotalEnergyCost { get; init; }

    /// <summary>Hours.</summary>
    public required decimal TotalTime { get; init; }

    public Price? TotalTimeCost { get; init; }

    /// <summary>Hours.</summary>
    public decimal? TotalParkingTime { get; init; }

    public Price? TotalParkingCost { get; init; }

    public Price? TotalReservationCost { get; init; }

    public string? Remark { get; init; }

    /// <summary>True for a credit CDR that cancels <see cref="CreditReferenceId"/>.</summary>
    public bool? Credit { get; init; }

    public string? CreditReferenceId { get; init; }

    [JsonConverter(typeof(OcpiDateTimeConverter))]
    public required DateTimeOffset LastUpdated { get; init; }
}

/// <summary>OCPI 2.2.1 CdrToken.</summary>
/// <param name="Type">AD_HOC_USER, APP_USER, OTHER or RFID.</param>
public sealed record CdrToken(
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("party_id")] string PartyId,
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("contract_id")] string ContractId);

/// <summary>OCPI 2.2.1 CdrLocation: where the session took place.</summary>
public sealed record CdrLocation
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Address { get; init; }

    public required string City { get; init; }

    public string? PostalCode { get; init; }

    /// <summary>ISO 3166-1 alpha-3.</summary>
    public required string Country { get; init; }

    public required GeoLocation Coordinates { get; init; }

    public required string EvseUid { get; init; }

    public required string EvseId { get; init; }

    public required string ConnectorId { get; init; }

    /// <summary>ConnectorType, e.g. IEC_62196_T2.</summary>
    public required string ConnectorStandard { get; init; }

    /// <summary>SOCKET or CABLE.</summary>
    public required string ConnectorFormat { get; init; }

    /// <summary>AC_1_PHASE, AC_3_PHASE or DC.</summary>
    public required string ConnectorPowerType { get; init; }
}

/// <summary>OCPI GeoLocation: decimal degrees as strings, as the spec writes them.</summary>
public sealed record GeoLocation(
    [property: JsonPropertyName("latitude")] string Latitude,
    [property: JsonPropertyName("longitude")] string Longitude);

/// <summary>Source-generated OCPI JSON for CDRs (snake_case; absent optional fields omitted; numbers with at most 4 decimals).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(OcpiNumberConverter)])]
[JsonSerializable(typeof(Cdr))]
public sealed partial class OcpiCdrJsonContext : JsonSerializerContext;

/// <summary>
/// JSON of a CDR's price breakdown (not an OCPI object): exact amounts, every decimal kept, so a rounded total can be
/// explained line by line.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(IReadOnlyList<PricingLine>))]
public sealed partial class CdrBreakdownJsonContext : JsonSerializerContext;

/// <summary>CDR ids: derived from the transaction, so the same transaction always gives the same id.</summary>
public static class CdrIds
{
    /// <summary>The CDR of transaction <paramref name="transactionId"/>: prefix + the id (OCPI CiString(39)).</summary>
    public static string For(string prefix, int transactionId) => prefix + transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The n-th credit CDR cancelling <paramref name="cdrId"/>.</summary>
    public static string Credit(string cdrId, int n) => cdrId + "-C" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The n-th replacement of <paramref name="cdrId"/>.</summary>
    public static string Replacement(string cdrId, int n) => cdrId + "-R" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

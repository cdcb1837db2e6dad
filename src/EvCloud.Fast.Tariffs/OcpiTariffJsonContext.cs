using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs.V211;

namespace EvCloud.Fast.Tariffs;

/// <summary>
/// Source-generated (reflection-free, trim-safe) JSON for the OCPI tariff and CDR period types, with OCPI's
/// snake_case names. Absent optional fields are omitted on write, as OCPI receivers expect; numbers are OCPI numbers
/// (<see cref="OcpiNumberConverter"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(OcpiNumberConverter)])]
[JsonSerializable(typeof(Tariff))]
[JsonSerializable(typeof(IReadOnlyList<Tariff>))]
[JsonSerializable(typeof(ChargingPeriod))]
[JsonSerializable(typeof(IReadOnlyList<ChargingPeriod>))]
[JsonSerializable(typeof(Tariff211))]
public sealed partial class OcpiTariffJsonContext : JsonSerializerContext;

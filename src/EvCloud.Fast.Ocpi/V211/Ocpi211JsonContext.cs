using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.V211;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// Source-generated JSON for the OCPI 2.1.1 objects the CPO sends: the same options as the 2.2.1 context (snake_case,
/// absent optional fields omitted, DateTime in UTC with 'Z', 2.1.1 types §1.2).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(OcpiDateTimeConverter), typeof(OcpiNumberConverter)])]
[JsonSerializable(typeof(Location211))]
[JsonSerializable(typeof(List<Location211>))]
[JsonSerializable(typeof(Evse211))]
[JsonSerializable(typeof(Connector211))]
[JsonSerializable(typeof(Session211))]
[JsonSerializable(typeof(List<Session211>))]
[JsonSerializable(typeof(Cdr211))]
[JsonSerializable(typeof(List<Cdr211>))]
[JsonSerializable(typeof(Tariff211))]
[JsonSerializable(typeof(List<Tariff211>))]
public sealed partial class Ocpi211JsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>Source-generated JSON for the OCPI 2.1.1 objects of the eMSP role, with the options of <see cref="OcpiJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(OcpiDateTimeConverter)])]
[JsonSerializable(typeof(AuthorizationInfo211))]
[JsonSerializable(typeof(LocationReferences211))]
[JsonSerializable(typeof(OcpiCommandRequest211))]
internal sealed partial class OcpiEmsp211JsonContext : JsonSerializerContext;

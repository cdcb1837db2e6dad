using System.Text.Json;
using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Ocpi.Admin;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// Source-generated JSON for every OCPI object: snake_case names as OCPI spells them, absent optional fields omitted
/// (OCPI 2.2.1 §4.1.7 PUT: "optional fields that are not included revert to their default"), DateTime always UTC with
/// 'Z' (types §16.1.5, shared with the tariff model's converter).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(OcpiDateTimeConverter), typeof(OcpiNumberConverter)])]
[JsonSerializable(typeof(List<OcpiVersion>))]
[JsonSerializable(typeof(OcpiVersionDetails))]
[JsonSerializable(typeof(Credentials221))]
[JsonSerializable(typeof(Credentials211))]
[JsonSerializable(typeof(OcpiLocation))]
[JsonSerializable(typeof(List<OcpiLocation>))]
[JsonSerializable(typeof(OcpiEvse))]
[JsonSerializable(typeof(OcpiConnector))]
[JsonSerializable(typeof(OcpiToken))]
[JsonSerializable(typeof(List<OcpiToken>))]
[JsonSerializable(typeof(OcpiToken211))]
[JsonSerializable(typeof(List<OcpiToken211>))]
[JsonSerializable(typeof(AuthorizationInfo))]
[JsonSerializable(typeof(LocationReferences))]
[JsonSerializable(typeof(OcpiCommandRequest))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(CommandResult))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
[JsonSerializable(typeof(OcpiSession))]
[JsonSerializable(typeof(List<OcpiSession>))]
[JsonSerializable(typeof(Price))]
[JsonSerializable(typeof(IReadOnlyList<ChargingPeriod>))]
internal sealed partial class OcpiJsonContext : JsonSerializerContext;

/// <summary>Source-generated JSON for the admin endpoints under <c>/api/v1/ocpi</c> (web defaults: camelCase, like the rest of the API).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PartnerCreate))]
[JsonSerializable(typeof(PartnerCreated))]
[JsonSerializable(typeof(PartnerView))]
[JsonSerializable(typeof(PartnerView[]))]
[JsonSerializable(typeof(EmspTokenWrite))]
[JsonSerializable(typeof(CommandBody))]
[JsonSerializable(typeof(EmspTokenResult))]
[JsonSerializable(typeof(PullResult))]
[JsonSerializable(typeof(PartnerRegister))]
[JsonSerializable(typeof(SentCommandView))]
[JsonSerializable(typeof(AdminPage<JsonElement>))]
[JsonSerializable(typeof(OutboxItemView[]))]
[JsonSerializable(typeof(FeedDeadLetterView[]))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OcpiAdminJsonContext : JsonSerializerContext;

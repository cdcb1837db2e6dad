using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;
using V16 = EvCloud.Fast.Ocpp.Messages.Generated.V16;
using V201 = EvCloud.Fast.Ocpp.Messages.Generated.V201;
using V21 = EvCloud.Fast.Ocpp.Messages.Generated.V21;

namespace EvCloud.Fast.Commands;

public static partial class ChargerCommands
{
    private static OcppCommand Command<T>(string action, T payload, JsonTypeInfo<T> typeInfo) =>
        new(action, JsonSerializer.SerializeToUtf8Bytes(payload, typeInfo));

    // Whole seconds in UTC: what every charger parses (some firmware refuses fractions), and the precision a
    // reservation or a schedule start needs.
    private static DateTimeOffset WholeSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    // A wire name the caller chose from a checked list (trigger messages, 2.0.1 id token types) as the generated enum.
    private static T FromWire<T>(string wire, JsonTypeInfo<T> typeInfo) where T : struct, Enum
    {
        var buffer = new ArrayBufferWriter<byte>(wire.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(wire);
        }

        return JsonSerializer.Deserialize(buffer.WrittenSpan, typeInfo);
    }

    // The schemas' wire name of a generated enum value (the answer's status as the charger sent it).
    private static string ToWire<T>(T value, JsonTypeInfo<T> typeInfo) where T : struct, Enum
    {
        var reader = new Utf8JsonReader(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        reader.Read();
        return reader.GetString()!;
    }

    // 1.6 ChargingProfile and 2.x ChargingProfileType: a TxDefaultProfile of kind Absolute (a cap from now on) or a
    // TxProfile of kind Relative (a cap from the transaction's start), with one open-ended period at 0 s.
    private static V16.ChargingProfile Profile16(int profileId, int stackLevel, bool txDefault, string unit, decimal limit, DateTimeOffset? start) => new()
    {
        ChargingProfileId = profileId,
        StackLevel = stackLevel,
        ChargingProfilePurpose = txDefault ? ChargingProfilePurpose.TxDefaultProfile : ChargingProfilePurpose.TxProfile,
        ChargingProfileKind = txDefault ? ChargingProfileKind.Absolute : ChargingProfileKind.Relative,
        ChargingSchedule = new V16.ChargingSchedule
        {
            StartSchedule = start is { } s ? WholeSeconds(s) : null,
            ChargingRateUnit = unit == "A" ? ChargingRateUnit.A : ChargingRateUnit.W,
            ChargingSchedulePeriod = [new V16.ChargingSchedulePeriod { StartPeriod = 0, Limit = limit }],
        },
    };

    // 2.x chargingSchedule is an array of 1..3 schedules, each with a required id (the profile id here).
    private static V201.ChargingProfileType Profile201(int profileId, int stackLevel, bool txDefault, string unit, decimal limit, DateTimeOffset? start) => new()
    {
        Id = profileId,
        StackLevel = stackLevel,
        ChargingProfilePurpose = txDefault ? V201.ChargingProfilePurposeEnumType.TxDefaultProfile : V201.ChargingProfilePurposeEnumType.TxProfile,
        ChargingProfileKind = txDefault ? V201.ChargingProfileKindEnumType.Absolute : V201.ChargingProfileKindEnumType.Relative,
        ChargingSchedule =
        [
            new V201.ChargingScheduleType
            {
                Id = profileId,
                StartSchedule = start is { } s ? WholeSeconds(s) : null,
                ChargingRateUnit = unit == "A" ? V201.ChargingRateUnitEnumType.A : V201.ChargingRateUnitEnumType.W,
                ChargingSchedulePeriod = [new V201.ChargingSchedulePeriodType { StartPeriod = 0, Limit = limit }],
            },
        ],
    };

    // 2.1 made limit optional (for setpoint modes); it is always sent.
    private static V21.ChargingProfileType Profile21(int profileId, int stackLevel, bool txDefault, string unit, decimal limit, DateTimeOffset? start) => new()
    {
        Id = profileId,
        StackLevel = stackLevel,
        ChargingProfilePurpose = txDefault ? V21.ChargingProfilePurposeEnumType.TxDefaultProfile : V21.ChargingProfilePurposeEnumType.TxProfile,
        ChargingProfileKind = txDefault ? V21.ChargingProfileKindEnumType.Absolute : V21.ChargingProfileKindEnumType.Relative,
        ChargingSchedule =
        [
            new V21.ChargingScheduleType
            {
                Id = profileId,
                StartSchedule = start is { } s ? WholeSeconds(s) : null,
                ChargingRateUnit = unit == "A" ? V21.ChargingRateUnitEnumType.A : V21.ChargingRateUnitEnumType.W,
                ChargingSchedulePeriod = [new V21.ChargingSchedulePeriodType { StartPeriod = 0, Limit = limit }],
            },
        ],
    };

    // 2.0.1 IdTokenType.type is an enum (checked against Ocpp201IdTokenTypes before); 2.1 made it a string of up to 20.
    private static V201.IdTokenType IdToken201(string idToken, string type) =>
        new() { IdToken = idToken, Type = FromWire(type, V201JsonContext.Default.IdTokenEnumType) };

    private static V21.IdTokenType IdToken21(string idToken, string type) => new() { IdToken = idToken, Type = type };
}

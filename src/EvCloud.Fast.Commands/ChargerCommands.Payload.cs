using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Commands;

public static partial class ChargerCommands
{
    private static OcppCommand Write(string action, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return new OcppCommand(action, buffer.WrittenSpan.ToArray());
    }

    // 1.6 ChargingProfile and 2.x ChargingProfileType share these fields except the id's name.
    private static void WriteProfileHead(Utf8JsonWriter w, OcppVersion version, int profileId, int stackLevel, string purpose, string kind)
    {
        w.WriteNumber(version == OcppVersion.Ocpp16 ? "chargingProfileId" : "id", profileId);
        w.WriteNumber("stackLevel", stackLevel);
        w.WriteString("chargingProfilePurpose", purpose);
        w.WriteString("chargingProfileKind", kind);
    }

    // 1.6 chargingSchedule is one object; 2.x chargingSchedule is an array of 1..3 schedules, each with a required id.
    private static void WriteOcpp2Schedule(Utf8JsonWriter w, int scheduleId, string unit, decimal limit, DateTimeOffset? startSchedule)
    {
        w.WriteStartArray("chargingSchedule");
        w.WriteStartObject();
        w.WriteNumber("id", scheduleId);
        WriteScheduleBody(w, unit, limit, startSchedule);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteScheduleBody(Utf8JsonWriter w, string unit, decimal limit, DateTimeOffset? startSchedule)
    {
        if (startSchedule is DateTimeOffset start)
        {
            w.WriteString("startSchedule", FormatDate(start));
        }

        w.WriteString("chargingRateUnit", unit);
        w.WriteStartArray("chargingSchedulePeriod");
        w.WriteStartObject();
        w.WriteNumber("startPeriod", 0);
        w.WriteNumber("limit", limit);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteIdToken(Utf8JsonWriter w, string name, string idToken, string type)
    {
        w.WriteStartObject(name);
        w.WriteString("idToken", idToken);
        w.WriteString("type", type);
        w.WriteEndObject();
    }

    private static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
}

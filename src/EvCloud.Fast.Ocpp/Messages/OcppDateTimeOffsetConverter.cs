using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Reads and writes the <c>date-time</c> properties of the generated OCPP records the way the gateway treats them
/// elsewhere: a value without an offset (<c>2024-01-01T12:00:00</c>, which chargers in the field send and the schema
/// validator accepts) is UTC, not the server's local time; a value is written in UTC with a <c>Z</c>
/// (<c>2024-03-01T08:15:27Z</c>, fractional seconds only when there are any), the form every OCPP example uses and
/// the one charger firmware parses most reliably.
/// </summary>
public sealed class OcppDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a date-time string, found {reader.TokenType}.");
        }

        string text = reader.GetString()!;
        // RFC 3339 §5.6 with the variants the validator accepts ('t' or a space for 'T', a missing offset read as UTC).
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
            || reader.TryGetDateTimeOffset(out value))
        {
            return value;
        }

        throw new JsonException($"'{text}' is not an RFC 3339 date-time.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFF'Z'", CultureInfo.InvariantCulture).Replace(".Z", "Z", StringComparison.Ordinal));
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvCloud.Fast.Tariffs;

/// <summary>
/// OCPI 2.2.1 types DateTime: RFC 3339 in UTC. Partners often omit the "Z" (the spec's own URL examples do), so a
/// timestamp without offset is read as UTC rather than as the server's local time. Written with "Z", fractions only when present.
/// </summary>
public sealed class OcpiDateTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw new JsonException($"Not an OCPI DateTime: '{text}'.");
        }
        return value;
    }

    /// <summary>
    /// <paramref name="value"/> in UTC at millisecond precision: what every timestamp we create is cut to, so what is
    /// stored is what is sent, and a partner's <c>date_from</c> equal to an object's own <c>last_updated</c> finds it.
    /// </summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <inheritdoc/>
    /// <remarks>
    /// OCPI DateTime is string(25): whole seconds (<c>2015-06-29T20:39:09Z</c>, 20 characters) or milliseconds
    /// (<c>.123</c>, 24 characters). A finer value is cut to milliseconds here as a last line; reading stays tolerant of
    /// a partner's 7 fractional digits.
    /// </remarks>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var utc = Truncate(value).UtcDateTime;
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        writer.WriteStringValue(utc.ToString(format, CultureInfo.InvariantCulture));
    }
}

/// <summary>OCPI 2.2.1 TariffRestrictions start_time / end_time: "HH:mm", 24 h, leading zeros (regex <c>([0-1][0-9]|2[0-3]):[0-5][0-9]</c>).</summary>
public sealed class OcpiTimeOfDayConverter : JsonConverter<TimeOnly>
{
    /// <inheritdoc/>
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException($"Not an OCPI time of day (HH:mm): '{text}'.");
        }
        return value;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString("HH:mm", CultureInfo.InvariantCulture));
}

/// <summary>
/// OCPI <c>number</c> (2.2.1 types §16.1.7, 2.1.1 types §3.4): a JSON number with at most 4 decimals, never in exponent
/// form. Written rounded half away from zero to 4 decimals in fixed-point notation (a <see cref="decimal"/> keeps its
/// trailing zeros, so money reads 5.50, not 5.5); read as any JSON number, as partners send them.
/// </summary>
public sealed class OcpiNumberConverter : JsonConverter<decimal>
{
    /// <summary>Decimals OCPI allows in a number.</summary>
    public const int MaxDecimals = 4;

    /// <inheritdoc/>
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        decimal rounded = Math.Round(value, MaxDecimals, MidpointRounding.AwayFromZero);

        // NOTE: decimal is written in fixed-point notation (never an exponent); a rounded-away negative amount would
        // keep its sign bit, so zero is written as a plain 0.
        writer.WriteNumberValue(rounded == 0m ? 0m : rounded);
    }
}

using System.Globalization;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// OCPI DateTime (2.2.1 types §16.1.5): RFC 3339, UTC, string(25). A value without a designator is UTC (the spec says
/// so); one with an offset is converted. Written with 'Z' and whole seconds unless a fraction is present.
/// </summary>
public static class OcpiDates
{
    /// <summary>Parses a query parameter or field value.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 35 || text.IndexOf('T', StringComparison.Ordinal) < 0)
        {
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Formats as OCPI writes it.</summary>
    public static string Format(DateTimeOffset value)
    {
        DateTime utc = value.UtcDateTime;
        string format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Millisecond precision, the precision stored (what a partner sends back after a GET must compare equal).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}

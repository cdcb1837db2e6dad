using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>Zero-allocation helpers for reading validated payloads with <see cref="Utf8JsonReader"/>.</summary>
public static class JsonPayload
{
    /// <summary>
    /// The current string token as unescaped UTF-8: the token itself when it is contiguous and unescaped,
    /// else a copy in <paramref name="scratch"/> (truncated to it; the schema bounds every string we keep).
    /// </summary>
    public static ReadOnlySpan<byte> Utf8(scoped in Utf8JsonReader reader, Span<byte> scratch)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        long raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (!reader.ValueIsEscaped && raw <= scratch.Length)
        {
            reader.ValueSequence.CopyTo(scratch);
            return scratch[..(int)raw];
        }

        try
        {
            return scratch[..reader.CopyString(scratch)];
        }
        catch (ArgumentException)
        {
            // Longer than the scratch once unescaped: keep a truncated raw prefix rather than fail the message.
            int n = (int)Math.Min(raw, scratch.Length);
            (reader.HasValueSequence ? reader.ValueSequence.Slice(0, n) : new ReadOnlySequence<byte>(reader.ValueSpan[..n].ToArray())).CopyTo(scratch);
            return scratch[..n];
        }
    }

    /// <summary>
    /// The current string token as unescaped UTF-8, whole: the token itself when contiguous and unescaped, else a copy
    /// in <paramref name="scratch"/>. False when it is longer than <paramref name="scratch"/> once unescaped, whatever
    /// its shape in the buffer, so a caller that must not read a prefix as the value (a number) can refuse it.
    /// </summary>
    public static bool TryUtf8Whole(scoped in Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> value)
    {
        long raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (!reader.ValueIsEscaped)
        {
            if (raw > scratch.Length)
            {
                value = default;
                return false;
            }

            if (!reader.HasValueSequence)
            {
                value = reader.ValueSpan;
                return true;
            }

            reader.ValueSequence.CopyTo(scratch);
            value = scratch[..(int)raw];
            return true;
        }

        // NOTE: an escape is 2 to 12 raw bytes per character, so a value over 12 × scratch cannot fit; CopyString
        // throws ArgumentException (error path only) when the unescaped value does not fit.
        try
        {
            value = raw <= 12L * scratch.Length ? scratch[..reader.CopyString(scratch)] : default;
            return raw <= 12L * scratch.Length;
        }
        catch (ArgumentException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>
    /// Reads an RFC 3339 timestamp as UTC Unix milliseconds. A timestamp without an offset is taken as UTC
    /// (some firmware omits the 'Z'); false when the token is not a date-time.
    /// </summary>
    public static bool TryGetUnixMs(ref Utf8JsonReader reader, out long unixMs)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out DateTime value))
        {
            DateTime utc = value.Kind switch
            {
                DateTimeKind.Local => value.ToUniversalTime(),
                DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
                _ => value,
            };
            unixMs = (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>Parses a decimal number held in a string (OCPP sampled values), without allocating.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        text = text.Trim(" "u8);
        if (Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length)
        {
            return true;
        }

        return Utf8Parser.TryParse(text, out value, out consumed, 'E') && consumed == text.Length;
    }

    /// <summary>The raw JSON of the value the reader is on (object or array), skipping it.</summary>
    public static ReadOnlySequence<byte> RawValue(ref Utf8JsonReader reader, in ReadOnlySequence<byte> message)
    {
        long start = reader.TokenStartIndex;
        reader.Skip();
        return message.Slice(start, reader.BytesConsumed - start);
    }
}

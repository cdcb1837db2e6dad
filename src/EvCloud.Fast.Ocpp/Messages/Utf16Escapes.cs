using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Finds lone UTF-16 surrogate escapes in a JSON string token without unescaping it. RFC 8259 §7 lets any code unit
/// be escaped, so <c>"\ud800"</c> is valid JSON text but not Unicode: <see cref="Utf8JsonReader.CopyString(Span{byte})"/>
/// throws on it, and no JSON writer can write it out again. The check runs only on tokens the reader marked escaped,
/// so plain strings cost nothing.
/// </summary>
internal static class Utf16Escapes
{
    private const int StackLength = 256;

    /// <summary>True unless the current string (or property name) holds a high surrogate escape not followed by a low one, or a lone low one.</summary>
    [SkipLocalsInit]
    public static bool AreWellFormed(scoped ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        if (!reader.HasValueSequence)
        {
            return AreWellFormed(reader.ValueSpan);
        }

        ReadOnlySequence<byte> sequence = reader.ValueSequence;
        byte[]? rented = null;
        Span<byte> buffer = sequence.Length <= StackLength
            ? stackalloc byte[StackLength]
            : (rented = ArrayPool<byte>.Shared.Rent(checked((int)sequence.Length)));
        sequence.CopyTo(buffer);
        bool valid = AreWellFormed(buffer[..(int)sequence.Length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return valid;
    }

    /// <summary>The same check over a raw (still escaped) string body, as the reader has already checked its escape grammar.</summary>
    public static bool AreWellFormed(ReadOnlySpan<byte> raw)
    {
        int i = raw.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < raw.Length)
        {
            if (raw[i + 1] != 'u')
            {
                i += 2; // a two-character escape such as \" or \\
            }
            else
            {
                int unit = CodeUnit(raw, i + 2);
                if (unit is >= 0xDC00 and <= 0xDFFF)
                {
                    return false; // a low surrogate with no high one before it
                }

                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    // RFC 8259 §7: a character outside the BMP is a "12-character sequence" of a high and a low escape.
                    int low = i + 7 < raw.Length && raw[i + 6] == '\\' && raw[i + 7] == 'u' ? CodeUnit(raw, i + 8) : -1;
                    if (low is < 0xDC00 or > 0xDFFF)
                    {
                        return false;
                    }

                    i += 12;
                }
                else
                {
                    i += 6;
                }
            }

            if (i >= raw.Length)
            {
                break;
            }

            int next = raw[i..].IndexOf((byte)'\\');
            i = next < 0 ? -1 : i + next;
        }

        return true;
    }

    private static int CodeUnit(ReadOnlySpan<byte> raw, int at)
    {
        if (at + 4 > raw.Length)
        {
            return -1;
        }

        int value = 0;
        for (int k = 0; k < 4; k++)
        {
            int digit = HexValue(raw[at + k]);
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}

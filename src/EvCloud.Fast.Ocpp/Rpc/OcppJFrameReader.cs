using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>
/// Reads the RPC envelope of an OCPP-J message with <see cref="Utf8JsonReader"/> over a complete message,
/// leaving the reader on the payload for the schema validator and the handler.
/// </summary>
public static class OcppJFrameReader
{
    /// <summary>
    /// Longest message id accepted, in UTF-8 bytes. OCPP-J allows 36 characters (a UUID); ids up to 64 bytes
    /// are accepted so firmware that pads or prefixes its ids still gets answers.
    /// </summary>
    public const int MaxMessageIdBytes = 64;

    /// <summary>Longest action name (the longest OCPP action is 40 characters); also bounds error codes.</summary>
    public const int MaxActionBytes = 64;

    /// <summary>
    /// Reads the envelope and positions <paramref name="reader"/> on the payload's <c>StartObject</c>
    /// (CALL, CALLRESULT, SEND) or on the error code's details object (CALLERROR, CALLRESULTERROR, whose
    /// code and description are returned through <paramref name="header"/>.Action and <paramref name="description"/>).
    /// Throws <see cref="JsonException"/> for text that is not JSON; the caller answers it.
    /// </summary>
    /// <param name="reader">A reader at the start of the message.</param>
    /// <param name="idBuffer">Scratch for an escaped or split message id (<see cref="MaxMessageIdBytes"/>).</param>
    /// <param name="actionBuffer">Scratch for an escaped or split action (<see cref="MaxActionBytes"/>).</param>
    /// <param name="header">The envelope.</param>
    /// <param name="description">
    /// CALLERROR / CALLRESULTERROR description, else empty. Truncated to its buffer at a character boundary
    /// (an escaped description too long to unescape into the buffer, or holding a lone UTF-16 surrogate escape, is
    /// kept as sent, escapes included). A message id or action with a lone surrogate escape is
    /// <see cref="OcppFrameError.BadMessageId"/> / <see cref="OcppFrameError.BadAction"/>.
    /// </param>
    /// <param name="descriptionBuffer">Scratch for the description.</param>
    public static OcppFrameError TryReadHeader(
        scoped ref Utf8JsonReader reader,
        Span<byte> idBuffer,
        Span<byte> actionBuffer,
        Span<byte> descriptionBuffer,
        out OcppFrameHeader header,
        out ReadOnlySpan<byte> description)
    {
        header = default;
        description = default;

        // OCPP-J CALL:        [2,"<messageId>","<Action>",{...}]
        // OCPP-J CALLRESULT:  [3,"<messageId>",{...}]
        // OCPP-J CALLERROR:   [4,"<messageId>","<errorCode>","<errorDescription>",{...}]
        // OCPP-J 2.1 CALLRESULTERROR: [5, ...as CALLERROR]; SEND: [6, ...as CALL]
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return OcppFrameError.NotAnArray;
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !TryGetTypeNumber(ref reader, out int typeNumber))
        {
            return OcppFrameError.UnknownMessageType;
        }

        var type = typeNumber is >= 2 and <= 6 ? (OcppMessageType)typeNumber : OcppMessageType.Unknown;

        if (!reader.Read() || reader.TokenType != JsonTokenType.String || !TryGetString(ref reader, idBuffer, out ReadOnlySpan<byte> id))
        {
            // The type is known: a CALLRESULT or CALLERROR with an unusable id is not answered either.
            header = new OcppFrameHeader(type, default, default);
            return OcppFrameError.BadMessageId;
        }

        if (type == OcppMessageType.Unknown)
        {
            header = new OcppFrameHeader(type, id, default);
            return OcppFrameError.UnknownMessageType;
        }

        ReadOnlySpan<byte> action = default;
        if (type is OcppMessageType.Call or OcppMessageType.Send or OcppMessageType.CallError or OcppMessageType.CallResultError)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !TryGetString(ref reader, actionBuffer, out action))
            {
                header = new OcppFrameHeader(type, id, default);
                return OcppFrameError.BadAction;
            }
        }

        if (type is OcppMessageType.CallError or OcppMessageType.CallResultError)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                header = new OcppFrameHeader(type, id, action);
                return OcppFrameError.BadPayload;
            }

            int n = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (n <= descriptionBuffer.Length || reader.ValueIsEscaped)
            {
                try
                {
                    description = descriptionBuffer[..reader.CopyString(descriptionBuffer)];
                }
                catch (ArgumentException)
                {
                    description = RawPrefix(ref reader, descriptionBuffer); // longer than the buffer once unescaped
                }
                catch (InvalidOperationException)
                {
                    // A lone UTF-16 surrogate escape ("\ud800") is not Unicode: keep the text as sent, escapes
                    // included, which is plain ASCII and can be logged and stored.
                    description = RawPrefix(ref reader, descriptionBuffer);
                }
            }
            else
            {
                description = RawPrefix(ref reader, descriptionBuffer);
            }
        }

        header = new OcppFrameHeader(type, id, action);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return OcppFrameError.BadPayload;
        }

        return OcppFrameError.None;
    }

    /// <summary>After the payload: true when the message ends with <c>]</c> and nothing follows.</summary>
    public static bool TryReadEnd(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.EndArray && !reader.Read();

    /// <summary>
    /// The current number as an <see cref="int"/>, as <see cref="Utf8JsonReader.TryGetInt32(out int)"/> reads it,
    /// without the array that method allocates for a number that ends at a segment boundary.
    /// </summary>
    private static bool TryGetTypeNumber(scoped ref Utf8JsonReader reader, out int value)
    {
        if (!reader.HasValueSequence)
        {
            return reader.TryGetInt32(out value);
        }

        ReadOnlySequence<byte> number = reader.ValueSequence;
        Span<byte> digits = stackalloc byte[16];
        if (number.Length > digits.Length)
        {
            value = 0;
            return false; // longer than any int, in any JSON spelling TryGetInt32 accepts
        }

        number.CopyTo(digits);
        digits = digits[..(int)number.Length];
        return Utf8Parser.TryParse(digits, out value, out int consumed) && consumed == digits.Length;
    }

    /// <summary>
    /// The start of the current string as sent (escapes left as they are), cut before a UTF-8 sequence that does
    /// not fit whole, so a truncated description still decodes.
    /// </summary>
    private static ReadOnlySpan<byte> RawPrefix(scoped ref Utf8JsonReader reader, Span<byte> buffer)
    {
        int n;
        if (reader.HasValueSequence)
        {
            ReadOnlySequence<byte> value = reader.ValueSequence;
            n = (int)Math.Min(value.Length, buffer.Length);
            value.Slice(0, n).CopyTo(buffer);
        }
        else
        {
            n = Math.Min(reader.ValueSpan.Length, buffer.Length);
            reader.ValueSpan[..n].CopyTo(buffer);
        }

        int lead = n;
        while (lead > 0 && (buffer[lead - 1] & 0xC0) == 0x80)
        {
            lead--; // continuation bytes: 10xxxxxx
        }

        if (lead > 0)
        {
            byte first = buffer[lead - 1];
            int sequenceLength = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
            if (n - (lead - 1) < sequenceLength)
            {
                n = lead - 1;
            }
        }

        return buffer[..n];
    }

    private static bool TryGetString(scoped ref Utf8JsonReader reader, Span<byte> buffer, out ReadOnlySpan<byte> value)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            value = reader.ValueSpan;
            return value.Length <= buffer.Length;
        }

        long raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (raw > buffer.Length * 6L)
        {
            value = default;
            return false;
        }

        // NOTE: CopyString wants room for the value as written, escapes included, so an escaped value that fits
        // the buffer once unescaped is copied through a scratch as long as its spelling (at most 6 × the buffer).
        Span<byte> scratch = stackalloc byte[(int)raw];
        try
        {
            int length = reader.CopyString(scratch);
            if (length > buffer.Length)
            {
                value = default;
                return false;
            }

            scratch[..length].CopyTo(buffer);
            value = buffer[..length];
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false; // a lone UTF-16 surrogate escape: not a usable id or action (error path only)
        }
    }
}

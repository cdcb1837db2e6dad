using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Validates an OCPP payload against its <see cref="CompiledSchema"/> straight from a <see cref="Utf8JsonReader"/>,
/// without building a document and without allocating when the payload is valid.
/// </summary>
/// <remarks>
/// <para>Error codes. The OCPP definitions (1.6 JSON §4.2.3; 2.0.1 and 2.1 Part 4 §4.3, table "Valid Error Codes"):</para>
/// <list type="bullet">
/// <item><b>TypeConstraintViolation</b> — "Payload for Action is syntactically correct but at least one of the fields
/// violates data type constraints (e.g. "somestring": 12)": a value of the wrong JSON type, and an integer field
/// holding a number with a fractional part.</item>
/// <item><b>OccurrenceConstraintViolation</b> (1.6 <c>OccurenceConstraintViolation</c>) — "...at least one of the
/// fields violates occurrence constraints": a missing required property, too few or too many array items.</item>
/// <item><b>PropertyConstraintViolation</b> — "Payload is syntactically correct but at least one field contains an
/// invalid value": <c>enum</c>, <c>maxLength</c>/<c>minLength</c>, <c>minimum</c>/<c>maximum</c> and their exclusive
/// forms, <c>multipleOf</c>, <c>format</c> (date-time, uri), and numbers too large to compare.</item>
/// <item><b>A property not allowed by <c>additionalProperties: false</c></b> — the payload does "not conform the PDU
/// structure". OCPP 1.6 puts that phrase under <b>FormationViolation</b> ("syntactically incorrect or not conform the
/// PDU structure for Action") while 2.0.1 and 2.1 moved it to <b>ProtocolError</b> ("Payload for Action is not conform
/// the PDU structure") and narrowed FormatViolation to "syntactically incorrect". So the code follows the schema's
/// version: FormatViolation (wire <c>FormationViolation</c>) for 1.6, ProtocolError for 2.x. The ocpp-rpc library
/// (ajv-based) answers PropertyConstraintViolation here, and FormatViolation for length, range, enum and format
/// failures; chargers log CALLERROR codes rather than act on them, so this follows the specification instead.</item>
/// <item><b>FormatViolation</b> (1.6 <c>FormationViolation</c>) — "Payload for Action is syntactically incorrect":
/// invalid or truncated JSON inside the payload (a <see cref="JsonException"/> from the reader is caught).</item>
/// </list>
/// <para>Interpretation choices, at least as lenient as ocpp-rpc's strict mode (ajv 8 with ajv-formats) except the
/// three stricter rules at the end (integers, repeated names, lone surrogates), which keep hostile input away from the
/// handlers and the stored events:</para>
/// <list type="bullet">
/// <item>String lengths count Unicode code points after unescaping (JSON Schema §6.3.1; ajv's default).</item>
/// <item><c>multipleOf</c> is checked in exact decimal arithmetic, so 0.3 is a multiple of 0.1.</item>
/// <item><c>date-time</c> is RFC 3339 §5.6 with any number of fractional digits, 'T', 't' or a space between date and
/// time, and offsets <c>Z</c>, <c>+hh:mm</c>, <c>+hhmm</c> or <c>+hh</c> as ajv-formats accepts. A missing offset
/// (<c>2024-01-01T12:00:00</c>, which chargers in the field send) is also accepted; handlers read it as UTC.</item>
/// <item><c>uri</c> requires an RFC 3986 scheme and otherwise only URI characters and well-formed %-escapes.</item>
/// <item>"integer" is the OCPP integer, a signed 32-bit value (OCPP 2.0.1 Part 2, primitive datatypes; the 1.6
/// handlers read every integer as an int too), written as digits: <c>1.0</c> and <c>1e2</c> get
/// TypeConstraintViolation (JSON Schema would call them integers; OCPP firmware and handlers read an int) and a value
/// beyond ±2^31 gets PropertyConstraintViolation. "number" accepts any JSON number.</item>
/// <item>A repeated property (<c>{"a":1,"a":2}</c>) is a FormatViolation (1.6 <c>FormationViolation</c>): RFC 8259 §4
/// says names "SHOULD be unique" and readers disagree on which value wins, so a handler and a log reader could see
/// different payloads. Checked for the names the schema declares (where every value is read); a repeated name under
/// <c>additionalProperties</c> (customData) is skipped unread.</item>
/// <item>A string holding a lone UTF-16 surrogate escape (<c>"\ud800"</c>) is a FormatViolation: it is not Unicode,
/// so it could be neither unescaped by a handler nor written out again by any JSON writer.</item>
/// </list>
/// </remarks>
public static class OcppSchemaValidator
{
    // Strings whose raw bytes fit here are unescaped on the stack; longer ones (certificates) borrow a pooled array.
    private const int StackBufferLength = 256;

    // Longer than any number a charger sends (a double prints in at most 24 bytes).
    private const int NumberStackLength = 64;

    private const int MaxNameInError = 64;

    private static readonly (SchemaTypes Type, string Name)[] TypeNames =
    [
        (SchemaTypes.Object, "object"), (SchemaTypes.Array, "array"), (SchemaTypes.String, "string"),
        (SchemaTypes.Integer, "integer"), (SchemaTypes.Number, "number"), (SchemaTypes.Boolean, "boolean"),
        (SchemaTypes.Null, "null"),
    ];

    /// <summary>
    /// Validates the payload value the reader is on against <paramref name="schema"/>.
    /// </summary>
    /// <param name="schema">The action's request or response schema from <see cref="OcppSchemaSet"/>.</param>
    /// <param name="reader">
    /// A reader over a complete buffer (<c>isFinalBlock: true</c>, one segment or many), positioned on the first token
    /// of the payload, e.g. the <see cref="JsonTokenType.StartObject"/> after the action string of a CALL. A reader that
    /// has not read yet (<see cref="JsonTokenType.None"/>) is advanced to its first token. On success it is left on the
    /// last token of the payload (the matching <see cref="JsonTokenType.EndObject"/>), so the caller can go on reading
    /// the enclosing OCPP-J array. On failure its position is unspecified: answer with the error and drop the frame.
    /// OCPP-J has no comments, so the reader must not use <see cref="JsonCommentHandling.Allow"/>.
    /// </param>
    /// <param name="error">On failure, the CALLERROR code and description (see the type's remarks); otherwise default.</param>
    /// <returns>True if the payload conforms to the schema. Allocates nothing in that case.</returns>
    public static bool TryValidate(CompiledSchema schema, ref Utf8JsonReader reader, out OcppValidationError error)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment)
        {
            ThrowNotOnAValue(reader.TokenType);
        }

        var failure = default(ValidationFailure);
        try
        {
            if (reader.TokenType == JsonTokenType.None && !reader.Read())
            {
                failure.Set(ViolationKind.Syntax, "payload is missing");
            }
            else if (ValidateValue(schema.Root, ref reader, ref failure))
            {
                error = default;
                return true;
            }
        }
        catch (JsonException exception)
        {
            failure = default;
            failure.Set(ViolationKind.Syntax, "payload is not valid JSON: " + exception.Message);
        }
        catch (InvalidOperationException)
        {
            // NOTE: CopyString/GetString throw this for a string holding an invalid \u surrogate escape.
            failure = default;
            failure.Set(ViolationKind.Syntax, "payload contains a string that is not valid Unicode");
        }

        error = CreateError(schema.Version, in failure);
        return false;
    }

    internal static OcppErrorCode CodeFor(ViolationKind kind, OcppVersion version) => kind switch
    {
        ViolationKind.Type => OcppErrorCode.TypeConstraintViolation,
        ViolationKind.Required or ViolationKind.ItemCount => OcppErrorCode.OccurrenceConstraintViolation,
        ViolationKind.AdditionalProperty => version == OcppVersion.Ocpp16 ? OcppErrorCode.FormatViolation : OcppErrorCode.ProtocolError,
        ViolationKind.Enum or ViolationKind.Length or ViolationKind.Range or ViolationKind.MultipleOf or ViolationKind.Format
            => OcppErrorCode.PropertyConstraintViolation,
        _ => OcppErrorCode.FormatViolation,
    };

    private static OcppValidationError CreateError(OcppVersion version, in ValidationFailure failure)
    {
        string message = failure.Message ?? "payload is invalid";
        return new OcppValidationError(
            CodeFor(failure.Kind, version),
            failure.Path is null ? message : failure.Path + ": " + message);
    }

    private static bool ValidateValue(SchemaNode node, ref Utf8JsonReader reader, ref ValidationFailure failure)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return (node.Types & SchemaTypes.Object) != 0
                    ? ValidateObject(node, ref reader, ref failure)
                    : TypeMismatch(node, "object", ref failure);
            case JsonTokenType.StartArray:
                return (node.Types & SchemaTypes.Array) != 0
                    ? ValidateArray(node, ref reader, ref failure)
                    : TypeMismatch(node, "array", ref failure);
            case JsonTokenType.String:
                if ((node.Types & SchemaTypes.String) == 0)
                {
                    return TypeMismatch(node, "string", ref failure);
                }

                if (reader.ValueIsEscaped && !Utf16Escapes.AreWellFormed(ref reader))
                {
                    return failure.Set(ViolationKind.Syntax, "string holds a lone UTF-16 surrogate escape; it is not Unicode");
                }

                return !node.HasStringChecks || ValidateString(node, ref reader, ref failure);
            case JsonTokenType.Number:
                if ((node.Types & SchemaTypes.Number) != 0)
                {
                    return !node.HasNumberChecks || ValidateNumber(node, integer: false, ref reader, ref failure);
                }

                return (node.Types & SchemaTypes.Integer) != 0
                    ? ValidateNumber(node, integer: true, ref reader, ref failure)
                    : TypeMismatch(node, "number", ref failure);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return (node.Types & SchemaTypes.Boolean) != 0 || TypeMismatch(node, "boolean", ref failure);
            case JsonTokenType.Null:
                return (node.Types & SchemaTypes.Null) != 0 || TypeMismatch(node, "null", ref failure);
            default:
                return failure.Set(ViolationKind.Syntax, "unexpected JSON token " + reader.TokenType);
        }
    }

    // JSON Schema §6.5: properties / required / additionalProperties.
    private static bool ValidateObject(SchemaNode node, ref Utf8JsonReader reader, ref ValidationFailure failure)
    {
        SchemaProperty[] properties = node.Properties;
        ulong seen = 0;
        ulong present = 0; // one bit per declared property (the first 64), for repeated names
        while (true)
        {
            if (!reader.Read())
            {
                return Truncated(ref failure);
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            int index = !reader.HasValueSequence && !reader.ValueIsEscaped
                ? Match(properties, reader.ValueSpan)
                : MatchCopied(properties, ref reader);
            SchemaProperty? property = index >= 0 ? properties[index] : null;
            if (property is not null && index < 64)
            {
                ulong bit = 1UL << index;
                if ((present & bit) != 0)
                {
                    return failure.Set(ViolationKind.Syntax, $"property '{property.Name}' appears more than once");
                }

                present |= bit;
            }

            if (property is null)
            {
                if (!node.AdditionalPropertiesAllowed)
                {
                    return failure.Set(ViolationKind.AdditionalProperty, $"property '{Shorten(reader.GetString())}' is not allowed");
                }

                if (!reader.Read() || !reader.TrySkip())
                {
                    return Truncated(ref failure);
                }

                continue;
            }

            if (!reader.Read())
            {
                return Truncated(ref failure);
            }

            if (!ValidateValue(property.Schema, ref reader, ref failure))
            {
                failure.PrependProperty(property.Name);
                return false;
            }

            seen |= property.RequiredBit;
        }

        if ((seen & node.RequiredMask) != node.RequiredMask)
        {
            foreach (SchemaProperty required in node.Required)
            {
                if ((seen & required.RequiredBit) == 0)
                {
                    return failure.Set(ViolationKind.Required, $"missing required property '{required.Name}'");
                }
            }
        }

        return true;
    }

    // JSON Schema §6.4: items / minItems / maxItems.
    private static bool ValidateArray(SchemaNode node, ref Utf8JsonReader reader, ref ValidationFailure failure)
    {
        int count = 0;
        while (true)
        {
            if (!reader.Read())
            {
                return Truncated(ref failure);
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (node.MaxItems >= 0 && count >= node.MaxItems)
            {
                return failure.Set(ViolationKind.ItemCount, $"expected at most {node.MaxItems} item(s)");
            }

            if (node.Items is null)
            {
                if (!reader.TrySkip())
                {
                    return Truncated(ref failure);
                }
            }
            else if (!ValidateValue(node.Items, ref reader, ref failure))
            {
                failure.PrependIndex(count);
                return false;
            }

            count++;
        }

        return count >= node.MinItems
            || failure.Set(ViolationKind.ItemCount, $"expected at least {node.MinItems} item(s), got {count}");
    }

    // JSON Schema §6.2: multipleOf, maximum, exclusiveMaximum, minimum, exclusiveMinimum; §6.1.1 "integer".
    // NOTE: Utf8JsonReader.TryGet* copy a number that spans segments with ValueSequence.ToArray(); copying it to the
    // stack here keeps segmented frames allocation-free. The reader has already checked the JSON number grammar.
    [SkipLocalsInit]
    private static bool ValidateNumber(SchemaNode node, bool integer, ref Utf8JsonReader reader, ref ValidationFailure failure)
    {
        if (!reader.HasValueSequence)
        {
            return ValidateNumber(node, integer, reader.ValueSpan, ref failure);
        }

        ReadOnlySequence<byte> sequence = reader.ValueSequence;
        byte[]? rented = null;
        Span<byte> buffer = sequence.Length <= NumberStackLength
            ? stackalloc byte[NumberStackLength]
            : (rented = ArrayPool<byte>.Shared.Rent(checked((int)sequence.Length)));
        sequence.CopyTo(buffer);
        bool valid = ValidateNumber(node, integer, buffer[..(int)sequence.Length], ref failure);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return valid;
    }

    private static bool ValidateNumber(SchemaNode node, bool integer, ReadOnlySpan<byte> number, ref ValidationFailure failure)
    {
        decimal value;
        if (integer)
        {
            // OCPP "integer" is int32 written as digits (see the type's remarks).
            if (number.IndexOfAny(".eE"u8) >= 0)
            {
                return failure.Set(ViolationKind.Type, "expected integer, got a number with a fraction or an exponent");
            }

            if (!Utf8Parser.TryParse(number, out int small, out int used) || used != number.Length)
            {
                return failure.Set(ViolationKind.Range, "integer is beyond 32 bits");
            }

            value = small;
        }
        else if (Utf8Parser.TryParse(number, out long whole, out int consumed) && consumed == number.Length)
        {
            value = whole;
        }
        else if (Utf8Parser.TryParse(number, out value, out consumed) && consumed == number.Length)
        {
            // NOTE: decimal rounds 1e-40 to 0, so a zero that is not zero as a double had a fraction.
            if (integer && (decimal.Truncate(value) != value
                || (value == 0 && Utf8Parser.TryParse(number, out double tiny, out _) && tiny != 0)))
            {
                return failure.Set(ViolationKind.Type, "expected integer, got a number with a fractional part");
            }
        }
        else if (Utf8Parser.TryParse(number, out double large, out consumed) && consumed == number.Length && double.IsFinite(large))
        {
            return ValidateLargeNumber(node, large, ref failure);
        }
        else
        {
            return failure.Set(ViolationKind.Range, "number is out of range");
        }

        if (node.Minimum is decimal minimum && value < minimum)
        {
            return failure.Set(ViolationKind.Range, $"must be at least {minimum}");
        }

        if (node.Maximum is decimal maximum && value > maximum)
        {
            return failure.Set(ViolationKind.Range, $"must be at most {maximum}");
        }

        if (node.ExclusiveMinimum is decimal exclusiveMinimum && value <= exclusiveMinimum)
        {
            return failure.Set(ViolationKind.Range, $"must be greater than {exclusiveMinimum}");
        }

        if (node.ExclusiveMaximum is decimal exclusiveMaximum && value >= exclusiveMaximum)
        {
            return failure.Set(ViolationKind.Range, $"must be less than {exclusiveMaximum}");
        }

        if (node.MultipleOf is decimal step && value % step != 0)
        {
            return failure.Set(ViolationKind.MultipleOf, $"must be a multiple of {step}");
        }

        return true;
    }

    // Beyond decimal's ±7.9e28 only doubles remain; such a value is an integer and a multiple of any OCPP step.
    private static bool ValidateLargeNumber(SchemaNode node, double value, ref ValidationFailure failure)
    {
        if ((node.Minimum is decimal minimum && value < (double)minimum)
            || (node.Maximum is decimal maximum && value > (double)maximum)
            || (node.ExclusiveMinimum is decimal exclusiveMinimum && value <= (double)exclusiveMinimum)
            || (node.ExclusiveMaximum is decimal exclusiveMaximum && value >= (double)exclusiveMaximum))
        {
            return failure.Set(ViolationKind.Range, "number is out of range");
        }

        return true;
    }

    // JSON Schema §6.3 maxLength / minLength, §6.1.2 enum, §7.3 format.
    [SkipLocalsInit]
    private static bool ValidateString(SchemaNode node, ref Utf8JsonReader reader, ref ValidationFailure failure)
    {
        bool escaped = reader.ValueIsEscaped;
        bool segmented = reader.HasValueSequence;
        long rawLength = segmented ? reader.ValueSequence.Length : reader.ValueSpan.Length;

        // A code point takes at least one raw byte, UTF-8 or escaped, so a value no longer than maxLength passes unread.
        bool countAfterUnescaping = false;
        if ((node.MaxLength >= 0 && rawLength > node.MaxLength) || node.MinLength > 0)
        {
            if (escaped)
            {
                countAfterUnescaping = true;
            }
            else
            {
                long codePoints = segmented ? CountCodePoints(reader.ValueSequence) : CountCodePoints(reader.ValueSpan);
                if (!IsLengthValid(node, codePoints, ref failure))
                {
                    return false;
                }
            }
        }

        if (node.Enum is null && node.Format == StringFormat.None && !countAfterUnescaping)
        {
            return true;
        }

        // An enum member of n bytes is at most 6n bytes escaped, so anything longer cannot match and is not copied.
        if (node.Enum is not null && !countAfterUnescaping && rawLength > (escaped ? 6L * node.EnumMaxLength : node.EnumMaxLength))
        {
            return NotInEnum(node, ref failure);
        }

        Span<byte> scratch = stackalloc byte[StackBufferLength];
        ReadOnlySpan<byte> value = scratch[..0];
        byte[]? rented = null;
        if (!escaped && !segmented)
        {
            value = reader.ValueSpan;
        }
        else
        {
            Span<byte> buffer = rawLength <= StackBufferLength ? scratch : (rented = ArrayPool<byte>.Shared.Rent(checked((int)rawLength)));
            value = buffer[..reader.CopyString(buffer)];
        }

        bool valid = ValidateStringValue(node, value, countAfterUnescaping, ref failure);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return valid;
    }

    private static bool ValidateStringValue(SchemaNode node, ReadOnlySpan<byte> value, bool countLength, ref ValidationFailure failure)
    {
        if (countLength && !IsLengthValid(node, CountCodePoints(value), ref failure))
        {
            return false;
        }

        if (node.Enum is byte[][] members)
        {
            bool found = false;
            foreach (byte[] member in members)
            {
                if (value.SequenceEqual(member))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return NotInEnum(node, ref failure);
            }
        }

        return node.Format switch
        {
            StringFormat.DateTime => DateTimeFormat.IsValid(value)
                || failure.Set(ViolationKind.Format, "expected an RFC 3339 date-time such as 2024-01-01T12:00:00Z"),
            StringFormat.Uri => UriFormat.IsValid(value)
                || failure.Set(ViolationKind.Format, "expected an absolute URI"),
            _ => true,
        };
    }

    private static bool IsLengthValid(SchemaNode node, long codePoints, ref ValidationFailure failure)
    {
        if (node.MaxLength >= 0 && codePoints > node.MaxLength)
        {
            return failure.Set(ViolationKind.Length, $"expected at most {node.MaxLength} characters, got {codePoints}");
        }

        return codePoints >= node.MinLength
            || failure.Set(ViolationKind.Length, $"expected at least {node.MinLength} characters, got {codePoints}");
    }

    private static bool NotInEnum(SchemaNode node, ref ValidationFailure failure)
    {
        var message = new StringBuilder("value is not one of ");
        byte[][] members = node.Enum!;
        for (int i = 0; i < members.Length; i++)
        {
            if (message.Length + members[i].Length > 200)
            {
                message.Append(", ...");
                break;
            }

            message.Append(i == 0 ? "" : ", ").Append(Encoding.UTF8.GetString(members[i]));
        }

        return failure.Set(ViolationKind.Enum, message.ToString());
    }

    // UTF-8 spends exactly one non-continuation byte (not 10xxxxxx) per code point.
    private static long CountCodePoints(ReadOnlySpan<byte> utf8)
    {
        long continuation = 0;
        foreach (byte b in utf8)
        {
            if ((b & 0xC0) == 0x80)
            {
                continuation++;
            }
        }

        return utf8.Length - continuation;
    }

    private static long CountCodePoints(ReadOnlySequence<byte> utf8)
    {
        long count = 0;
        foreach (ReadOnlyMemory<byte> segment in utf8)
        {
            count += CountCodePoints(segment.Span);
        }

        return count;
    }

    private static int Match(SchemaProperty[] properties, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < properties.Length; i++)
        {
            if (name.SequenceEqual(properties[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    [SkipLocalsInit]
    private static int MatchCopied(SchemaProperty[] properties, ref Utf8JsonReader reader)
    {
        long rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        byte[]? rented = null;
        Span<byte> buffer = rawLength <= StackBufferLength
            ? stackalloc byte[StackBufferLength]
            : (rented = ArrayPool<byte>.Shared.Rent(checked((int)rawLength)));
        int property = Match(properties, buffer[..reader.CopyString(buffer)]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return property;
    }

    private static bool TypeMismatch(SchemaNode node, string actual, ref ValidationFailure failure)
    {
        var expected = new List<string>(2);
        foreach ((SchemaTypes type, string name) in TypeNames)
        {
            if ((node.Types & type) == type && !(type == SchemaTypes.Integer && (node.Types & SchemaTypes.Number) != 0))
            {
                expected.Add(name);
            }
        }

        return failure.Set(ViolationKind.Type, $"expected {string.Join(" or ", expected)}, got {actual}");
    }

    private static bool Truncated(ref ValidationFailure failure) =>
        failure.Set(ViolationKind.Syntax, "payload is truncated");

    private static string Shorten(string? name) =>
        name is null ? string.Empty : name.Length <= MaxNameInError ? name : string.Concat(name.AsSpan(0, MaxNameInError), "...");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowNotOnAValue(JsonTokenType tokenType) =>
        throw new ArgumentException($"The reader must be on the payload's first token, not on {tokenType}.", "reader");
}

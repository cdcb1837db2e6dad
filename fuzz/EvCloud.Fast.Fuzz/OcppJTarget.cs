using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Fuzz;

/// <summary>
/// One text message through the OCPP-J envelope reader as the receive loop runs it
/// (<see cref="OcppJFrameReader.TryReadHeader"/>, the payload skipped as the validator would, then
/// <see cref="OcppJFrameReader.TryReadEnd"/>), over one segment, two, and one byte per segment.
/// </summary>
/// <remarks>
/// Input that is not UTF-8 never reaches the reader (the loop closes with 1007 first), so it is skipped here too.
/// Expected: an <see cref="OcppFrameError"/> (answered with a CALLERROR) or a <see cref="JsonException"/> (answered
/// with FormationViolation / RpcFrameworkError). A crash: any other exception, a message id, action or
/// description longer than its buffer, an id or action refused although it fits its limit once unescaped, or the
/// three segmentations reading different envelopes.
/// </remarks>
public sealed class OcppJTarget : IFuzzTarget
{
    private const int MaxBytewise = 4096;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    public string Name => "ocppj";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!Utf8.IsValid(input))
        {
            return;
        }

        string whole = Read(new ReadOnlySequence<byte>(input.ToArray()));
        string split = Read(Segments.Split(input, input.Length / 2));
        if (whole != split)
        {
            throw new FuzzInvariantException($"One segment read {whole}, two segments read {split}");
        }

        if (input.Length <= MaxBytewise)
        {
            string bytewise = Read(Segments.Bytewise(input));
            if (whole != bytewise)
            {
                throw new FuzzInvariantException($"One segment read {whole}, one byte per segment read {bytewise}");
            }
        }
    }

    /// <summary>
    /// A message id or action is rejected only when it is missing, not a string, or longer than its limit once
    /// unescaped: a charger may escape any character (RFC 8259 §7), and the limit is on the id, not its spelling.
    /// </summary>
    private static void CheckRejectedString(ReadOnlySequence<byte> message, OcppFrameError error)
    {
        var reader = new Utf8JsonReader(message, ReaderOptions);
        string value;
        try
        {
            // [type, "id", "action", ...]: the string in question is the second element, or the third.
            int skip = error == OcppFrameError.BadMessageId ? 2 : 3;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return;
            }

            for (int i = 0; i < skip; i++)
            {
                if (!reader.Read() || reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject or JsonTokenType.EndArray)
                {
                    return;
                }
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return;
            }

            value = reader.GetString()!;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return; // not JSON up to there, or an escape that is no UTF-8 (a lone surrogate): rightly refused
        }

        int limit = error == OcppFrameError.BadMessageId ? OcppJFrameReader.MaxMessageIdBytes : OcppJFrameReader.MaxActionBytes;
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        if (length <= limit)
        {
            throw new FuzzInvariantException($"{error} for a string of {length} bytes once unescaped (limit {limit})");
        }
    }

    /// <summary>What the receive loop learns from the message, as text to compare between segmentations.</summary>
    private static string Read(ReadOnlySequence<byte> message)
    {
        var reader = new Utf8JsonReader(message, ReaderOptions);
        byte[] id = new byte[OcppJFrameReader.MaxMessageIdBytes];
        byte[] action = new byte[OcppJFrameReader.MaxActionBytes];
        byte[] description = new byte[256];
        OcppFrameError error;
        string envelope;
        try
        {
            error = OcppJFrameReader.TryReadHeader(ref reader, id, action, description, out OcppFrameHeader header, out ReadOnlySpan<byte> text);
            if (header.MessageId.Length > id.Length || header.Action.Length > action.Length || text.Length > description.Length)
            {
                throw new FuzzInvariantException("A header field is longer than its buffer");
            }

            if (error is OcppFrameError.BadMessageId or OcppFrameError.BadAction)
            {
                CheckRejectedString(message, error);
            }

            envelope = $"{error} {header.Type} id={Convert.ToHexString(header.MessageId)} action={Convert.ToHexString(header.Action)} description={Convert.ToHexString(text)}";
        }
        catch (JsonException)
        {
            return "JsonException in the envelope";
        }

        if (error != OcppFrameError.None)
        {
            return envelope;
        }

        try
        {
            reader.Skip();
            return envelope + " end=" + OcppJFrameReader.TryReadEnd(ref reader);
        }
        catch (JsonException)
        {
            return envelope + " JsonException in the payload";
        }
    }
}

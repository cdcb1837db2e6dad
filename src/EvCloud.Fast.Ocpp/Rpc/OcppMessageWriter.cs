using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>
/// Builds one OCPP-J message with a <see cref="Utf8JsonWriter"/> into a per-thread buffer, then frames it
/// into a connection's <see cref="PipeWriter"/>. Per-thread, not per-connection: 4 KB × 20k idle chargers
/// would be 80 MB; a thread builds one message at a time and never awaits in between.
/// </summary>
public sealed class OcppMessageWriter
{
    [ThreadStatic]
    private static OcppMessageWriter? t_current;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // OCPP payloads are read by firmware, not browsers: no HTML escaping of '+', '<', '&'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    private OcppMessageWriter()
    {
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>The JSON writer of the message being built.</summary>
    public Utf8JsonWriter Json => _json;

    /// <summary>The calling thread's writer, reset and ready for a new message.</summary>
    public static OcppMessageWriter Rent()
    {
        OcppMessageWriter writer = t_current ??= new OcppMessageWriter();
        writer.Reset();
        return writer;
    }

    /// <summary>Discards what was written.</summary>
    public void Reset()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
    }

    // OCPP-J CALLRESULT: [3,"<messageId>",{...}]
    /// <summary>Starts a CALLRESULT; the caller writes the payload object and then calls <see cref="EndMessage"/>.</summary>
    public void StartCallResult(ReadOnlySpan<byte> messageId)
    {
        _json.WriteStartArray();
        _json.WriteNumberValue(3);
        _json.WriteStringValue(messageId);
    }

    // OCPP-J CALL: [2,"<messageId>","<Action>",{...}]
    /// <summary>Writes a complete CALL whose payload is already serialized JSON.</summary>
    public void WriteCall(ReadOnlySpan<byte> messageId, string action, ReadOnlySpan<byte> payloadJson)
    {
        _json.WriteStartArray();
        _json.WriteNumberValue(2);
        _json.WriteStringValue(messageId);
        _json.WriteStringValue(action);
        _json.WriteRawValue(payloadJson, skipInputValidation: true);
        _json.WriteEndArray();
    }

    // OCPP-J CALLERROR: [4,"<messageId>","<errorCode>","<errorDescription>",{<errorDetails>}]
    /// <summary>Writes a complete CALLERROR with empty error details.</summary>
    public void WriteCallError(ReadOnlySpan<byte> messageId, OcppErrorCode code, OcppVersion version, string? description) =>
        WriteError(OcppMessageType.CallError, messageId, code, version, description);

    // OCPP 2.1 CALLRESULTERROR: [5,"<messageId>","<errorCode>","<errorDescription>",{<errorDetails>}]
    /// <summary>Writes a complete 2.1 CALLRESULTERROR: the answer to a CALLRESULT that could not be used.</summary>
    public void WriteCallResultError(ReadOnlySpan<byte> messageId, OcppErrorCode code, string? description) =>
        WriteError(OcppMessageType.CallResultError, messageId, code, OcppVersion.Ocpp21, description);

    private void WriteError(OcppMessageType type, ReadOnlySpan<byte> messageId, OcppErrorCode code, OcppVersion version, string? description)
    {
        Reset();
        _json.WriteStartArray();
        _json.WriteNumberValue((int)type);
        _json.WriteStringValue(messageId);
        _json.WriteStringValue(OcppErrorCodes.Utf8(code, version));
        _json.WriteStringValue(description is { Length: > 255 } ? description[..255] : description ?? "");
        _json.WriteStartObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
    }

    /// <summary>Closes the message's array.</summary>
    public void EndMessage() => _json.WriteEndArray();

    /// <summary>The message built so far, as UTF-8 JSON.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            _json.Flush();
            return _buffer.WrittenSpan;
        }
    }

    /// <summary>Frames the message as one WebSocket text frame into <paramref name="output"/> (no flush).</summary>
    public void CopyFramedTo(IBufferWriter<byte> output) =>
        WebSocketFrameWriter.WriteServerFrame(output, WebSocketOpcode.Text, WrittenSpan);
}

using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// What a connection hands complete OCPP-J messages to: schema validation and the per-version handlers.
/// The connection owns framing, correlation and the socket; the dispatcher owns meaning.
/// </summary>
public interface IOcppDispatcher
{
    /// <summary>A charger completed the WebSocket handshake and is registered.</summary>
    void OnConnected(OcppConnection connection);

    /// <summary>The connection ended (<paramref name="closeCode"/> 0 when the socket just dropped).</summary>
    void OnDisconnected(OcppConnection connection, ushort closeCode);

    /// <summary>
    /// Handles a CALL or SEND. <paramref name="payload"/> is on the payload's <c>StartObject</c>. For a CALL,
    /// writes exactly one complete reply (CALLRESULT or CALLERROR) with <paramref name="writer"/>.
    /// Returns the event-log address the reply must not be sent before (0 when nothing waits).
    /// <paramref name="message"/> is the whole message, for handlers that keep raw parts of the payload.
    /// </summary>
    long OnCall(OcppConnection connection, scoped in OcppFrameHeader header, ref Utf8JsonReader payload, in ReadOnlySequence<byte> message, OcppMessageWriter writer);

    /// <summary>
    /// Validates a CALLRESULT payload for a server CALL of <paramref name="action"/>; <paramref name="payload"/>
    /// is on its <c>StartObject</c> and is left on its <c>EndObject</c>.
    /// </summary>
    bool ValidateResponse(OcppConnection connection, string action, ref Utf8JsonReader payload, out string? error);

    /// <summary>Validates an outgoing CALL payload for the charger's version; false with a reason when it must not be sent.</summary>
    bool ValidateRequest(OcppConnection connection, string action, ReadOnlySpan<byte> payloadJson, out OcppErrorCode code, out string? error);

    /// <summary>Completes once everything up to <paramref name="address"/> is durable.</summary>
    ValueTask WaitDurableAsync(OcppConnection connection, long address);
}

using System.Text.Json.Serialization.Metadata;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Receives every action of a version with the typed serialization metadata of its payloads (the generated
/// <c>V16Actions.Accept</c>, <c>V201Actions.Accept</c>, <c>V21Actions.Accept</c>), so generic code (an API endpoint per
/// action, a typed call) binds to each action's records without reflection and stays trimming- and AOT-safe.
/// </summary>
public interface IOcppActionVisitor
{
    /// <summary>A CALL and its CALLRESULT.</summary>
    void Visit<TRequest, TResponse>(OcppVersion version, string action, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response);

    /// <summary>A SEND message, which has no response (2.1 <c>NotifyPeriodicEventStream</c>).</summary>
    void VisitSend<TRequest>(OcppVersion version, string action, JsonTypeInfo<TRequest> request);
}

namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>How a server-initiated CALL ended.</summary>
public enum OcppCallStatus : byte
{
    /// <summary>The charger answered with a schema-valid CALLRESULT.</summary>
    Completed,
    /// <summary>The charger answered with a CALLERROR.</summary>
    CallError,
    /// <summary>The charger answered with a CALLRESULT that violates the response schema.</summary>
    InvalidResponse,
    /// <summary>No answer within the call timeout.</summary>
    Timeout,
    /// <summary>The charger is not connected, or disconnected before answering.</summary>
    Offline,
    /// <summary>The request was refused before sending: unknown action for the charger's version, schema violation, or queue full.</summary>
    Rejected,
}

/// <summary>The outcome of a server-initiated CALL.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Payload">The CALLRESULT payload (UTF-8 JSON) when completed or invalid.</param>
/// <param name="ErrorCode">The CALLERROR code, or the reason code of a rejection.</param>
/// <param name="ErrorDescription">A human-readable description of the error.</param>
public sealed record OcppCallResult(OcppCallStatus Status, byte[]? Payload = null, string? ErrorCode = null, string? ErrorDescription = null);

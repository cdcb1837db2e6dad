using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// A payload that passed the schema but cannot be used (e.g. an integer beyond 32 bits); answered with
/// <see cref="Code"/> instead of InternalError. Error path only.
/// </summary>
public sealed class OcppPayloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OcppPayloadException(OcppErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>The CALLERROR code to answer with.</summary>
    public OcppErrorCode Code { get; }
}

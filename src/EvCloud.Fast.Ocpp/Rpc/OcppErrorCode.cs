namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>
/// CALLERROR error codes (OCPP-J 1.6 §4.2.3; OCPP 2.0.1/2.1 Part 4 §4.3). The same meaning is spelled
/// differently per version: use <see cref="OcppErrorCodes.Utf8(OcppErrorCode, OcppVersion)"/> on the wire.
/// </summary>
public enum OcppErrorCode : byte
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Requested Action is not known by receiver.</summary>
    NotImplemented,
    /// <summary>Requested Action is recognized but not supported by the receiver.</summary>
    NotSupported,
    /// <summary>An internal error occurred and the receiver was not able to process the requested Action.</summary>
    InternalError,
    /// <summary>Payload for Action is incomplete.</summary>
    ProtocolError,
    /// <summary>During the processing of Action a security issue occurred.</summary>
    SecurityError,
    /// <summary>Payload is syntactically incorrect or does not conform to the PDU structure (1.6 <c>FormationViolation</c>, 2.x <c>FormatViolation</c>).</summary>
    FormatViolation,
    /// <summary>Payload is syntactically correct but at least one field contains an invalid value.</summary>
    PropertyConstraintViolation,
    /// <summary>At least one field violates occurrence constraints (1.6 spells it <c>OccurenceConstraintViolation</c>).</summary>
    OccurrenceConstraintViolation,
    /// <summary>At least one field violates data type constraints (e.g. <c>"somestring": 12</c>).</summary>
    TypeConstraintViolation,
    /// <summary>Any other error not covered by the previous ones.</summary>
    GenericError,
    /// <summary>2.x only: a message with a MessageTypeNumber the receiver does not support.</summary>
    MessageTypeNotSupported,
    /// <summary>2.x only: content of the call is not a valid RPC request (e.g. MessageId could not be read).</summary>
    RpcFrameworkError,
}

/// <summary>Wire spellings of <see cref="OcppErrorCode"/>.</summary>
public static class OcppErrorCodes
{
    /// <summary>The error code as written in a CALLERROR for <paramref name="version"/>, as UTF-8.</summary>
    /// <remarks>1.6 has no MessageTypeNotSupported / RpcFrameworkError; they map to its nearest code.</remarks>
    public static ReadOnlySpan<byte> Utf8(OcppErrorCode code, OcppVersion version) => version == OcppVersion.Ocpp16
        ? code switch
        {
            OcppErrorCode.NotImplemented => "NotImplemented"u8,
            OcppErrorCode.NotSupported => "NotSupported"u8,
            OcppErrorCode.InternalError => "InternalError"u8,
            OcppErrorCode.ProtocolError => "ProtocolError"u8,
            OcppErrorCode.SecurityError => "SecurityError"u8,
            OcppErrorCode.FormatViolation => "FormationViolation"u8,
            OcppErrorCode.PropertyConstraintViolation => "PropertyConstraintViolation"u8,
            OcppErrorCode.OccurrenceConstraintViolation => "OccurenceConstraintViolation"u8,
            OcppErrorCode.TypeConstraintViolation => "TypeConstraintViolation"u8,
            OcppErrorCode.MessageTypeNotSupported => "NotSupported"u8,
            OcppErrorCode.RpcFrameworkError => "ProtocolError"u8,
            _ => "GenericError"u8,
        }
        : code switch
        {
            OcppErrorCode.NotImplemented => "NotImplemented"u8,
            OcppErrorCode.NotSupported => "NotSupported"u8,
            OcppErrorCode.InternalError => "InternalError"u8,
            OcppErrorCode.ProtocolError => "ProtocolError"u8,
            OcppErrorCode.SecurityError => "SecurityError"u8,
            OcppErrorCode.FormatViolation => "FormatViolation"u8,
            OcppErrorCode.PropertyConstraintViolation => "PropertyConstraintViolation"u8,
            OcppErrorCode.OccurrenceConstraintViolation => "OccurrenceConstraintViolation"u8,
            OcppErrorCode.TypeConstraintViolation => "TypeConstraintViolation"u8,
            OcppErrorCode.MessageTypeNotSupported => "MessageTypeNotSupported"u8,
            OcppErrorCode.RpcFrameworkError => "RpcFrameworkError"u8,
            _ => "GenericError"u8,
        };
}

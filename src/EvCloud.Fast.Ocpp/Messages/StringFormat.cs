namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>The <c>format</c> values that occur in the OCPP schemas; any other value fails the schema load.</summary>
internal enum StringFormat : byte
{
    None = 0,

    /// <summary>RFC 3339 §5.6 <c>date-time</c> (142 uses: every OCPP timestamp).</summary>
    DateTime,

    /// <summary>RFC 3986 absolute URI (1.6 <c>GetDiagnostics.location</c> and <c>UpdateFirmware.location</c>).</summary>
    Uri,
}

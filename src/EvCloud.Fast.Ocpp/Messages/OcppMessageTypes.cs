using System.Text.Json.Serialization.Metadata;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// One OCPP action with the source-generated serialization metadata of its payload records (for example
/// <c>Generated.V201.V201Actions.All</c>): what a caller needs to write a request or read a response without naming the
/// types, and what an API needs to describe them.
/// </summary>
/// <param name="Version">The protocol version.</param>
/// <param name="Action">The action name as on the wire (<c>RemoteStartTransaction</c>).</param>
/// <param name="Request">The CALL (or SEND) payload.</param>
/// <param name="Response">The CALLRESULT payload; null for a SEND message (2.1 <c>NotifyPeriodicEventStream</c>).</param>
public sealed record OcppMessageTypes(OcppVersion Version, string Action, JsonTypeInfo Request, JsonTypeInfo? Response);

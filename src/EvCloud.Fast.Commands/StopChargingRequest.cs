
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "stop charging". OCPP 1.6 §5.12 RemoteStopTransaction; 2.0.1 / 2.1 use case F03 RequestStopTransaction.
/// </summary>
public sealed record StopChargingRequest
{
    /// <summary>
    /// The charger's own transaction id, resolved by the caller: a 1.6 charger numbers transactions with the integer
    /// the central system returned in <c>StartTransaction.conf</c>, so it must parse as a 32-bit integer there; a 2.x
    /// station names them with a string of at most 36 characters (<c>TransactionEvent.transactionInfo.transactionId</c>).
    /// </summary>
    public string? TransactionId { get; init; }
}

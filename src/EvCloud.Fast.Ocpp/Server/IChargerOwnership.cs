namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// Ownership of charge point ids across the gateways of a cluster. The connection handler calls it once per accepted
/// connection, after the handshake and before the charger is served, and once when the connection ends; the owner
/// closes a connection whose id another gateway took with <see cref="OcppConnection.Relinquish"/>. Absent in a single
/// process: the handler then checks one null field per connection and nothing else changes.
/// </summary>
public interface IChargerOwnership
{
    /// <summary>
    /// Claims <paramref name="connection"/>'s charge point id for this gateway. Completes when the claim is decided or
    /// has taken too long (the charger is then served while the claim goes on); never throws for an unreachable
    /// cluster, since a gateway keeps serving its chargers meanwhile.
    /// </summary>
    ValueTask ClaimAsync(OcppConnection connection);

    /// <summary>The connection's receive loop ended.</summary>
    void Released(OcppConnection connection);
}

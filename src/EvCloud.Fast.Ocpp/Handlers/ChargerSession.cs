using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage.Log;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>The dispatcher's per-connection state (kept in <see cref="OcppConnection.HandlerState"/>).</summary>
public sealed class ChargerSession
{
    internal ChargerSession(OcppConnection connection, DurabilityWaiter waiter, RegistrationStatus registration)
    {
        Connection = connection;
        Waiter = waiter;
        Registration = registration;
    }

    /// <summary>The connection.</summary>
    public OcppConnection Connection { get; }

    /// <summary>The charge point id as UTF-8.</summary>
    public ReadOnlySpan<byte> ChargerId => Connection.ChargePointIdUtf8;

    /// <summary>Waits for this connection's money-relevant events to be durable; one wait at a time.</summary>
    internal DurabilityWaiter Waiter { get; }

    /// <summary>The registration status from the last BootNotification (or from state, after a reconnect).</summary>
    public RegistrationStatus Registration { get; internal set; }
}

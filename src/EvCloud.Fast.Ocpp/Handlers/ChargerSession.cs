using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage.Log;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>The dispatcher's per-connection state (kept in <see cref="OcppConnection.HandlerState"/>).</summary>
public sealed class ChargerSession
{
    private readonly EventLog _log;
    private DurabilityWaiter? _waiter;

    internal ChargerSession(OcppConnection connection, EventLog log, RegistrationStatus registration)
    {
        Connection = connection;
        _log = log;
        Registration = registration;
    }

    /// <summary>The connection.</summary>
    public OcppConnection Connection { get; }

    /// <summary>The charge point id as UTF-8.</summary>
    public ReadOnlySpan<byte> ChargerId => Connection.ChargePointIdUtf8;

    /// <summary>
    /// Waits for this connection's money-relevant events to be durable; one wait at a time. Created on first use:
    /// a charger that never transacts on this connection never pays for it (~100 B × 20k idle chargers).
    /// </summary>
    internal DurabilityWaiter Waiter => _waiter ??= new DurabilityWaiter(_log);

    /// <summary>The registration status from the last BootNotification (or from state, after a reconnect).</summary>
    public RegistrationStatus Registration { get; internal set; }
}

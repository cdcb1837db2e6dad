using EvCloud.Fast.Ocpp.Handlers;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// OCPP connector status → OCPI EVSE Status (OCPI 2.2.1 §8.4.22). The table:
/// <list type="table">
/// <item><term>Available</term><description>AVAILABLE</description></item>
/// <item><term>Preparing, Charging, SuspendedEV, SuspendedEVSE, Finishing (1.6), Occupied (2.x)</term><description>CHARGING — "the EVSE is in use": a driver is plugged in or a session runs, so it cannot be offered to another driver.</description></item>
/// <item><term>Reserved</term><description>RESERVED</description></item>
/// <item><term>Unavailable</term><description>INOPERATIVE — taken out of service on purpose (ChangeAvailability), "temporarily unavailable".</description></item>
/// <item><term>Faulted</term><description>OUTOFORDER — broken, "currently out of order".</description></item>
/// <item><term>never reported, or the charger is offline</term><description>UNKNOWN — "no status information available (also used when offline)".</description></item>
/// </list>
/// </summary>
public static class EvseStatusMapping
{
    /// <summary>The OCPI status of an EVSE whose OCPP connector reports <paramref name="status"/>.</summary>
    public static string Map(ConnectorStatus status, bool chargerOnline)
    {
        if (!chargerOnline)
        {
            return "UNKNOWN";
        }

        return status switch
        {
            ConnectorStatus.Available => "AVAILABLE",
            ConnectorStatus.Preparing or ConnectorStatus.Charging or ConnectorStatus.SuspendedEV or ConnectorStatus.SuspendedEVSE
                or ConnectorStatus.Finishing or ConnectorStatus.Occupied => "CHARGING",
            ConnectorStatus.Reserved => "RESERVED",
            ConnectorStatus.Unavailable => "INOPERATIVE",
            ConnectorStatus.Faulted => "OUTOFORDER",
            _ => "UNKNOWN",
        };
    }
}

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>How BootNotification answers (configuration section <c>Ocpp:Chargers</c>).</summary>
public enum BootPolicy
{
    /// <summary>Every charger is Accepted and registered on its first boot.</summary>
    AutoAccept,
    /// <summary>Chargers in <see cref="ChargerOptions.Known"/> (or registered through the API) are Accepted; others are Rejected.</summary>
    KnownOnly,
    /// <summary>Known chargers are Accepted; others are answered Pending until an operator registers them.</summary>
    PendingUnknown,
}

/// <summary>Charger registration and boot behaviour.</summary>
public sealed class ChargerOptions
{
    /// <summary>What BootNotification answers for chargers that are not known.</summary>
    public BootPolicy BootPolicy { get; set; } = BootPolicy.AutoAccept;

    /// <summary>Charge point ids registered by configuration.</summary>
    public List<string> Known { get; set; } = [];

    /// <summary>Heartbeat interval handed to Accepted chargers.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retry interval handed to Pending and Rejected chargers (when they should boot again).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}

namespace EvCloud.Fast.Cluster.Forwarding;

/// <summary>The headers of every event a gateway forwards to the event stream (the body is the log entry, unchanged).</summary>
public static class ClusterHeaders
{
    /// <summary>The gateway that recorded the event.</summary>
    public const string Node = "EvCloud-Node";

    /// <summary>The charger's ownership epoch at that gateway (see <see cref="Ownership.Fence"/>).</summary>
    public const string Epoch = "EvCloud-Epoch";

    /// <summary>The charge point id the event belongs to.</summary>
    public const string Charger = "EvCloud-Charger";

    /// <summary>The entry's address in the gateway's event log.</summary>
    public const string Address = "EvCloud-Log-Address";
}

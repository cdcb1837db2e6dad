namespace EvCloud.Fast.Cluster.Ownership;

/// <summary>How an event's epoch compares with the newest epoch known for its charger.</summary>
public enum FenceVerdict
{
    /// <summary>The event comes from the charger's current owner (or the first owner seen).</summary>
    Current,

    /// <summary>A newer owner has taken the charger over: the event comes from a superseded connection.</summary>
    Stale,
}

/// <summary>
/// The fencing rule consumers of the event stream apply: per charger, the highest epoch seen in stream order is the
/// current one; an event stamped with a lower epoch comes from a gateway that has since lost the charger (it learns so
/// only through the directory watch, so it may still have forwarded a few events). Epoch 0 means "never owned" and is
/// stale as soon as any owner is known.
/// </summary>
/// <remarks>
/// One instance per consumer, fed in stream order; not thread-safe. Memory: one entry per charger seen (~100 B).
/// </remarks>
public sealed class Fence
{
    private readonly Dictionary<string, long> _current = new(StringComparer.Ordinal);

    /// <summary>The verdict for an event's <paramref name="epoch"/> when the charger's newest is <paramref name="currentEpoch"/>.</summary>
    public static FenceVerdict Compare(long epoch, long currentEpoch) => epoch < currentEpoch ? FenceVerdict.Stale : FenceVerdict.Current;

    /// <summary>Judges an event and, when it is current, raises the charger's epoch to it.</summary>
    public FenceVerdict Check(string chargePointId, long epoch)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        ref long current = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_current, chargePointId, out bool exists);
        if (exists && epoch < current)
        {
            return FenceVerdict.Stale;
        }

        current = epoch;
        return FenceVerdict.Current;
    }

    /// <summary>The newest epoch seen for a charger (0 when none).</summary>
    public long CurrentEpoch(string chargePointId) => _current.GetValueOrDefault(chargePointId);
}

using EvCloud.Fast.Cdr.Sessions;
using MessagePack;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>
/// A stop that could not become a CDR, as the pipeline stored it (document collection
/// <see cref="CdrPipeline.UnbillableCollection"/>): every stop ends as exactly one CDR or exactly one of these.
/// </summary>
[MessagePackObject]
public sealed class UnbillableTransaction
{
    /// <summary>The charger that sent the stop.</summary>
    [Key(0)]
    public string ChargerId { get; set; } = "";

    /// <summary>The transaction id the stop named.</summary>
    [Key(1)]
    public int TransactionId { get; set; }

    /// <summary>Why no CDR could be made (<see cref="UnbillableReason"/>).</summary>
    [Key(2)]
    public UnbillableReason Reason { get; set; }

    /// <summary>The stop time the charger reported (Unix ms).</summary>
    [Key(3)]
    public long StopMs { get; set; }

    /// <summary>The register at the stop, in mWh.</summary>
    [Key(4)]
    public long MeterStopMilliWh { get; set; }

    /// <summary>The stop's token, if any.</summary>
    [Key(5)]
    public string? IdTag { get; set; }

    /// <summary>The charger's stop reason.</summary>
    [Key(6)]
    public string? StopReason { get; set; }

    /// <summary>Log address of the stop event: the record's identity.</summary>
    [Key(7)]
    public long Address { get; set; }

    /// <summary>When the server received the stop (Unix ms).</summary>
    [Key(8)]
    public long ReceivedMs { get; set; }

    /// <summary>The stored form of a stop the tracker reported.</summary>
    public static UnbillableTransaction From(UnbillableStop stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return new UnbillableTransaction
        {
            ChargerId = stop.ChargerId,
            TransactionId = stop.TransactionId,
            Reason = stop.Reason,
            StopMs = stop.StopMs,
            MeterStopMilliWh = stop.MeterStopMilliWh,
            IdTag = stop.IdTag,
            StopReason = stop.StopReason,
            Address = stop.Address,
            ReceivedMs = stop.ReceivedMs,
        };
    }
}

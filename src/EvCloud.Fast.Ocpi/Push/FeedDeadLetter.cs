using MessagePack;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>
/// A log event the <see cref="RoamingFeed"/> could not hand to the push outbox (collection <c>ocpi-feed-dead</c>,
/// key: the zero-padded log address): a copy of the event, where it was and why it failed. MessagePack; keys are
/// never renumbered.
/// </summary>
[MessagePackObject]
public sealed class FeedDeadLetter
{
    /// <summary>Log address of the event (retrying reads it from there).</summary>
    [Key(0)]
    public long Address { get; set; }

    /// <summary>The event kind (DomainEventKind name).</summary>
    [Key(1)]
    public string Kind { get; set; } = "";

    /// <summary>The charger the event came from (or the collection of a document event).</summary>
    [Key(2)]
    public string ChargerId { get; set; } = "";

    /// <summary>The transaction, for transaction and CDR events (0 otherwise).</summary>
    [Key(3)]
    public int TransactionId { get; set; }

    /// <summary>The CDR id, for CDR events.</summary>
    [Key(4)]
    public string? CdrId { get; set; }

    /// <summary>The last attempt's error.</summary>
    [Key(5)]
    public string Reason { get; set; } = "";

    /// <summary>Attempts so far.</summary>
    [Key(6)]
    public int Attempts { get; set; }

    /// <summary>When it was dead-lettered (Unix ms).</summary>
    [Key(7)]
    public long DeadMs { get; set; }

    /// <summary>When it was last tried (Unix ms).</summary>
    [Key(8)]
    public long LastAttemptMs { get; set; }

    /// <summary>The encoded event, as it was in the log (a retry decodes this copy: the log may be truncated by then).</summary>
    [Key(9)]
    public byte[] Event { get; set; } = [];

    /// <summary>The document key: the address, zero-padded so keys sort in log order.</summary>
    [IgnoreMember]
    public string Key => DocumentKey(Address);

    /// <summary>The document key of an address.</summary>
    public static string DocumentKey(long address) => address.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}

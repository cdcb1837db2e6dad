using MessagePack;

namespace EvCloud.Fast.Commands.Outbox;

/// <summary>Where a queued command is in its life.</summary>
public enum QueuedCommandState : byte
{
    /// <summary>Waiting for its charger to be connected and accepted.</summary>
    Queued = 0,

    /// <summary>Sent; waiting for the charger's answer. A restart in this state makes it <see cref="Interrupted"/>.</summary>
    Sending = 1,

    /// <summary>The charger answered (whatever its status field says).</summary>
    Completed = 2,

    /// <summary>The charger answered with a CALLERROR or an unusable answer, did not answer in time, or the command was refused.</summary>
    Failed = 3,

    /// <summary>Its time to live ran out before the charger was reachable; never sent.</summary>
    Expired = 4,

    /// <summary>Sent, but the connection or the server went away before the answer: delivered at most once, so not resent.</summary>
    Interrupted = 5,

    /// <summary>Cancelled by an application before it was sent.</summary>
    Cancelled = 6,
}

/// <summary>A command in a charger's durable outbox (document collection <c>command-outbox</c>, MessagePack).</summary>
[MessagePackObject]
public sealed class QueuedCommand
{
    /// <summary>The command id, as in the audit trail and the <c>command.completed</c> event.</summary>
    [Key(0)]
    public string Id { get; set; } = "";

    /// <summary>The charger it is for.</summary>
    [Key(1)]
    public string ChargerId { get; set; } = "";

    /// <summary>The OCPP action of the charger's version.</summary>
    [Key(2)]
    public string Action { get; set; } = "";

    /// <summary>The OCPP payload, UTF-8 JSON.</summary>
    [Key(3)]
    public byte[] Payload { get; set; } = [];

    /// <summary>Order within the outbox; commands of one charger are sent in this order.</summary>
    [Key(4)]
    public long Sequence { get; set; }

    /// <summary>When it was queued, Unix milliseconds.</summary>
    [Key(5)]
    public long CreatedUnixMs { get; set; }

    /// <summary>When it expires unsent, Unix milliseconds.</summary>
    [Key(6)]
    public long ExpiresUnixMs { get; set; }

    /// <summary>Where it is in its life.</summary>
    [Key(7)]
    public QueuedCommandState State { get; set; }

    /// <summary>The gateway's outcome (Completed, CallError, InvalidResponse, Timeout, Offline, Rejected, Expired…).</summary>
    [Key(8)]
    public string? Outcome { get; set; }

    /// <summary>The charger's answer, UTF-8 JSON.</summary>
    [Key(9)]
    public byte[]? Response { get; set; }

    /// <summary>The CALLERROR code, when the charger answered with one.</summary>
    [Key(10)]
    public string? ErrorCode { get; set; }

    /// <summary>The CALLERROR description, or why the command failed without an answer.</summary>
    [Key(11)]
    public string? ErrorDescription { get; set; }

    /// <summary>When it reached its final state, Unix milliseconds; 0 while pending or in flight.</summary>
    [Key(12)]
    public long FinishedUnixMs { get; set; }

    /// <summary>Who queued it (API key name).</summary>
    [Key(13)]
    public string Source { get; set; } = "";

    /// <summary>The version-neutral operation that built it (start, reset…), or null for a raw OCPP action.</summary>
    [Key(14)]
    public string? Operation { get; set; }

    /// <summary>When it was sent, Unix milliseconds; 0 until then.</summary>
    [Key(15)]
    public long SentUnixMs { get; set; }

    /// <summary>Whether the command still waits to be sent.</summary>
    [IgnoreMember]
    public bool IsPending => State == QueuedCommandState.Queued;

    /// <summary>Whether it has reached a final state.</summary>
    [IgnoreMember]
    public bool IsFinished => State is not (QueuedCommandState.Queued or QueuedCommandState.Sending);

    /// <summary>A copy, so readers never see a command being changed.</summary>
    public QueuedCommand Clone() => (QueuedCommand)MemberwiseClone();
}

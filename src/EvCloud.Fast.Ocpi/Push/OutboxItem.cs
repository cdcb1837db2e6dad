using MessagePack;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>
/// One request waiting in a partner's push queue (collection <c>ocpi-outbox</c>, key <c>{partnerId}/{seq}</c>), or a
/// dead letter (collection <c>ocpi-outbox-dead</c>, same key). MessagePack; keys are never renumbered.
/// </summary>
/// <remarks>
/// The URL is kept relative to the partner's module endpoint (<see cref="Module"/> + <see cref="Path"/>) and resolved
/// when sent, so a credentials update that moves the partner's endpoints (OCPI 2.2.1 §7.2.2) does not strand queued
/// requests at the old address.
/// </remarks>
[MessagePackObject]
public sealed class OutboxItem
{
    /// <summary>Position in the partner's queue (global, increasing).</summary>
    [Key(0)]
    public long Seq { get; set; }

    /// <summary>The partner it goes to.</summary>
    [Key(1)]
    public string PartnerId { get; set; } = "";

    /// <summary>ModuleID of the partner's receiver interface (sessions, cdrs, tariffs, tokens).</summary>
    [Key(2)]
    public string Module { get; set; } = "";

    /// <summary>PUT, PATCH, POST or DELETE.</summary>
    [Key(3)]
    public string Method { get; set; } = "";

    /// <summary>Appended to the module endpoint URL, e.g. <c>/NL/CPO/1234</c> (may carry a query).</summary>
    [Key(4)]
    public string Path { get; set; } = "";

    /// <summary>The JSON body (none for DELETE).</summary>
    [Key(5)]
    public byte[]? Body { get; set; }

    /// <summary>
    /// The object this request changes (e.g. <c>sessions/NL/CPO/1234</c>): a newer request for the same object
    /// replaces a queued older one. Null for requests that must all be sent, in order (CDR POSTs, §10.2.2).
    /// </summary>
    [Key(6)]
    public string? ObjectKey { get; set; }

    /// <summary>The object's last_updated (Unix ms): an update older than the queued one is dropped.</summary>
    [Key(7)]
    public long LastUpdatedMs { get; set; }

    /// <summary>Delivery attempts so far.</summary>
    [Key(8)]
    public int Attempts { get; set; }

    /// <summary>Not before this (Unix ms): the backoff after a failure.</summary>
    [Key(9)]
    public long NextAttemptMs { get; set; }

    /// <summary>When it was queued (Unix ms).</summary>
    [Key(10)]
    public long CreatedMs { get; set; }

    /// <summary>The last failure (HTTP / OCPI status and message).</summary>
    [Key(11)]
    public string? LastError { get; set; }

    /// <summary>Why it was given up (dead letters only).</summary>
    [Key(12)]
    public string? DeadReason { get; set; }

    /// <summary>When it was given up (Unix ms, dead letters only).</summary>
    [Key(13)]
    public long DeadMs { get; set; }

    /// <summary>The document key: partner id, then the zero-padded sequence so keys sort in queue order.</summary>
    [IgnoreMember]
    public string Key => DocumentKey(PartnerId, Seq);

    /// <summary>The document key of an item.</summary>
    public static string DocumentKey(string partnerId, long seq) => partnerId + "/" + seq.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}

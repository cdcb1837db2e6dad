using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Storage;
using MessagePack;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>How a queued request ended, or that it has not yet.</summary>
public enum DeliveryState
{
    /// <summary>Still queued (being retried).</summary>
    Pending,

    /// <summary>The partner answered 2xx with a 1xxx status.</summary>
    Delivered,

    /// <summary>Given up: moved to the dead letters.</summary>
    Dead,
}

/// <summary>
/// The durable push outbox: one ordered queue per partner of requests that send our objects to its receiver
/// interfaces (OCPI 2.2.1 §4.1.8 "Client Owned Object Push" — Sessions, CDRs, Tariffs, Tokens), drained by one
/// background sender with retries.
/// </summary>
/// <remarks>
/// <para>Durable: a request is a document before <see cref="EnqueueAsync"/> returns and is deleted once the partner
/// accepted it, so a crash re-sends at most the request that was in flight (receivers are idempotent: PUT and PATCH
/// by object id, CDR POST by CDR id).</para>
/// <para>Outcome by answer: HTTP 2xx with status 1xxx is delivered; a 2xxx status is the partner refusing the object
/// itself (§5 "client errors"), which no retry changes, so it becomes a dead letter with the reason, visible and
/// re-queueable through <c>/api/v1/ocpi/outbox/dead-letters</c>; 3xxx, HTTP 5xx, no answer or a timeout are retried
/// with exponential backoff (<see cref="PushOptions"/>). HTTP 401 is retried too: it refuses our token, not the
/// object, and is what a partner answers while it has not yet stored the token of a handshake that is still in flight
/// (§7.2.2: it registers us only once our answer to its POST arrives, but we may push as soon as we have answered).</para>
/// <para>Order: a partner's queue is sent strictly in order, one request at a time, so CDRs arrive in the order they
/// were written and a session's PUT precedes its PATCHes. Coalescing: a newer PUT/PATCH/DELETE of an object replaces
/// its queued older request in place (a PATCH merged into a queued PUT stays a PUT); an update whose last_updated is
/// older than the queued one is dropped. Requests without an object key (CDR POSTs) are never merged or reordered.</para>
/// </remarks>
public sealed partial class PushOutbox : BackgroundService
{
    /// <summary>Queued requests.</summary>
    public const string Collection = "ocpi-outbox";

    /// <summary>Requests given up.</summary>
    public const string DeadCollection = "ocpi-outbox-dead";

    private readonly StorageEngine _storage;
    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly PushOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PushOutbox> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<long, OutboxItem>> _queues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PartnerId, long Seq), TaskCompletionSource<DeliveryState>> _waiters = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly EvCloud.Fast.Ocpp.Diagnostics.LogRateLimiter _failureLines;
    private long _seq;

    /// <summary>Loads the queued requests.</summary>
    public PushOutbox(
        StorageEngine storage, PartnerRegistry partners, OcpiClient client, OcpiOptions options, TimeProvider time, ILogger<PushOutbox> logger,
        EvCloud.Fast.Ocpp.Diagnostics.LogRateLimitOptions? logLimits = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(partners);
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _partners = partners;
        _client = client;
        _options = options.Push;
        _time = time;
        _logger = logger;
        // A partner that is down fails every queued push each retry round: thousands of lines an hour per partner.
        _failureLines = (logLimits ?? new EvCloud.Fast.Ocpp.Diagnostics.LogRateLimitOptions()).Create(logger, "OCPI push failed", time);
        foreach ((string _, byte[] value) in storage.Documents.List(Collection).Concat(storage.Documents.List(DeadCollection)))
        {
            OutboxItem item = MessagePackSerializer.Deserialize<OutboxItem>(value);
            _seq = Math.Max(_seq, item.Seq);
        }

        foreach ((string _, byte[] value) in storage.Documents.List(Collection))
        {
            OutboxItem item = MessagePackSerializer.Deserialize<OutboxItem>(value);
            Queue(item.PartnerId).Add(item.Seq, item);
        }

        foreach (IGrouping<string, OutboxItem> dead in storage.Documents.List(DeadCollection).Select(d => MessagePackSerializer.Deserialize<OutboxItem>(d.Value)).GroupBy(i => i.PartnerId))
        {
            OcpiMetrics.PushDeadLetters.Add(dead.Count(), OcpiMetrics.Partner(dead.Key));
        }

        partners.Removed += id => _ = DropPartnerAsync(id);
    }

    /// <summary>Requests queued, per partner.</summary>
    public IReadOnlyList<OutboxItem> Pending(string? partnerId = null)
    {
        lock (_lock)
        {
            return [.. _queues.Where(q => partnerId is null || q.Key == partnerId).SelectMany(q => q.Value.Values).OrderBy(i => i.PartnerId, StringComparer.Ordinal).ThenBy(i => i.Seq)];
        }
    }

    /// <summary>
    /// Per partner with queued requests: how many, and when the oldest was queued (Unix ms). Counts and a scan of the
    /// queued items in memory, no storage read: the outbox gauges call it at every scrape.
    /// </summary>
    public IReadOnlyList<(string PartnerId, int Queued, long OldestCreatedMs)> QueueStats()
    {
        lock (_lock)
        {
            var stats = new List<(string, int, long)>(_queues.Count);
            foreach ((string partnerId, SortedDictionary<long, OutboxItem> queue) in _queues)
            {
                if (queue.Count > 0)
                {
                    long oldest = long.MaxValue;
                    foreach (OutboxItem item in queue.Values)
                    {
                        oldest = Math.Min(oldest, item.CreatedMs);
                    }

                    stats.Add((partnerId, queue.Count, oldest));
                }
            }

            return stats;
        }
    }

    /// <summary>How many dead letters wait for an operator (read without decoding them, for health checks).</summary>
    public int DeadLetterCount => _storage.Documents.Count(DeadCollection);

    /// <summary>Dead letters, oldest first.</summary>
    public IReadOnlyList<OutboxItem> DeadLetters(string? partnerId = null) =>
        [.. _storage.Documents.List(DeadCollection).Select(d => MessagePackSerializer.Deserialize<OutboxItem>(d.Value)).Where(i => partnerId is null || i.PartnerId == partnerId)];

    /// <summary>
    /// Queues a request for <paramref name="partnerId"/> durably (coalescing it with a queued request for the same
    /// object) and wakes the sender. Returns the sequence number of the queued request that carries it, or -1 when it
    /// was dropped as older than what is queued.
    /// </summary>
    public async Task<long> EnqueueAsync(string partnerId, string module, HttpMethod method, string path, byte[]? body, string? objectKey, DateTimeOffset lastUpdated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        long lastUpdatedMs = lastUpdated.ToUnixTimeMilliseconds();
        OutboxItem toWrite;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                OutboxItem? queued = null;
                if (objectKey is not null && _queues.TryGetValue(partnerId, out SortedDictionary<long, OutboxItem>? queue))
                {
                    foreach (OutboxItem candidate in queue.Values)
                    {
                        if (candidate.ObjectKey == objectKey && !_sending.Contains(candidate.Key))
                        {
                            queued = candidate;
                        }
                    }
                }

                if (queued is not null && lastUpdatedMs < queued.LastUpdatedMs)
                {
                    return -1;
                }

                if (queued is not null && Coalesce(queued, method.Method, body) is { } merged)
                {
                    toWrite = Copy(queued);
                    toWrite.Method = merged.Method;
                    toWrite.Body = merged.Body;
                    toWrite.Path = path;
                    toWrite.LastUpdatedMs = lastUpdatedMs;
                }
                else
                {
                    toWrite = new OutboxItem
                    {
                        Seq = ++_seq,
                        PartnerId = partnerId,
                        Module = module,
                        Method = method.Method,
                        Path = path,
                        Body = body,
                        ObjectKey = objectKey,
                        LastUpdatedMs = lastUpdatedMs,
                        CreatedMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
                    };
                }
            }

            await _storage.PutDocumentAsync(Collection, toWrite.Key, MessagePackSerializer.Serialize(toWrite), cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                Queue(partnerId)[toWrite.Seq] = toWrite;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        _wake.Release();
        return toWrite.Seq;
    }

    /// <summary>Waits until the request <paramref name="seq"/> of <paramref name="partnerId"/> is delivered or dead, or <paramref name="timeout"/> passes.</summary>
    public async Task<DeliveryState> WaitAsync(string partnerId, long seq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<DeliveryState> waiter;
        lock (_lock)
        {
            if (!_queues.TryGetValue(partnerId, out SortedDictionary<long, OutboxItem>? queue) || !queue.ContainsKey(seq))
            {
                return _storage.Documents.TryGet(DeadCollection, OutboxItem.DocumentKey(partnerId, seq), out _) ? DeliveryState.Dead : DeliveryState.Delivered;
            }

            if (!_waiters.TryGetValue((partnerId, seq), out waiter!))
            {
                waiter = new TaskCompletionSource<DeliveryState>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[(partnerId, seq)] = waiter;
            }
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return DeliveryState.Pending;
        }
    }

    /// <summary>The queued request, if still queued (its last error says why it waits).</summary>
    public OutboxItem? Find(string partnerId, long seq)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(partnerId, out SortedDictionary<long, OutboxItem>? queue) && queue.TryGetValue(seq, out OutboxItem? item) ? item : null;
        }
    }

    /// <summary>Puts a dead letter back at the end of its partner's queue; false when unknown.</summary>
    public async Task<bool> RetryDeadAsync(string partnerId, long seq, CancellationToken cancellationToken = default)
    {
        string key = OutboxItem.DocumentKey(partnerId, seq);
        if (!_storage.Documents.TryGet(DeadCollection, key, out byte[]? value))
        {
            return false;
        }

        OutboxItem dead = MessagePackSerializer.Deserialize<OutboxItem>(value);
        await EnqueueAsync(dead.PartnerId, dead.Module, new HttpMethod(dead.Method), dead.Path, dead.Body, null, DateTimeOffset.FromUnixTimeMilliseconds(dead.LastUpdatedMs), cancellationToken).ConfigureAwait(false);
        await _storage.DeleteDocumentAsync(DeadCollection, key, cancellationToken).ConfigureAwait(false);
        OcpiMetrics.PushDeadLetters.Add(-1, OcpiMetrics.Partner(partnerId));
        return true;
    }

    /// <summary>Forgets a dead letter; false when unknown.</summary>
    public async Task<bool> DiscardDeadAsync(string partnerId, long seq, CancellationToken cancellationToken = default)
    {
        string key = OutboxItem.DocumentKey(partnerId, seq);
        if (!_storage.Documents.TryGet(DeadCollection, key, out _))
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(DeadCollection, key, cancellationToken).ConfigureAwait(false);
        OcpiMetrics.PushDeadLetters.Add(-1, OcpiMetrics.Partner(partnerId));
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            long nextDue = long.MaxValue;
            var due = new List<OutboxItem>();

            // The pick waits for a write in progress: an EnqueueAsync decides to merge into a queued request and
            // replaces it only after the document is written, so picking that request in between would send its old
            // body and then delete the merged one as delivered. Once picked, a request is in _sending and no newer
            // update merges into it (it is queued behind instead).
            try
            {
                await _writeLock.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                lock (_lock)
                {
                    foreach ((string partnerId, SortedDictionary<long, OutboxItem> queue) in _queues)
                    {
                        if (queue.Count == 0 || _sending.Any(k => k.StartsWith(partnerId + "/", StringComparison.Ordinal)))
                        {
                            continue;
                        }

                        OutboxItem head = queue.First().Value;
                        if (head.NextAttemptMs <= now)
                        {
                            _sending.Add(head.Key);
                            due.Add(head);
                        }
                        else
                        {
                            nextDue = Math.Min(nextDue, head.NextAttemptMs);
                        }
                    }
                }
            }
            finally
            {
                _writeLock.Release();
            }

            // One request per partner at a time (their order), partners in parallel (one slow partner delays no other).
            foreach (OutboxItem item in due)
            {
                inFlight.Add(Task.Run(() => SendAsync(item, stoppingToken), CancellationToken.None));
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            TimeSpan wait = nextDue == long.MaxValue ? TimeSpan.FromSeconds(30) : TimeSpan.FromMilliseconds(Math.Clamp(nextDue - now, 1, 30_000));
            try
            {
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private async Task SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            await SendCoreAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // Storage closed under us at shutdown: the item stays queued and is sent after the restart.
        }
        finally
        {
            lock (_lock)
            {
                _sending.Remove(item.Key);
            }

            _wake.Release();
        }
    }

    private async Task SendCoreAsync(OutboxItem sent, CancellationToken cancellationToken)
    {
        OcpiPartner? partner = _partners.Get(sent.PartnerId);
        if (partner is null)
        {
            await DropPartnerAsync(sent.PartnerId).ConfigureAwait(false);
            return;
        }

        // Read the item again: a newer update may have been merged into it while it waited.
        OutboxItem item = Find(sent.PartnerId, sent.Seq) ?? sent;
        if (!partner.Registered)
        {
            await FailAsync(item, "The partner is not registered (credentials handshake pending or ended).", cancellationToken).ConfigureAwait(false);
            return;
        }

        string? endpoint = partner.EndpointUrl(item.Module, "RECEIVER");
        if (endpoint is null)
        {
            await BuryAsync(item, $"The partner has no {item.Module} RECEIVER endpoint.", cancellationToken).ConfigureAwait(false);
            return;
        }

        string url = endpoint.TrimEnd('/') + item.Path;
        OcpiClientResponse<JsonElement> answer = await _client.SendAsync(
            OcpiTarget.For(partner, item.Module == "tokens" ? "CPO" : "EMSP"), new HttpMethod(item.Method), url, item.Body, OcpiJsonContext.Default.JsonElement, routed: true, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            await CompleteAsync(item, DeliveryState.Delivered, null, cancellationToken).ConfigureAwait(false);
        }
        else if (answer.StatusCode is >= 2000 and < 3000 && answer.HttpStatus != 401)
        {
            await BuryAsync(item, $"HTTP {answer.HttpStatus}, OCPI {answer.StatusCode}: {answer.Message}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            string reason = answer.HttpStatus == 0 ? "No answer: " + answer.Message : $"HTTP {answer.HttpStatus}, OCPI {answer.StatusCode}: {answer.Message}";
            await FailAsync(item, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a failed attempt and schedules the next one, or dead-letters after <see cref="PushOptions.MaxAttempts"/>.</summary>
    private async Task FailAsync(OutboxItem item, string reason, CancellationToken cancellationToken)
    {
        if (_logger.IsEnabled(LogLevel.Warning) && _failureLines.TryAcquire())
        {
            LogPushFailed(_logger, item.Method, item.Module, item.PartnerId, item.Attempts + 1, reason);
        }

        OcpiMetrics.PushFailures.Add(1, OcpiMetrics.Partner(item.PartnerId), new KeyValuePair<string, object?>("module", item.Module));
        if (_options.MaxAttempts > 0 && item.Attempts + 1 >= _options.MaxAttempts)
        {
            await BuryAsync(item, $"Gave up after {item.Attempts + 1} attempts; last: {reason}", cancellationToken).ConfigureAwait(false);
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OutboxItem updated;
            lock (_lock)
            {
                if (!_queues.TryGetValue(item.PartnerId, out SortedDictionary<long, OutboxItem>? queue) || !queue.TryGetValue(item.Seq, out OutboxItem? current))
                {
                    return;
                }

                updated = Copy(current);
                updated.Attempts++;
                updated.LastError = reason;
                updated.NextAttemptMs = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)Backoff(updated.Attempts).TotalMilliseconds;
            }

            await _storage.PutDocumentAsync(Collection, updated.Key, MessagePackSerializer.Serialize(updated), cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                Queue(item.PartnerId)[item.Seq] = updated;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Base × 2^(attempts−1), at most the maximum, then ±20 % jitter.</summary>
    private TimeSpan Backoff(int attempts)
    {
        double ms = _options.RetryBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        ms = Math.Min(ms, _options.RetryMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private async Task BuryAsync(OutboxItem item, string reason, CancellationToken cancellationToken)
    {
        LogDeadLetter(_logger, item.Method, item.Module, item.PartnerId, reason);
        OutboxItem dead = Copy(Find(item.PartnerId, item.Seq) ?? item);
        dead.DeadReason = reason;
        dead.DeadMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _storage.PutDocumentAsync(DeadCollection, dead.Key, MessagePackSerializer.Serialize(dead), cancellationToken).ConfigureAwait(false);
        OcpiMetrics.PushDeadLetters.Add(1, OcpiMetrics.Partner(item.PartnerId));
        await CompleteAsync(item, DeliveryState.Dead, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteAsync(OutboxItem item, DeliveryState state, string? reason, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _storage.DeleteDocumentAsync(Collection, item.Key, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_queues.TryGetValue(item.PartnerId, out SortedDictionary<long, OutboxItem>? queue))
                {
                    queue.Remove(item.Seq);
                }

                if (_waiters.Remove((item.PartnerId, item.Seq), out TaskCompletionSource<DeliveryState>? waiter))
                {
                    waiter.TrySetResult(state);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (reason is null)
        {
            LogDelivered(_logger, item.Method, item.Module, item.PartnerId);
        }
    }

    /// <summary>A deleted partner's queue and dead letters go with it (<see cref="PartnerRegistry.Removed"/>).</summary>
    private async Task DropPartnerAsync(string partnerId)
    {
        List<OutboxItem> items;
        lock (_lock)
        {
            items = _queues.Remove(partnerId, out SortedDictionary<long, OutboxItem>? queue) ? [.. queue.Values] : [];
            foreach (OutboxItem item in items)
            {
                if (_waiters.Remove((partnerId, item.Seq), out TaskCompletionSource<DeliveryState>? waiter))
                {
                    waiter.TrySetResult(DeliveryState.Dead);
                }
            }
        }

        try
        {
            foreach (OutboxItem item in items)
            {
                await _storage.DeleteDocumentAsync(Collection, item.Key).ConfigureAwait(false);
            }

            foreach (OutboxItem dead in DeadLetters(partnerId))
            {
                await _storage.DeleteDocumentAsync(DeadCollection, dead.Key).ConfigureAwait(false);
                OcpiMetrics.PushDeadLetters.Add(-1, OcpiMetrics.Partner(partnerId));
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Merges a newer request into a queued one for the same object: PUT or DELETE replaces; PATCH onto PUT gives the
    /// PUT with the patched fields; PATCH onto PATCH gives one PATCH with both (newer fields win). A PATCH after a
    /// queued DELETE is not merged.
    /// </summary>
    internal static (string Method, byte[]? Body)? Coalesce(OutboxItem queued, string method, byte[]? body)
    {
        ArgumentNullException.ThrowIfNull(queued);
        if (method is "PUT" or "DELETE")
        {
            return (method, body);
        }

        if (method != "PATCH" || queued.Method is not ("PUT" or "PATCH") || queued.Body is null || body is null)
        {
            return null;
        }

        if (JsonNode.Parse(queued.Body) is not JsonObject target || JsonNode.Parse(body) is not JsonObject patch)
        {
            return null;
        }

        foreach ((string name, JsonNode? value) in patch.ToList())
        {
            patch.Remove(name);
            target[name] = value;
        }

        return (queued.Method, JsonSerializer.SerializeToUtf8Bytes(target, OcpiJsonContext.Default.JsonNode));
    }

    private SortedDictionary<long, OutboxItem> Queue(string partnerId)
    {
        if (!_queues.TryGetValue(partnerId, out SortedDictionary<long, OutboxItem>? queue))
        {
            queue = [];
            _queues[partnerId] = queue;
        }

        return queue;
    }

    private static OutboxItem Copy(OutboxItem item) => MessagePackSerializer.Deserialize<OutboxItem>(MessagePackSerializer.Serialize(item));

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI push {Method} {Module} to {PartnerId} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string method, string module, string partnerId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCPI push {Method} {Module} to {PartnerId} dead-lettered: {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, string method, string module, string partnerId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OCPI push {Method} {Module} to {PartnerId} delivered")]
    private static partial void LogDelivered(ILogger logger, string method, string module, string partnerId);
}

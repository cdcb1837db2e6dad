using System.Globalization;
using System.Text;
using System.Threading.Channels;
using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Nats;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using MessagePack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace EvCloud.Fast.Cluster.Forwarding;

/// <summary>
/// Forwards the gateway's event log to the JetStream stream <see cref="ClusterOptions.EventStream"/>, on subject
/// <c>{EventSubjectPrefix}.{NodeId}</c>, each committed entry exactly once.
/// </summary>
/// <remarks>
/// <para><b>Durability contract.</b> A charger's money message (transaction start/stop, its meter values, a
/// TransactionEvent, a status that decides charging or parking time) is acknowledged to the charger once its event is
/// committed to this gateway's local event log (fsync'd group commit), not when JetStream has it: the gateway keeps
/// serving while NATS is unreachable. From the local log the event reaches JetStream with guaranteed forwarding: this
/// forwarder reads committed entries in log order, publishes each with the message id <c>{NodeId}-{log address}</c>,
/// and records the last address JetStream acknowledged in <see cref="ForwardingPosition"/>, from which it resumes
/// after a restart or an outage. Entries published again after a crash (acknowledged, position not yet saved) carry
/// the same message ids, so JetStream drops them as duplicates within <see cref="ClusterOptions.DuplicateWindow"/>.</para>
/// <para><b>What a gateway's disk loss costs.</b> The events committed locally but not yet acknowledged by JetStream
/// (the forwarding lag, <see cref="LagBytes"/>, normally a few milliseconds of traffic, up to an outage's worth while
/// NATS is unreachable), and the gateway's local charger state, which its chargers rebuild on reconnect (boot,
/// status). Everything JetStream acknowledged is kept by JetStream.</para>
/// <para>Document entries (the node's own operator documents and consumer positions) are local to the node and are
/// not forwarded; every charger event is.</para>
/// </remarks>
public sealed partial class EventForwarder : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly ClusterConnection _nats;
    private readonly ChargerDirectory _directory;
    private readonly EventLog _log;
    private readonly ForwardingPosition _position;
    private readonly ILogger _logger;
    private readonly string _subject;
    private readonly Lock _progressLock = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _forwarded;
    private long _forwardedNext = -1;
    private long _published;
    private long _duplicates;
    private long _failures;
    private string? _lastError;

    /// <summary>Creates the forwarder over <paramref name="storage"/>'s event log.</summary>
    public EventForwarder(ClusterConnection nats, ChargerDirectory directory, StorageEngine storage, ILogger<EventForwarder> logger)
    {
        ArgumentNullException.ThrowIfNull(nats);
        ArgumentNullException.ThrowIfNull(storage);
        _nats = nats;
        _directory = directory;
        _log = storage.Log;
        _position = new ForwardingPosition(storage.DataDirectory);
        _forwarded = _position.Address;
        _logger = logger;
        _subject = nats.Options.EventSubjectPrefix + "." + nats.NodeId;
    }

    /// <summary>The address of the last entry JetStream acknowledged (-1 before the first).</summary>
    public long ForwardedAddress => Interlocked.Read(ref _forwarded);

    /// <summary>
    /// Bytes of committed log after the last entry JetStream acknowledged: what a disk loss would cost now (it includes
    /// the log's own commit records, a few dozen bytes per group commit, so it is not exactly 0 when caught up).
    /// </summary>
    public long LagBytes
    {
        get
        {
            long next = Interlocked.Read(ref _forwardedNext);
            return Math.Max(0, _log.CommittedUntil - (next < 0 ? _log.BeginAddress : next));
        }
    }

    /// <summary>Entries published since start (duplicates included).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Entries JetStream reported as duplicates (published again after a restart).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Failed rounds since start (NATS unreachable, publish refused).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the last round failed (null once a round succeeds).</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>
    /// Completes once every entry up to and including the one at <paramref name="address"/> (an address the log's scan
    /// reports, see <see cref="EventLog.ReadAsync"/>) is acknowledged by JetStream.
    /// </summary>
    public async Task WaitForwardedAsync(long address, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task progress;
            lock (_progressLock)
            {
                if (ForwardedAddress >= address)
                {
                    return;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the event stream (or updates it to this node's settings).</summary>
    public static async Task EnsureStreamAsync(ClusterConnection nats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nats);
        var config = new StreamConfig(nats.Options.EventStream, [nats.Options.EventSubjectPrefix + ".>"])
        {
            Storage = StreamConfigStorage.File,
            DuplicateWindow = nats.Options.DuplicateWindow,
        };
        await nats.JetStream.CreateOrUpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        bool streamReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task reading = Task.CompletedTask;
            try
            {
                if (!streamReady)
                {
                    await EnsureStreamAsync(_nats, stoppingToken).ConfigureAwait(false);
                    streamReady = true;
                }

                var inFlight = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_nats.Options.ForwardMaxInFlight)
                {
                    SingleReader = true,
                    SingleWriter = true,
                });
                reading = ReadAndPublishAsync(inFlight.Writer, round.Token);
                await AcknowledgeAsync(inFlight.Reader, reading, round.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failures);
                Volatile.Write(ref _lastError, ex.Message);
                LogForwardingInterrupted(_logger, ForwardedAddress, ex.Message);
                await round.CancelAsync().ConfigureAwait(false);
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                try
                {
                    await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }

            backoff = TimeSpan.FromMilliseconds(100);
        }
    }

    // Reads committed entries after the position and sends them in log order, at most MaxInFlight unacknowledged.
    private async Task ReadAndPublishAsync(ChannelWriter<Pending> inFlight, CancellationToken cancellationToken)
    {
        try
        {
            long after = ForwardedAddress;

            // NOTE: a scan resumed at an entry's address returns that entry again (see EventLog.ReadAsync): skip it.
            await foreach (LogEntry entry in _log.ReadAsync(after < 0 ? _log.BeginAddress : after, follow: true, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Address <= after)
                {
                    continue;
                }

                Task<PubAckResponse?> ack = TryReadHeader(entry, out DomainEventKind kind, out string? chargerId)
                    && kind is not (DomainEventKind.DocumentPut or DomainEventKind.DocumentDeleted)
                        ? AckAsync(await SendAsync(entry.Address, chargerId!, entry.Payload.ToArray(), cancellationToken).ConfigureAwait(false))
                        : Task.FromResult<PubAckResponse?>(null);
                await inFlight.WriteAsync(new Pending(entry.Address, entry.NextAddress, ack), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            inFlight.TryComplete();
        }
    }

    // NOTE: sends are awaited one after the other, so entries leave on the connection, and are stored, in log order;
    // only the acknowledgements are awaited concurrently.
    private async Task<NatsJSPublishConcurrentFuture> SendAsync(long address, string chargerId, byte[] payload, CancellationToken cancellationToken)
    {
        long epoch = await _directory.EpochForEventsAsync(chargerId, cancellationToken).ConfigureAwait(false);
        var headers = new NatsHeaders
        {
            [ClusterHeaders.Node] = _nats.NodeId,
            [ClusterHeaders.Epoch] = epoch.ToString(CultureInfo.InvariantCulture),
            [ClusterHeaders.Charger] = chargerId,
            [ClusterHeaders.Address] = address.ToString(CultureInfo.InvariantCulture),
        };
        var opts = new NatsJSPubOpts { MsgId = MessageId(_nats.NodeId, address) };
        return await _nats.JetStream.PublishConcurrentAsync(_subject, payload, opts: opts, headers: headers, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PubAckResponse?> AckAsync(NatsJSPublishConcurrentFuture future)
    {
        await using (future.ConfigureAwait(false))
        {
            return await future.GetResponseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The JetStream message id of the entry at <paramref name="address"/> of <paramref name="nodeId"/>'s log.</summary>
    public static string MessageId(string nodeId, long address) => nodeId + "-" + address.ToString(CultureInfo.InvariantCulture);

    // Awaits acknowledgements in log order and saves the position whenever it has caught up (or every 1,024 entries).
    private async Task AcknowledgeAsync(ChannelReader<Pending> inFlight, Task reading, CancellationToken cancellationToken)
    {
        long unsaved = 0;
        while (await inFlight.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (inFlight.TryRead(out Pending pending))
            {
                PubAckResponse? ack = await pending.Ack.ConfigureAwait(false);
                if (ack is not null)
                {
                    // NOTE: not EnsureSuccess, which throws for a duplicate: a duplicate is an entry JetStream already has.
                    if (ack.Error is { } error)
                    {
                        throw new NatsJSApiException(error);
                    }

                    Interlocked.Increment(ref _published);
                    if (ack.Duplicate)
                    {
                        Interlocked.Increment(ref _duplicates);
                    }
                }

                Interlocked.Exchange(ref _forwarded, pending.Address);
                Interlocked.Exchange(ref _forwardedNext, pending.NextAddress);
                if (++unsaved >= 1024)
                {
                    Save();
                    unsaved = 0;
                }
            }

            if (unsaved > 0)
            {
                Save();
                unsaved = 0;
            }
        }

        // The reader only ends by failing or being cancelled: surface why.
        await reading.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Save()
    {
        _position.Save(ForwardedAddress);
        Volatile.Write(ref _lastError, null);
        TaskCompletionSource done;
        lock (_progressLock)
        {
            done = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private bool TryReadHeader(LogEntry entry, out DomainEventKind kind, out string? chargerId)
    {
        try
        {
            var reader = new MessagePackReader(entry.Payload);
            EventHeader header = EventReader.ReadHeader(ref reader);
            kind = header.Kind;
            chargerId = Encoding.UTF8.GetString(header.ChargerId);
            return true;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or InvalidOperationException)
        {
            LogUndecodable(_logger, entry.Address, ex.Message);
            StorageMetrics.SkippedEntries.Add(1, new KeyValuePair<string, object?>("follower", "cluster-forwarder"));
            kind = default;
            chargerId = null;
            return false;
        }
    }

    private readonly record struct Pending(long Address, long NextAddress, Task<PubAckResponse?> Ack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event forwarding interrupted after log address {Address}, resuming: {Reason}")]
    private static partial void LogForwardingInterrupted(ILogger logger, long address, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log entry at {Address} is undecodable and is not forwarded: {Reason}")]
    private static partial void LogUndecodable(ILogger logger, long address, string reason);
}

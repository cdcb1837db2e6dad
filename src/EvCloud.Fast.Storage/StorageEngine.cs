using System.Buffers;
using EvCloud.Fast.Storage.Documents;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Storage;

/// <summary>
/// The embedded storage of one EvCloud.Fast process: the event log and the charger state rebuilt
/// from it. Open recovers both; dispose checkpoints the state, then commits and closes the log.
/// </summary>
public sealed class StorageEngine : IAsyncDisposable, IDisposable
{
    private int _disposed;

    private StorageEngine(EventLog log, ChargerStateStore state, string dataDirectory)
    {
        Log = log;
        State = state;
        DataDirectory = dataDirectory;
    }

    /// <summary>The data directory (absolute); other stores of the process keep their files under it too.</summary>
    public string DataDirectory { get; }

    public EventLog Log { get; }

    public ChargerStateStore State { get; }

    /// <summary>Checkpoint used, events replayed and time taken by the state recovery at open.</summary>
    public RecoveryStats RecoveryStats => State.RecoveryStats;

    /// <summary>
    /// Opens the log (recovering its committed tail), then the state (checkpoint + replay). Commit and checkpoint
    /// failures and undecodable entries go to <paramref name="loggers"/>.
    /// </summary>
    public static StorageEngine Open(StorageOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Log.DataDirectory = options.DataDirectory;
        options.Log.CommitInterval = options.CommitInterval;
        options.State.DataDirectory = options.DataDirectory;
        options.State.CheckpointInterval = options.CheckpointInterval;
        var log = EventLog.Open(options.Log, loggers?.CreateLogger<EventLog>());
        try
        {
            return new StorageEngine(log, ChargerStateStore.Open(options.State, log, loggers?.CreateLogger<ChargerStateStore>()), Path.GetFullPath(options.DataDirectory));
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="ChargerStateStore.AppendAndApply"/>
    public long AppendAndApply(ReadOnlySpan<byte> encodedEvent) => State.AppendAndApply(encodedEvent);

    /// <summary>Operator- and partner-managed documents (tokens, registrations, queued commands…).</summary>
    public DocumentStore Documents => State.Documents;

    /// <summary>Writes a document and returns once it is durable.</summary>
    public ValueTask PutDocumentAsync(string collection, string key, ReadOnlySpan<byte> value, CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + value.Length);
        EventWriter.WriteDocumentPut(buffer, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), collection, key, value);
        return AppendDurableAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// Writes a document without waiting for it to be durable; returns its log address. For writes that may be lost in a
    /// crash because redoing them is harmless (a consumer's position), and that become durable with the next commit.
    /// </summary>
    public long PutDocument(string collection, string key, ReadOnlySpan<byte> value)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + value.Length);
        EventWriter.WriteDocumentPut(buffer, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), collection, key, value);
        return State.AppendAndApply(buffer.WrittenSpan);
    }

    /// <summary>Removes a document and returns once the removal is durable.</summary>
    public ValueTask DeleteDocumentAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        EventWriter.WriteDocumentDeleted(buffer, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), collection, key);
        return AppendDurableAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Appends and applies one encoded event and returns once it is durable. Off the hot path (allocates a waiter).</summary>
    public async ValueTask AppendDurableAsync(ReadOnlyMemory<byte> encodedEvent, CancellationToken cancellationToken = default)
    {
        var address = State.AppendAndApply(encodedEvent.Span);
        await new DurabilityWaiter(Log).WaitDurableAsync(address).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Final state checkpoint first (it reads the log tail), then the log's final commit and close.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await State.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Log.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes both without checkpoint or final commit, as a kill -9 would. For crash tests only.</summary>
    internal async ValueTask CrashAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await State.CrashAsync().ConfigureAwait(false);
        await Log.CrashAsync().ConfigureAwait(false);
    }
}

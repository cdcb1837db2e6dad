using System.Collections.Concurrent;
using MessagePack;

namespace EvCloud.Fast.Storage.Documents;

/// <summary>
/// Small, durable collections of keyed documents (local tokens, charger registrations, queued commands, API
/// keys…): what operators and partners change through the APIs, as opposed to what chargers report. Every write
/// is a <see cref="Events.DomainEventKind.DocumentPut"/> or <see cref="Events.DomainEventKind.DocumentDeleted"/>
/// event in the log; the current documents are held in memory, written beside each state checkpoint and rebuilt
/// on open from that snapshot plus the events after it (last write of a key wins, so replaying an event the
/// snapshot already holds changes nothing).
/// </summary>
/// <remarks>
/// Values are opaque bytes (each collection's owner chooses its MessagePack contract). Everything is in memory:
/// sized for up to a few million documents, not for CDR history. Write through
/// <see cref="StorageEngine.PutDocumentAsync"/> and <see cref="StorageEngine.DeleteDocumentAsync"/>.
/// </remarks>
public sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _collections = new(StringComparer.Ordinal);
    private long _changes;

    /// <summary>Writes applied since open; a checkpoint skips the snapshot when nothing changed.</summary>
    internal long Changes => Interlocked.Read(ref _changes);

    /// <summary>The document under <paramref name="key"/>, if any.</summary>
    public bool TryGet(string collection, string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? value)
    {
        value = null;
        return _collections.TryGetValue(collection, out var documents) && documents.TryGetValue(key, out value);
    }

    /// <summary>Every document of a collection, ordered by key (ordinal).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> List(string collection)
    {
        if (!_collections.TryGetValue(collection, out var documents))
        {
            return [];
        }

        var list = documents.ToArray();
        Array.Sort(list, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    /// <summary>Documents in a collection.</summary>
    public int Count(string collection) => _collections.TryGetValue(collection, out var documents) ? documents.Count : 0;

    internal void ApplyPut(string collection, string key, byte[] value)
    {
        _collections.GetOrAdd(collection, static _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal))[key] = value;
        Interlocked.Increment(ref _changes);
    }

    internal void ApplyDelete(string collection, string key)
    {
        if (_collections.TryGetValue(collection, out var documents))
        {
            documents.TryRemove(key, out _);
        }

        Interlocked.Increment(ref _changes);
    }

    /// <summary>Writes every document to <paramref name="path"/> (temp file, flushed, renamed).</summary>
    internal void WriteSnapshot(string path)
    {
        var snapshot = new Dictionary<string, Dictionary<string, byte[]>>(StringComparer.Ordinal);
        foreach (var (name, documents) in _collections)
        {
            snapshot[name] = new Dictionary<string, byte[]>(documents, StringComparer.Ordinal);
        }

        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            MessagePackSerializer.Serialize(stream, snapshot);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads a snapshot written by <see cref="WriteSnapshot"/>.</summary>
    internal void LoadSnapshot(string path)
    {
        using var stream = File.OpenRead(path);
        var snapshot = MessagePackSerializer.Deserialize<Dictionary<string, Dictionary<string, byte[]>>>(stream);
        foreach (var (name, documents) in snapshot)
        {
            _collections[name] = new ConcurrentDictionary<string, byte[]>(documents, StringComparer.Ordinal);
        }
    }
}

using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Storage;

/// <summary>One object a partner pushed to us, as stored (MessagePack; keys never renumbered).</summary>
[MessagePackObject]
public sealed class StoredObject
{
    /// <summary>
    /// The object's JSON as we serve it on 2.2.1 and the read API (snake_case OCPI): as sent by a 2.2.1 CPO, converted
    /// to 2.2.1 for a 2.1.1 CPO (<see cref="ReceivedJson"/> then holds what it sent).
    /// </summary>
    [Key(0)]
    public byte[] Json { get; set; } = [];

    /// <summary>Its last_updated (Unix ms), for date_from/date_to filters.</summary>
    [Key(1)]
    public long LastUpdatedMs { get; set; }

    /// <summary>When we first stored it (Unix ms): pages are ordered oldest first (§4.1.6.2).</summary>
    [Key(2)]
    public long CreatedMs { get; set; }

    /// <summary>The partner that pushed it.</summary>
    [Key(3)]
    public string PartnerId { get; set; } = "";

    /// <summary>Owner's country code (upper case).</summary>
    [Key(4)]
    public string CountryCode { get; set; } = "";

    /// <summary>Owner's party id (upper case).</summary>
    [Key(5)]
    public string PartyId { get; set; } = "";

    /// <summary>The object's id within its owner (as sent).</summary>
    [Key(6)]
    public string Id { get; set; } = "";

    /// <summary>
    /// The OCPI version it was received in when that is not the stored form's: "2.1.1" for an object a 2.1.1 CPO
    /// pushed (<see cref="Json"/> then holds its 2.2.1 conversion); null for 2.2.1.
    /// </summary>
    [Key(7)]
    public string? ReceivedVersion { get; set; }

    /// <summary>The object in the form it was received in (2.1.1), with every PATCH applied, served back to its sender; null for 2.2.1.</summary>
    [Key(8)]
    public byte[]? ReceivedJson { get; set; }
}

/// <summary>
/// Client-owned objects we receive (OCPI 2.2.1 §4.1.8 "Client Owned Object Push"): one durable document collection
/// keyed <c>{COUNTRY}/{PARTY}/{ID}</c>. The key upper-cases the whole path because country code, party id and the
/// object ids are all CiString (case-insensitive) in OCPI.
/// </summary>
public sealed class ClientOwnedObjectStore
{
    private readonly StorageEngine _storage;

    /// <summary>Creates a store over <paramref name="collection"/>.</summary>
    public ClientOwnedObjectStore(StorageEngine storage, string collection)
    {
        _storage = storage;
        Collection = collection;
    }

    /// <summary>The document collection.</summary>
    public string Collection { get; }

    /// <summary>The storage key of an object.</summary>
    public static string Key(string countryCode, string partyId, string id) =>
        (countryCode + "/" + partyId + "/" + id).ToUpperInvariant();

    /// <summary>The stored object, if any.</summary>
    public StoredObject? Get(string countryCode, string partyId, string id) =>
        _storage.Documents.TryGet(Collection, Key(countryCode, partyId, id), out byte[]? value) ? MessagePackSerializer.Deserialize<StoredObject>(value) : null;

    /// <summary>Writes an object durably; returns whether it is new (HTTP 201 rather than 200, §5).</summary>
    public async ValueTask<bool> PutAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        string key = Key(stored.CountryCode, stored.PartyId, stored.Id);
        bool created = true;
        if (_storage.Documents.TryGet(Collection, key, out byte[]? existing))
        {
            created = false;
            stored.CreatedMs = MessagePackSerializer.Deserialize<StoredObject>(existing).CreatedMs;
        }
        else if (stored.CreatedMs == 0)
        {
            stored.CreatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }

        stored.CountryCode = stored.CountryCode.ToUpperInvariant();
        stored.PartyId = stored.PartyId.ToUpperInvariant();
        await _storage.PutDocumentAsync(Collection, key, MessagePackSerializer.Serialize(stored), cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>Deletes an object durably.</summary>
    public async ValueTask<bool> DeleteAsync(string countryCode, string partyId, string id, CancellationToken cancellationToken)
    {
        string key = Key(countryCode, partyId, id);
        if (!_storage.Documents.TryGet(Collection, key, out _))
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(Collection, key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Every stored object matching <paramref name="filter"/>, oldest first (then by key, so the order is stable).</summary>
    public List<StoredObject> List(Func<StoredObject, bool>? filter = null)
    {
        var result = new List<StoredObject>();
        foreach ((string _, byte[] value) in _storage.Documents.List(Collection))
        {
            StoredObject stored = MessagePackSerializer.Deserialize<StoredObject>(value);
            if (filter is null || filter(stored))
            {
                result.Add(stored);
            }
        }

        // List() is already in key order; a stable sort keeps it within equal creation times.
        return [.. result.OrderBy(s => s.CreatedMs)];
    }
}

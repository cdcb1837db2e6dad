using System.Text.Json;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>
/// eMSP side of the Tokens module: our drivers' tokens (owned by our country code and party id), durable in
/// <c>ocpi-emsp-tokens</c>, served to CPOs by the Tokens Sender interface (OCPI 2.2.1 §12.2.1) and pushed to them.
/// </summary>
public sealed class EmspTokenStore
{
    /// <summary>Document collection.</summary>
    public const string Collection = "ocpi-emsp-tokens";

    private readonly ClientOwnedObjectStore _store;
    private readonly OcpiOptions _options;

    /// <summary>contract_id → (uid, type); null until first needed and after every write.</summary>
    private Dictionary<string, (string Uid, string Type)>? _byContractId;
    private int _writes;
    private readonly Lock _indexLock = new();

    /// <summary>Creates the store.</summary>
    public EmspTokenStore(StorageEngine storage, OcpiOptions options)
    {
        _store = new ClientOwnedObjectStore(storage, Collection);
        _options = options;
    }

    /// <summary>One of our tokens.</summary>
    public OcpiToken? Get(string uid, string type) =>
        _store.Get(_options.CountryCode, _options.PartyId, RoamingTokenStore.ObjectId(uid, type)) is { } stored ? Deserialize(stored) : null;

    /// <summary>
    /// Our token with contract id <paramref name="contractId"/> (case-insensitive), if any: 2.1.1 sessions and CDRs name
    /// the token by its auth_id, which is our contract_id. Looked up in an index built on first use and dropped on every
    /// token write (token writes are rare next to session updates; a scan per session PATCH would not be).
    /// </summary>
    public OcpiToken? FindByContractId(string contractId)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        Dictionary<string, (string Uid, string Type)> index = Volatile.Read(ref _byContractId) ?? BuildIndex();
        return index.TryGetValue(contractId, out (string Uid, string Type) key) ? Get(key.Uid, key.Type) : null;
    }

    private Dictionary<string, (string Uid, string Type)> BuildIndex()
    {
        int writes = Volatile.Read(ref _writes);
        var index = new Dictionary<string, (string Uid, string Type)>(StringComparer.OrdinalIgnoreCase);
        foreach (StoredObject stored in _store.List())
        {
            OcpiToken token = Deserialize(stored);
            if (token.ContractId is { } contractId)
            {
                index.TryAdd(contractId, (token.Uid!, token.Type!));
            }
        }

        lock (_indexLock)
        {
            // NOTE: a token written during the scan may be missing from it: then the index is not kept.
            if (_writes == writes)
            {
                _byContractId = index;
            }
        }

        return index;
    }

    /// <summary>Every token, oldest first.</summary>
    public List<(OcpiToken Token, DateTimeOffset LastUpdated)> List() =>
        [.. _store.List().Select(s => (Deserialize(s), DateTimeOffset.FromUnixTimeMilliseconds(s.LastUpdatedMs)))];

    /// <summary>Stores a token (complete and checked) durably; returns whether it is new.</summary>
    public async ValueTask<bool> PutAsync(OcpiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        bool created = await _store.PutAsync(
            new StoredObject
            {
                Json = JsonSerializer.SerializeToUtf8Bytes(token, OcpiJsonContext.Default.OcpiToken),
                LastUpdatedMs = token.LastUpdated!.Value.ToUnixTimeMilliseconds(),
                PartnerId = "",
                CountryCode = _options.CountryCode,
                PartyId = _options.PartyId,
                Id = RoamingTokenStore.ObjectId(token.Uid!, token.Type!),
            },
            cancellationToken).ConfigureAwait(false);
        DropIndex();
        return created;
    }

    /// <summary>Deletes a token durably.</summary>
    public async ValueTask<bool> DeleteAsync(string uid, string type, CancellationToken cancellationToken)
    {
        bool deleted = await _store.DeleteAsync(_options.CountryCode, _options.PartyId, RoamingTokenStore.ObjectId(uid, type), cancellationToken).ConfigureAwait(false);
        DropIndex();
        return deleted;
    }

    private void DropIndex()
    {
        lock (_indexLock)
        {
            _writes++;
            _byContractId = null;
        }
    }

    private static OcpiToken Deserialize(StoredObject stored) => JsonSerializer.Deserialize(stored.Json, OcpiJsonContext.Default.OcpiToken)!;
}

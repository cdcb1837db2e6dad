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
    /// the token by its auth_id, which is our contract_id. A scan: only called for received sessions and CDRs.
    /// </summary>
    public OcpiToken? FindByContractId(string contractId) =>
        _store.List().Select(Deserialize).FirstOrDefault(t => string.Equals(t.ContractId, contractId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every token, oldest first.</summary>
    public List<(OcpiToken Token, DateTimeOffset LastUpdated)> List() =>
        [.. _store.List().Select(s => (Deserialize(s), DateTimeOffset.FromUnixTimeMilliseconds(s.LastUpdatedMs)))];

    /// <summary>Stores a token (complete and checked) durably; returns whether it is new.</summary>
    public ValueTask<bool> PutAsync(OcpiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _store.PutAsync(
            new StoredObject
            {
                Json = JsonSerializer.SerializeToUtf8Bytes(token, OcpiJsonContext.Default.OcpiToken),
                LastUpdatedMs = token.LastUpdated!.Value.ToUnixTimeMilliseconds(),
                PartnerId = "",
                CountryCode = _options.CountryCode,
                PartyId = _options.PartyId,
                Id = RoamingTokenStore.ObjectId(token.Uid!, token.Type!),
            },
            cancellationToken);
    }

    /// <summary>Deletes a token durably.</summary>
    public ValueTask<bool> DeleteAsync(string uid, string type, CancellationToken cancellationToken) =>
        _store.DeleteAsync(_options.CountryCode, _options.PartyId, RoamingTokenStore.ObjectId(uid, type), cancellationToken);

    private static OcpiToken Deserialize(StoredObject stored) => JsonSerializer.Deserialize(stored.Json, OcpiJsonContext.Default.OcpiToken)!;
}

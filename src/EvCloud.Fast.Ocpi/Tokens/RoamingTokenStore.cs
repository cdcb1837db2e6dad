using System.Collections.Concurrent;
using System.Text.Json;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>
/// CPO side of the Tokens module (OCPI 2.2.1 §12.2.2): the tokens eMSPs push, durable in <c>ocpi-cpo-tokens</c>
/// (key <c>{COUNTRY}/{PARTY}/{UID}/{TYPE}</c>: a token is unique by uid and type, §12.2.2.1), and mirrored into the
/// OCPP <see cref="TokenStore"/> so chargers' Authorize and transaction starts accept them.
/// </summary>
/// <remarks>
/// Whitelist (§12.4.5): ALWAYS and ALLOWED tokens are on our whitelist — Authorize answers from it (Accepted when
/// <c>valid</c>, Blocked when not). ALLOWED_OFFLINE and NEVER tokens need real-time authorization: they are served
/// with <see cref="TokenRecord.AskOwner"/> and the whitelist's offline answer, which the <see cref="RealTimeAuthorizer"/>
/// replaces with the eMSP's; a START_SESSION (the eMSP's authorization) also lets them charge. The OCPP id tag is the
/// uid (for RFID the hidden id the reader
/// sees); uids of different eMSPs that collide share one entry, last write wins.
/// </remarks>
public sealed class RoamingTokenStore
{
    /// <summary>Document collection.</summary>
    public const string Collection = "ocpi-cpo-tokens";

    private readonly ClientOwnedObjectStore _store;
    private readonly TokenStore _tokens;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>
    /// Where each uid's token is (the most recently created when uids collide): a transaction start looks its token up
    /// here instead of scanning every stored token.
    /// </summary>
    private readonly ConcurrentDictionary<string, (string CountryCode, string PartyId, string Id)> _byUid = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the store and indexes the stored tokens by uid.</summary>
    public RoamingTokenStore(StorageEngine storage, TokenStore tokens)
    {
        _store = new ClientOwnedObjectStore(storage, Collection);
        _tokens = tokens;
        foreach (StoredObject stored in _store.List())
        {
            Index(stored);
        }
    }

    /// <summary>The key's object id part: uid and type.</summary>
    public static string ObjectId(string uid, string type) => uid + "/" + type;

    /// <summary>Loads every stored token into the OCPP token store (at start).</summary>
    public void LoadIntoAuthorization()
    {
        foreach (StoredObject stored in _store.List())
        {
            Mirror(Deserialize(stored));
        }
    }

    /// <summary>The stored token.</summary>
    public OcpiToken? Get(string countryCode, string partyId, string uid, string type) =>
        _store.Get(countryCode, partyId, ObjectId(uid, type)) is { } stored ? Deserialize(stored) : null;

    /// <summary>Every token of one party.</summary>
    public List<OcpiToken> List(string? countryCode = null, string? partyId = null) =>
        [.. _store.List(s => (countryCode is null || string.Equals(s.CountryCode, countryCode, StringComparison.OrdinalIgnoreCase))
                && (partyId is null || string.Equals(s.PartyId, partyId, StringComparison.OrdinalIgnoreCase)))
            .Select(Deserialize)];

    /// <summary>Whether some stored token of <paramref name="countryCode"/>/<paramref name="partyId"/> has this uid.</summary>
    public bool BelongsTo(string uid, string countryCode, string partyId) =>
        List(countryCode, partyId).Exists(t => string.Equals(t.Uid, uid, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The stored token with this uid (any type, any party) and the partner that pushed it; the most recently created
    /// wins when uids collide, as in the OCPP mirror. Called for every transaction start: an index lookup, not a scan.
    /// </summary>
    public (OcpiToken Token, string PartnerId)? FindByUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        if (!_byUid.TryGetValue(uid, out (string CountryCode, string PartyId, string Id) at))
        {
            return null;
        }

        if (_store.Get(at.CountryCode, at.PartyId, at.Id) is { } stored)
        {
            return (Deserialize(stored), stored.PartnerId);
        }

        // The indexed token is gone (its partner was removed): another party's token with the uid may remain.
        string prefix = uid + "/";
        StoredObject? other = _store.List(s => s.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).LastOrDefault();
        if (other is null)
        {
            _byUid.TryRemove(uid, out _);
            return null;
        }

        Index(other);
        return (Deserialize(other), other.PartnerId);
    }

    /// <summary>Stores a complete, checked token and mirrors it; returns whether it is new.</summary>
    public async Task<bool> PutAsync(string partnerId, OcpiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool created = await _store.PutAsync(
                new StoredObject
                {
                    Json = JsonSerializer.SerializeToUtf8Bytes(token, OcpiJsonContext.Default.OcpiToken),
                    LastUpdatedMs = token.LastUpdated!.Value.ToUnixTimeMilliseconds(),
                    PartnerId = partnerId,
                    CountryCode = token.CountryCode!,
                    PartyId = token.PartyId!,
                    Id = ObjectId(token.Uid!, token.Type!),
                },
                cancellationToken).ConfigureAwait(false);
            if (created || !_byUid.ContainsKey(token.Uid!))
            {
                _byUid[token.Uid!] = (token.CountryCode!.ToUpperInvariant(), token.PartyId!.ToUpperInvariant(), ObjectId(token.Uid!, token.Type!));
            }

            Mirror(token);
            return created;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Lets <paramref name="uid"/> start at our chargers until <paramref name="until"/> when it is not whitelisted: the
    /// eMSP authorized it by sending START_SESSION or RESERVE_NOW (§13.1 "the CPO should not check the Token").
    /// </summary>
    public void Grant(string uid, DateTimeOffset until)
    {
        if (_tokens.Get(uid) is { Source: not TokenSource.Roaming })
        {
            return;
        }

        if (_tokens.Get(uid) is { Source: TokenSource.Roaming, Status: AuthorizationStatus.Accepted, ExpiryDate: null })
        {
            return;
        }

        // AskOwner: once the grant lapses, the next use asks the eMSP again instead of answering Expired for good.
        _tokens.UpsertRoaming(new TokenRecord { IdTag = uid, Status = AuthorizationStatus.Accepted, ExpiryDate = until, LastUpdated = DateTimeOffset.UtcNow, AskOwner = true });
    }

    private void Mirror(OcpiToken token)
    {
        string uid = token.Uid!;
        if (token.Whitelist is "ALWAYS" or "ALLOWED")
        {
            _tokens.UpsertRoaming(new TokenRecord
            {
                IdTag = uid,
                Status = token.Valid == true ? AuthorizationStatus.Accepted : AuthorizationStatus.Blocked,
                ParentIdTag = token.GroupId,
                LastUpdated = token.LastUpdated,
            });
        }
        else if (token.Valid != true)
        {
            // An invalidated token loses any START_SESSION grant at once.
            _tokens.UpsertRoaming(new TokenRecord { IdTag = uid, Status = AuthorizationStatus.Blocked, LastUpdated = token.LastUpdated });
        }
        else if (!IsGrantInForce(_tokens.Get(uid)))
        {
            // Real-time authorization (§12.2.1.2); a START_SESSION grant in force is kept until it lapses.
            _tokens.UpsertRoaming(new TokenRecord
            {
                IdTag = uid,
                Status = RealTimeAuthorizer.OfflineStatus(token),
                ParentIdTag = token.GroupId,
                LastUpdated = token.LastUpdated,
                AskOwner = true,
            });
        }
    }

    /// <summary>Whether <paramref name="token"/> is a START_SESSION grant that has not lapsed (a real-time answer never replaces it).</summary>
    internal static bool IsGrantInForce(TokenRecord? token) =>
        token is { Source: TokenSource.Roaming, Status: AuthorizationStatus.Accepted, ExpiryDate: { } until } && until > DateTimeOffset.UtcNow;

    /// <summary>Indexes <paramref name="stored"/> under its uid (the id is <c>{uid}/{type}</c>); later calls win.</summary>
    private void Index(StoredObject stored)
    {
        int slash = stored.Id.LastIndexOf('/');
        if (slash > 0)
        {
            _byUid[stored.Id[..slash]] = (stored.CountryCode, stored.PartyId, stored.Id);
        }
    }

    private static OcpiToken Deserialize(StoredObject stored) =>
        JsonSerializer.Deserialize(stored.Json, OcpiJsonContext.Default.OcpiToken)!;
}

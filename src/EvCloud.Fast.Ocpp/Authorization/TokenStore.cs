using System.Collections.Concurrent;
using System.Text;
using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>What authorizing a token produced: the status and the idTagInfo fields to send back.</summary>
public readonly struct AuthorizationResult
{
    /// <summary>Creates a result.</summary>
    public AuthorizationResult(AuthorizationStatus status, long expiryUnixMs, string? parentIdTag)
    {
        Status = status;
        ExpiryUnixMs = expiryUnixMs;
        ParentIdTag = parentIdTag;
    }

    /// <summary>The status to answer with.</summary>
    public AuthorizationStatus Status { get; }

    /// <summary>The token's expiry in Unix ms, or 0 when it has none.</summary>
    public long ExpiryUnixMs { get; }

    /// <summary>The token's parent (group) id tag.</summary>
    public string? ParentIdTag { get; }
}

/// <summary>
/// The local authorization store used by Authorize and transaction starts. Lookups take the id tag as UTF-8
/// bytes and allocate nothing (alternate-key lookup over a stack copy of the characters). It also counts
/// the open transactions per token, for ConcurrentTx.
/// </summary>
/// <remarks>
/// Tokens come from configuration (<c>Ocpp:Authorization:Tokens</c>, the seed) and from the API, which writes
/// them to the <c>tokens</c> document collection: a token written through the API overrides the configured one
/// with the same id tag, and deleting a configured token leaves a tombstone so it stays deleted after a restart.
/// </remarks>
public sealed class TokenStore
{
    /// <summary>Document collection of API-managed tokens.</summary>
    public const string Collection = "tokens";

    private readonly ConcurrentDictionary<string, TokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _openTransactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenRecord>.AlternateLookup<ReadOnlySpan<char>> _tokensBySpan;
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _openBySpan;
    private readonly HashSet<string> _configured = new(StringComparer.Ordinal);
    private readonly TokenOptions _options;
    private readonly StorageEngine? _storage;

    /// <summary>Creates an in-memory store seeded from configuration (nothing persists).</summary>
    public TokenStore(TokenOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates the store seeded from configuration, then the tokens written through the API.</summary>
    public TokenStore(TokenOptions options, StorageEngine? storage)
    {
        _options = options;
        _storage = storage;
        _tokensBySpan = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _openBySpan = _openTransactions.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (TokenRecord token in options.Tokens)
        {
            _configured.Add(token.IdTag);
            token.Source = TokenSource.Configuration;
            Upsert(token);
        }

        if (storage is not null)
        {
            foreach ((string idTag, byte[] value) in storage.Documents.List(Collection))
            {
                StoredToken stored = MessagePackSerializer.Deserialize<StoredToken>(value);
                if (stored.Deleted)
                {
                    _tokens.TryRemove(idTag, out _);
                }
                else
                {
                    Upsert(stored.ToRecord());
                }
            }
        }
    }

    /// <summary>Adds or replaces a token in memory only (configuration seeding and tests); see <see cref="SaveAsync"/>.</summary>
    public void Upsert(TokenRecord token) => _tokens[token.IdTag] = token;

    /// <summary>Removes a token from memory only.</summary>
    public bool Remove(string idTag) => _tokens.TryRemove(idTag, out _);

    /// <summary>
    /// Adds or replaces a roaming token in memory (its owner, the OCPI bridge, keeps it durably and calls this again at
    /// start). A configured or API token with the same id tag wins: the operator's own decision is never overridden by
    /// a partner. Returns whether the token is now served.
    /// </summary>
    public bool UpsertRoaming(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        token.Source = TokenSource.Roaming;
        while (true)
        {
            if (!_tokens.TryGetValue(token.IdTag, out TokenRecord? existing))
            {
                if (_tokens.TryAdd(token.IdTag, token))
                {
                    return true;
                }
            }
            else if (existing.Source != TokenSource.Roaming)
            {
                return false;
            }
            else if (_tokens.TryUpdate(token.IdTag, token, existing))
            {
                return true;
            }
        }
    }

    /// <summary>Removes a roaming token from memory; configured and API tokens are left alone.</summary>
    public bool RemoveRoaming(string idTag) =>
        _tokens.TryGetValue(idTag, out TokenRecord? existing) && existing.Source == TokenSource.Roaming
        && ((ICollection<KeyValuePair<string, TokenRecord>>)_tokens).Remove(new KeyValuePair<string, TokenRecord>(idTag, existing));

    /// <summary>
    /// Real-time authorization of roaming tokens (set by the OCPI bridge). Only consulted for tokens with
    /// <see cref="TokenRecord.AskOwner"/> and, when it asks for them, unknown tokens: local tokens never reach it.
    /// </summary>
    public IRealTimeAuthorizer? RealTime { get; set; }

    /// <summary>Every token.</summary>
    public IReadOnlyCollection<TokenRecord> All => (IReadOnlyCollection<TokenRecord>)_tokens.Values;

    /// <summary>The token with this id tag, if any.</summary>
    public TokenRecord? Get(string idTag) => _tokens.TryGetValue(idTag, out TokenRecord? token) ? token : null;

    /// <summary>Open transactions counted for this token.</summary>
    public int OpenTransactions(string idTag) => _openTransactions.TryGetValue(idTag, out int open) ? open : 0;

    /// <summary>Writes a token durably (it overrides a configured token with the same id tag), then serves it.</summary>
    public async ValueTask SaveAsync(TokenRecord token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        token.Source = TokenSource.Api;
        if (_storage is not null)
        {
            await _storage.PutDocumentAsync(Collection, token.IdTag, MessagePackSerializer.Serialize(StoredToken.From(token)), cancellationToken).ConfigureAwait(false);
        }

        Upsert(token);
    }

    /// <summary>Deletes a token durably; a configured token is shadowed by a tombstone so a restart does not bring it back.</summary>
    public async ValueTask<bool> DeleteAsync(string idTag, CancellationToken cancellationToken = default)
    {
        if (!_tokens.ContainsKey(idTag))
        {
            return false;
        }

        if (_storage is not null)
        {
            if (_configured.Contains(idTag))
            {
                var tombstone = new StoredToken { IdTag = idTag, Deleted = true, LastUpdatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
                await _storage.PutDocumentAsync(Collection, idTag, MessagePackSerializer.Serialize(tombstone), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _storage.DeleteDocumentAsync(Collection, idTag, cancellationToken).ConfigureAwait(false);
            }
        }

        return _tokens.TryRemove(idTag, out _);
    }

    /// <summary>
    /// Authorizes <paramref name="idTagUtf8"/> at <paramref name="nowUnixMs"/>. With
    /// <paramref name="forNewTransaction"/>, a token already in a transaction answers ConcurrentTx unless it
    /// may run several. A roaming token whose owner decides (<see cref="TokenRecord.AskOwner"/>) answers with the
    /// last answer held and has <see cref="RealTime"/> refresh it; <paramref name="chargerId"/> says where it is used.
    /// </summary>
    public AuthorizationResult Authorize(ReadOnlySpan<byte> idTagUtf8, long nowUnixMs, bool forNewTransaction = false, string? chargerId = null)
    {
        Span<char> chars = stackalloc char[64];
        ReadOnlySpan<char> idTag = Chars(idTagUtf8, chars);
        if (!_tokensBySpan.TryGetValue(idTag, out TokenRecord? token))
        {
            if (RealTime is { AsksForUnknownTokens: true } unknown && !idTag.IsEmpty)
            {
                _ = unknown.Ask(new string(idTag), chargerId);
            }

            return new AuthorizationResult(_options.UnknownTokens, 0, null);
        }

        if (token.AskOwner)
        {
            _ = RealTime?.Ask(token.IdTag, chargerId);
        }

        long expiry = token.ExpiryDate?.ToUnixTimeMilliseconds() ?? 0;
        AuthorizationStatus status = token.Status;
        if (status == AuthorizationStatus.Accepted && expiry != 0 && expiry <= nowUnixMs)
        {
            status = AuthorizationStatus.Expired;
        }

        if (status == AuthorizationStatus.Accepted
            && !(token.AllowConcurrentTransactions ?? _options.AllowConcurrentTransactions)
            && _openBySpan.TryGetValue(idTag, out int open) && open > 0)
        {
            // 1.6: ConcurrentTx is only meaningful when starting a transaction (StartTransaction.conf);
            // an Authorize for the token that is charging is how chargers stop, so it stays Accepted.
            if (forNewTransaction)
            {
                status = AuthorizationStatus.ConcurrentTx;
            }
        }

        return new AuthorizationResult(status, expiry, token.ParentIdTag);
    }

    /// <summary>
    /// Before a decision the token's owner makes online (an Authorize, a transaction start), and before the CALL changed
    /// anything: when the owner has to be asked and has not answered yet, throws
    /// <see cref="OwnerAnswerPendingException"/> so that the CALL is answered once it has (or could not be reached in
    /// time) instead of from the answer held. Nothing happens for tokens the store decides alone, when
    /// <paramref name="mayWait"/> is false (the CALL is already being handled again), or when the answer held is
    /// current; this path allocates nothing for local tokens.
    /// </summary>
    internal void AwaitOwner(ReadOnlySpan<byte> idTagUtf8, string? chargerId, bool mayWait)
    {
        if (!mayWait || RealTime is not { } realTime || idTagUtf8.IsEmpty)
        {
            return;
        }

        Span<char> chars = stackalloc char[64];
        ReadOnlySpan<char> idTag = Chars(idTagUtf8, chars);
        string key;
        if (_tokensBySpan.TryGetValue(idTag, out TokenRecord? token))
        {
            if (!token.AskOwner)
            {
                return;
            }

            key = token.IdTag;
        }
        else if (realTime.AsksForUnknownTokens)
        {
            key = new string(idTag);
        }
        else
        {
            return;
        }

        if (realTime.Ask(key, chargerId) is { IsCompleted: false } pending)
        {
            throw new OwnerAnswerPendingException(pending);
        }
    }

    /// <summary>The id tag's characters (at most 64 bytes of it) in <paramref name="buffer"/>: the key of the span lookups.</summary>
    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> idTagUtf8, Span<char> buffer) =>
        buffer[..Encoding.UTF8.GetChars(idTagUtf8[..Math.Min(idTagUtf8.Length, 64)], buffer)];

    /// <summary>Counts a transaction opened with this token.</summary>
    public void TransactionOpened(ReadOnlySpan<byte> idTagUtf8) => Adjust(idTagUtf8, +1);

    /// <summary>Counts a transaction closed for this token.</summary>
    public void TransactionClosed(ReadOnlySpan<byte> idTagUtf8) => Adjust(idTagUtf8, -1);

    private void Adjust(ReadOnlySpan<byte> idTagUtf8, int delta)
    {
        if (idTagUtf8.IsEmpty)
        {
            return;
        }

        Span<char> chars = stackalloc char[64];
        ReadOnlySpan<char> idTag = Chars(idTagUtf8, chars);
        while (true)
        {
            if (_openBySpan.TryGetValue(idTag, out string? key, out int current))
            {
                int next = Math.Max(0, current + delta);
                if (_openTransactions.TryUpdate(key, next, current))
                {
                    return;
                }
            }
            else if (delta < 0 || _openTransactions.TryAdd(new string(idTag), delta))
            {
                return;
            }
        }
    }
}

/// <summary>The persisted form of an API-managed token (MessagePack; keys are never renumbered).</summary>
[MessagePackObject]
public sealed class StoredToken
{
    [Key(0)]
    public string IdTag { get; set; } = "";

    [Key(1)]
    public byte Status { get; set; }

    [Key(2)]
    public long? ExpiryUnixMs { get; set; }

    [Key(3)]
    public string? ParentIdTag { get; set; }

    [Key(4)]
    public bool? AllowConcurrentTransactions { get; set; }

    [Key(5)]
    public bool Deleted { get; set; }

    [Key(6)]
    public long LastUpdatedMs { get; set; }

    internal static StoredToken From(TokenRecord token) => new()
    {
        IdTag = token.IdTag,
        Status = (byte)token.Status,
        ExpiryUnixMs = token.ExpiryDate?.ToUnixTimeMilliseconds(),
        ParentIdTag = token.ParentIdTag,
        AllowConcurrentTransactions = token.AllowConcurrentTransactions,
        LastUpdatedMs = (token.LastUpdated ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
    };

    internal TokenRecord ToRecord() => new()
    {
        IdTag = IdTag,
        Status = (AuthorizationStatus)Status,
        ExpiryDate = ExpiryUnixMs is { } expiry ? DateTimeOffset.FromUnixTimeMilliseconds(expiry) : null,
        ParentIdTag = ParentIdTag,
        AllowConcurrentTransactions = AllowConcurrentTransactions,
        LastUpdated = DateTimeOffset.FromUnixTimeMilliseconds(LastUpdatedMs),
        Source = TokenSource.Api,
    };
}

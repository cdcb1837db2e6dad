using System.Collections.Concurrent;
using System.Text;

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
public sealed class TokenStore
{
    private readonly ConcurrentDictionary<string, TokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _openTransactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenRecord>.AlternateLookup<ReadOnlySpan<char>> _tokensBySpan;
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _openBySpan;
    private readonly TokenOptions _options;

    /// <summary>Creates the store seeded from configuration.</summary>
    public TokenStore(TokenOptions options)
    {
        _options = options;
        _tokensBySpan = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _openBySpan = _openTransactions.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (TokenRecord token in options.Tokens)
        {
            Upsert(token);
        }
    }

    /// <summary>Adds or replaces a token.</summary>
    public void Upsert(TokenRecord token) => _tokens[token.IdTag] = token;

    /// <summary>Removes a token.</summary>
    public bool Remove(string idTag) => _tokens.TryRemove(idTag, out _);

    /// <summary>Every token.</summary>
    public IReadOnlyCollection<TokenRecord> All => (IReadOnlyCollection<TokenRecord>)_tokens.Values;

    /// <summary>
    /// Authorizes <paramref name="idTagUtf8"/> at <paramref name="nowUnixMs"/>. With
    /// <paramref name="forNewTransaction"/>, a token already in a transaction answers ConcurrentTx unless it
    /// may run several.
    /// </summary>
    public AuthorizationResult Authorize(ReadOnlySpan<byte> idTagUtf8, long nowUnixMs, bool forNewTransaction = false)
    {
        Span<char> chars = stackalloc char[64];
        int n = Encoding.UTF8.GetChars(idTagUtf8[..Math.Min(idTagUtf8.Length, 64)], chars);
        ReadOnlySpan<char> idTag = chars[..n];
        if (!_tokensBySpan.TryGetValue(idTag, out TokenRecord? token))
        {
            return new AuthorizationResult(_options.UnknownTokens, 0, null);
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
        int n = Encoding.UTF8.GetChars(idTagUtf8[..Math.Min(idTagUtf8.Length, 64)], chars);
        ReadOnlySpan<char> idTag = chars[..n];
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

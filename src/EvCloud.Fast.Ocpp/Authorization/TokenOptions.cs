namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>Local authorization (configuration section <c>Ocpp:Authorization</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>Answer for a token that is not in the store: <see cref="AuthorizationStatus.Invalid"/> (default) or Accepted for open sites.</summary>
    public AuthorizationStatus UnknownTokens { get; set; } = AuthorizationStatus.Invalid;

    /// <summary>Whether one token may run several transactions at once unless the token itself says otherwise.</summary>
    public bool AllowConcurrentTransactions { get; set; }

    /// <summary>Tokens seeded at start-up (the API manages the rest).</summary>
    public List<TokenRecord> Tokens { get; set; } = [];
}

/// <summary>A token in the local authorization store.</summary>
public sealed class TokenRecord
{
    /// <summary>The id tag / id token, as the charger reads it (case-sensitive, at most 36 characters).</summary>
    public string IdTag { get; set; } = "";

    /// <summary>Accepted, Blocked, Expired, Invalid…</summary>
    public AuthorizationStatus Status { get; set; } = AuthorizationStatus.Accepted;

    /// <summary>After this instant the token answers Expired.</summary>
    public DateTimeOffset? ExpiryDate { get; set; }

    /// <summary>Group (parent) id tag, returned to the charger so it can stop other group members' transactions.</summary>
    public string? ParentIdTag { get; set; }

    /// <summary>Overrides <see cref="TokenOptions.AllowConcurrentTransactions"/> for this token.</summary>
    public bool? AllowConcurrentTransactions { get; set; }

    /// <summary>When the token was last written through the API; null for configured tokens.</summary>
    public DateTimeOffset? LastUpdated { get; set; }

    /// <summary>Where the token comes from.</summary>
    public TokenSource Source { get; set; } = TokenSource.Configuration;

    /// <summary>
    /// A roaming token its owner authorizes in real time: <see cref="Status"/> is the last answer (or the offline
    /// fallback), and each use asks <see cref="TokenStore.RealTime"/> to refresh it in the background.
    /// </summary>
    public bool AskOwner { get; set; }
}

/// <summary>Where a token in the local store comes from.</summary>
public enum TokenSource
{
    /// <summary><c>Ocpp:Authorization:Tokens</c>.</summary>
    Configuration,

    /// <summary>Written through the API (overrides a configured token with the same id tag).</summary>
    Api,

    /// <summary>
    /// A roaming partner's token (OCPI Tokens module). Kept durably by the OCPI bridge, which loads it here at start;
    /// never overrides a configured or API token with the same id tag.
    /// </summary>
    Roaming,
}

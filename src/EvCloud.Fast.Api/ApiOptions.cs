namespace EvCloud.Fast.Api;

/// <summary>The unified application API (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>API keys accepted besides the ones created through <c>POST /api/v1/api-keys</c>.</summary>
    public List<ConfiguredApiKey> Keys { get; set; } = [];

    /// <summary>
    /// When no key exists at all (none configured, none created), create one admin key at start and write it once to
    /// the log, so a fresh install can be used without editing configuration. Only its hash is stored.
    /// </summary>
    public bool CreateBootstrapKey { get; set; } = true;

    /// <summary>How long a queued command waits for its charger when the caller gives no <c>ttl</c>.</summary>
    public TimeSpan DefaultCommandTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest <c>ttl</c> a caller may ask for.</summary>
    public TimeSpan MaxCommandTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Comment line sent on an idle event stream so proxies keep it open.</summary>
    public TimeSpan EventStreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The largest page a list endpoint returns.</summary>
    public int MaxPageSize { get; set; } = 1000;
}

/// <summary>An API key from configuration: its name, role and SHA-256 hash (never the key itself).</summary>
public sealed class ConfiguredApiKey
{
    /// <summary>Who uses the key (shown in the audit trail of commands).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>sha256:</c> followed by the lower-case hex SHA-256 of the key (see the <c>hash-api-key</c> command).</summary>
    public string Hash { get; set; } = "";

    /// <summary>What the key may do.</summary>
    public ApiRole Role { get; set; } = ApiRole.Reader;
}

/// <summary>What an API key may do; each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Read chargers, transactions, tokens, commands and the event stream.</summary>
    Reader = 0,

    /// <summary>Also send commands to chargers and manage tokens.</summary>
    Operator = 1,

    /// <summary>Also manage charger registrations, charger credentials and API keys.</summary>
    Admin = 2,
}

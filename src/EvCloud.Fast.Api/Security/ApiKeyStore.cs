using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EvCloud.Fast.Storage;
using MessagePack;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Api.Security;

/// <summary>An API key as the server knows it: never the key, only its SHA-256.</summary>
[MessagePackObject]
public sealed class ApiKeyRecord
{
    /// <summary>Stable id (also the document key), shown in listings.</summary>
    [Key(0)]
    public string Id { get; set; } = "";

    /// <summary>Who uses the key; recorded as the source of the commands it sends.</summary>
    [Key(1)]
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    [Key(2)]
    public string Sha256 { get; set; } = "";

    /// <summary>What the key may do.</summary>
    [Key(3)]
    public ApiRole Role { get; set; }

    /// <summary>Creation time (Unix ms); 0 for configured keys.</summary>
    [Key(4)]
    public long CreatedUnixMs { get; set; }

    /// <summary>Whether the key comes from configuration (it cannot be deleted through the API).</summary>
    [IgnoreMember]
    public bool Configured { get; set; }
}

/// <summary>
/// The API keys: configured ones (<c>Api:Keys</c>, hashes only) and ones created through the API (the
/// <c>api-keys</c> document collection, hashes only). A presented key is hashed and looked up; keys are
/// 256-bit random strings, so a plain SHA-256 is the right hash (no password stretching needed) and the lookup
/// by hash leaks nothing usable through timing.
/// </summary>
public sealed partial class ApiKeyStore
{
    /// <summary>Document collection of keys created through the API.</summary>
    public const string Collection = "api-keys";

    /// <summary>Prefix of keys this server creates, so secret scanners can recognise them.</summary>
    public const string KeyPrefix = "evc_";

    private readonly ConcurrentDictionary<string, ApiKeyRecord> _byHash = new(StringComparer.Ordinal);
    private readonly StorageEngine _storage;

    /// <summary>Loads the configured keys and the ones created so far.</summary>
    public ApiKeyStore(ApiOptions options, StorageEngine storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        foreach (ConfiguredApiKey key in options.Keys)
        {
            if (!TryParseHash(key.Hash, out string? hex))
            {
                throw new InvalidOperationException($"Api:Keys entry '{key.Name}' needs Hash = \"sha256:<64 hex digits>\" (run EvCloud.Fast.Host hash-api-key <key>).");
            }

            _byHash[hex] = new ApiKeyRecord { Id = "config:" + key.Name, Name = key.Name, Sha256 = hex, Role = key.Role, Configured = true };
        }

        foreach ((_, byte[] value) in storage.Documents.List(Collection))
        {
            ApiKeyRecord record = MessagePackSerializer.Deserialize<ApiKeyRecord>(value);
            _byHash[record.Sha256] = record;
        }
    }

    /// <summary>Number of keys.</summary>
    public int Count => _byHash.Count;

    /// <summary>Every key (hashes included, never the keys), ordered by name.</summary>
    public IReadOnlyList<ApiKeyRecord> All => [.. _byHash.Values.OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <summary>The key record for a presented key, if it is known.</summary>
    public ApiKeyRecord? Find(ReadOnlySpan<char> presentedKey)
    {
        if (presentedKey.IsEmpty || presentedKey.Length > 256)
        {
            return null;
        }

        return _byHash.TryGetValue(HashHex(presentedKey), out ApiKeyRecord? record) ? record : null;
    }

    /// <summary>Creates a key, stores its hash durably and returns the key: the only time it is visible.</summary>
    public async ValueTask<(ApiKeyRecord Record, string Key)> CreateAsync(string name, ApiRole role, CancellationToken cancellationToken = default)
    {
        string key = NewKey();
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid().ToString("N")[..16],
            Name = name,
            Sha256 = HashHex(key),
            Role = role,
            CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await _storage.PutDocumentAsync(Collection, record.Id, MessagePackSerializer.Serialize(record), cancellationToken).ConfigureAwait(false);
        _byHash[record.Sha256] = record;
        return (record, key);
    }

    /// <summary>Deletes a created key (configured keys are removed from configuration instead).</summary>
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ApiKeyRecord? record = _byHash.Values.FirstOrDefault(k => k.Id == id && !k.Configured);
        if (record is null)
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(Collection, id, cancellationToken).ConfigureAwait(false);
        return _byHash.TryRemove(record.Sha256, out _);
    }

    /// <summary>
    /// On a fresh install (no key configured or created) creates an admin key and logs it once, so the API can be
    /// tried at once; the log is the only place the key ever appears.
    /// </summary>
    public async ValueTask EnsureBootstrapKeyAsync(ApiOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.CreateBootstrapKey || !_byHash.IsEmpty)
        {
            return;
        }

        (_, string key) = await CreateAsync("bootstrap-admin", ApiRole.Admin, cancellationToken).ConfigureAwait(false);
        LogBootstrapKey(logger, key);
    }

    /// <summary>The configuration form of a key's hash: <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string ConfigurationHash(string key) => "sha256:" + HashHex(key);

    /// <summary>A new random key: the prefix and 32 random bytes in base64url.</summary>
    public static string NewKey() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string HashHex(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(256)];
        int length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    private static bool TryParseHash(string configured, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? hex)
    {
        hex = null;
        if (!configured.StartsWith("sha256:", StringComparison.Ordinal) || configured.Length != 7 + 64)
        {
            return false;
        }

        string digits = configured[7..].ToLowerInvariant();
        if (!digits.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hex = digits;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key existed, so an admin key was created. It is shown only this once; keep it and create others with POST /api/v1/api-keys: {ApiKey}")]
    private static partial void LogBootstrapKey(ILogger logger, string apiKey);
}

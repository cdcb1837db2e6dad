using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>The outcome of a password check; callers answer every non-<see cref="Valid"/> value the same way.</summary>
public enum CredentialCheck
{
    /// <summary>The password matches the charger's current (or, during a rotation, previous) password.</summary>
    Valid,

    /// <summary>No credential for this id (never set, or revoked). Costs the same slow hash as a wrong password.</summary>
    UnknownCharger,

    /// <summary>The password does not match.</summary>
    BadPassword,
}

/// <summary>
/// Charger security profiles and HTTP Basic credentials (OCPP 1.6 Security Whitepaper profiles 1/2, OCPP 2.0.1
/// Part 2 A00). Passwords are kept only as salted PBKDF2-SHA256 hashes. Configuration seeds the store; set, rotate,
/// revoke and profile changes at run time are written (hashes only) to <see cref="ChargerSecurityOptions.CredentialStorePath"/>
/// and win over the configuration from then on.
/// </summary>
/// <remarks>
/// Reconnect storms: a PBKDF2 verification costs milliseconds by design, so a successful one is remembered for
/// <see cref="ChargerSecurityOptions.VerificationCacheTime"/> as HMAC-SHA256(per-process random key, id, password)
/// (~4 µs to check). This is safe because (1) only a password the slow hash accepted is ever cached, so the cache
/// cannot accept anything the store would not; (2) wrong passwords and unknown ids are never cached and always pay
/// the full slow hash, so the cache offers no fast guessing oracle; (3) the key is random per process and the cache
/// lives only in memory, so nothing persisted or precomputed can match it; (4) an entry is tied to the exact
/// credential record it was verified against, so set / rotate / revoke invalidate it at once; (5) it holds one
/// entry per charger with a credential, so it cannot grow beyond the fleet.
/// </remarks>
public sealed partial class ChargerCredentialStore : IDisposable
{
    private readonly ChargerSecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ChargerCredentialStore> _logger;
    private readonly ConcurrentDictionary<string, ChargerCredential> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedVerification> _verified = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slowGate;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly PasswordHash _dummy;
    private readonly Lock _writeLock = new();
    private long _slowVerifications;

    /// <summary>Creates the store from <c>Ocpp:Security</c> and the run-time changes file, if any.</summary>
    public ChargerCredentialStore(ChargerSecurityOptions options, TimeProvider time, ILogger<ChargerCredentialStore> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        int slots = options.MaxConcurrentVerifications > 0 ? options.MaxConcurrentVerifications : Math.Max(1, Environment.ProcessorCount / 2);
        _slowGate = new SemaphoreSlim(slots, slots);

        // NOTE: unknown ids are checked against this hash so they cost what a wrong password costs.
        _dummy = PasswordHash.Create(RandomNumberGenerator.GetBytes(20), options.PasswordHashIterations);

        foreach ((string id, ChargerSecuritySettings settings) in options.Chargers)
        {
            _records[id] = FromConfiguration(id, settings);
        }

        foreach ((string id, ChargerCredential record) in CredentialFile.Load(options.CredentialStorePath))
        {
            _records[id] = record;
        }
    }

    /// <summary>Slow (PBKDF2) verifications done so far, dummy ones included.</summary>
    public long SlowVerifications => Interlocked.Read(ref _slowVerifications);

    /// <summary>
    /// The profile <paramref name="chargePointId"/> must connect with: its own, else the default; a charger that has
    /// (or had, and was revoked) a password needs at least profile 1 whatever the default.
    /// </summary>
    public SecurityProfile RequiredProfile(string chargePointId)
    {
        if (!_records.TryGetValue(chargePointId, out ChargerCredential? record))
        {
            return _options.DefaultProfile;
        }

        if (record.Profile is { } profile)
        {
            return profile;
        }

        return record.Current is not null || record.Revoked
            ? (SecurityProfile)Math.Max((int)_options.DefaultProfile, (int)SecurityProfile.Basic)
            : _options.DefaultProfile;
    }

    /// <summary>Whether the charger has a usable password.</summary>
    public bool HasPassword(string chargePointId) =>
        _records.TryGetValue(chargePointId, out ChargerCredential? record) && record.Current is not null;

    /// <summary>Sets (or clears, with null) the charger's own profile.</summary>
    public void SetProfile(string chargePointId, SecurityProfile? profile) =>
        Update(chargePointId, r => r with { Profile = profile });

    /// <summary>
    /// Sets a new password at once (the old one stops working): an OCPP 2.0.1 passwordString of 16–40 characters
    /// (at most 20 for a 1.6 charger, which is given its hexadecimal form as <c>AuthorizationKey</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The password breaks the specification's rules.</exception>
    public void SetPassword(string chargePointId, string password)
    {
        byte[] bytes = ValidatePassword(password);
        PasswordHash hash = PasswordHash.Create(bytes, _options.PasswordHashIterations);
        Update(chargePointId, r => r with { Current = hash, Previous = null, PreviousValidUntil = 0, Revoked = false });
    }

    /// <summary>Sets a new password from an OCPP 1.6 <c>AuthorizationKey</c> (16–20 bytes as 32–40 hexadecimal digits).</summary>
    /// <exception cref="ArgumentException">The key breaks the specification's rules.</exception>
    public void SetAuthorizationKey(string chargePointId, string hexKey)
    {
        if (!ChargerPasswordRules.TryDecodeAuthorizationKey(hexKey, out byte[] key, out string? error))
        {
            throw new ArgumentException(error, nameof(hexKey));
        }

        PasswordHash hash = PasswordHash.Create(key, _options.PasswordHashIterations);
        CryptographicOperations.ZeroMemory(key);
        Update(chargePointId, r => r with { Current = hash, Previous = null, PreviousValidUntil = 0, Revoked = false });
    }

    /// <summary>
    /// Rotates to <paramref name="newPassword"/> (or a generated one when null) and returns it. The previous password
    /// keeps working for <paramref name="previousValidFor"/>, the time the charger needs to receive the new one
    /// (1.6 ChangeConfiguration <c>AuthorizationKey</c>, 2.0.1 SetVariables <c>BasicAuthPassword</c>) and reconnect.
    /// </summary>
    public string RotatePassword(string chargePointId, string? newPassword = null, TimeSpan previousValidFor = default)
    {
        newPassword ??= ChargerPasswordRules.Generate();
        byte[] bytes = ValidatePassword(newPassword);
        PasswordHash hash = PasswordHash.Create(bytes, _options.PasswordHashIterations);
        long until = previousValidFor > TimeSpan.Zero ? _time.GetUtcNow().Add(previousValidFor).ToUnixTimeMilliseconds() : 0;
        Update(chargePointId, r => r with
        {
            Current = hash,
            Previous = until != 0 ? r.Current : null,
            PreviousValidUntil = until,
            Revoked = false,
        });
        return newPassword;
    }

    /// <summary>Revokes the charger's password: it can no longer connect (it still needs profile ≥ 1) until a new one is set.</summary>
    public bool Revoke(string chargePointId)
    {
        bool had = HasPassword(chargePointId);
        Update(chargePointId, r => r with { Current = null, Previous = null, PreviousValidUntil = 0, Revoked = true });
        return had;
    }

    /// <summary>
    /// Checks the password bytes a charger sent after <c>{id}:</c>. Unknown ids and wrong passwords both cost exactly one
    /// slow hash (two for a wrong password while a rotation's previous password is still valid); a password verified
    /// within <see cref="ChargerSecurityOptions.VerificationCacheTime"/> costs one HMAC.
    /// </summary>
    public async ValueTask<CredentialCheck> VerifyAsync(string chargePointId, ReadOnlyMemory<byte> password, CancellationToken cancellationToken = default)
    {
        _records.TryGetValue(chargePointId, out ChargerCredential? record);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        byte[]? mac = null;
        if (record?.Current is not null)
        {
            mac = CacheMac(chargePointId, password.Span);
            if (_verified.TryGetValue(chargePointId, out CachedVerification? cached)
                && ReferenceEquals(cached.Record, record)
                && now < cached.ExpiresUnixMs
                && (!cached.ViaPrevious || now < record.PreviousValidUntil)
                && CryptographicOperations.FixedTimeEquals(cached.Mac, mac))
            {
                return CredentialCheck.Valid;
            }
        }

        await _slowGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _slowVerifications);
            if (record?.Current is not { } current)
            {
                _dummy.Verify(password.Span);
                return CredentialCheck.UnknownCharger;
            }

            bool viaPrevious = false;
            bool ok = current.Verify(password.Span);
            if (!ok && record.Previous is { } previous && now < record.PreviousValidUntil)
            {
                ok = viaPrevious = previous.Verify(password.Span);
            }

            if (!ok)
            {
                return CredentialCheck.BadPassword;
            }

            _verified[chargePointId] = new CachedVerification(record, mac!, viaPrevious, now + (long)_options.VerificationCacheTime.TotalMilliseconds);
            return CredentialCheck.Valid;
        }
        finally
        {
            _slowGate.Release();
        }
    }

    /// <summary>One dummy slow hash, for refusals decided without a password check, so every refusal costs the same.</summary>
    public async ValueTask EqualizeAsync(CancellationToken cancellationToken = default)
    {
        await _slowGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _slowVerifications);
            _dummy.Verify("not-a-password"u8);
        }
        finally
        {
            _slowGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slowGate.Dispose();

    private static byte[] ValidatePassword(string password)
    {
        if (!ChargerPasswordRules.IsValidPassword(password, out string? error))
        {
            throw new ArgumentException(error, nameof(password));
        }

        return Encoding.ASCII.GetBytes(password);
    }

    private byte[] CacheMac(string chargePointId, ReadOnlySpan<byte> password)
    {
        byte[] input = new byte[Encoding.UTF8.GetByteCount(chargePointId) + 1 + password.Length];
        int n = Encoding.UTF8.GetBytes(chargePointId, input);
        password.CopyTo(input.AsSpan(n + 1));
        byte[] mac = HMACSHA256.HashData(_cacheKey, input);
        CryptographicOperations.ZeroMemory(input);
        return mac;
    }

    private void Update(string chargePointId, Func<ChargerCredential, ChargerCredential> change)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargePointId);
        lock (_writeLock)
        {
            ChargerCredential old = _records.TryGetValue(chargePointId, out ChargerCredential? existing) ? existing : ChargerCredential.Empty;
            _records[chargePointId] = change(old) with { RunTime = true };
            _verified.TryRemove(chargePointId, out _);
            CredentialFile.Save(_options.CredentialStorePath, _records);
        }

        LogCredentialChanged(_logger, chargePointId);
    }

    private ChargerCredential FromConfiguration(string id, ChargerSecuritySettings settings)
    {
        PasswordHash? hash = null;
        if (settings.PasswordHash is { Length: > 0 } text)
        {
            if (!PasswordHash.TryParse(text, out hash))
            {
                throw new InvalidOperationException($"Ocpp:Security:Chargers:{id}:PasswordHash is not a {PasswordHash.Scheme}$iterations$salt$hash string");
            }
        }
        else if (settings.Password is { Length: > 0 } password)
        {
            hash = PasswordHash.Create(ValidateConfigured(id, password), _options.PasswordHashIterations);
            LogPlainPassword(_logger, id);
        }

        return ChargerCredential.Empty with { Profile = settings.Profile, Current = hash };
    }

    private static byte[] ValidateConfigured(string id, string password)
    {
        if (!ChargerPasswordRules.IsValidPassword(password, out string? error))
        {
            throw new InvalidOperationException($"Ocpp:Security:Chargers:{id}:Password: {error}");
        }

        return Encoding.ASCII.GetBytes(password);
    }

    private sealed record CachedVerification(ChargerCredential Record, byte[] Mac, bool ViaPrevious, long ExpiresUnixMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential of charger {ChargePointId} changed")]
    private static partial void LogCredentialChanged(ILogger logger, string chargePointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger {ChargePointId} has a plain Password in the configuration; use PasswordHash or set it at run time once bootstrapped")]
    private static partial void LogPlainPassword(ILogger logger, string chargePointId);
}

/// <summary>One charger's profile and password hashes; immutable, replaced as a whole on every change.</summary>
internal sealed record ChargerCredential(SecurityProfile? Profile, PasswordHash? Current, PasswordHash? Previous, long PreviousValidUntil, bool Revoked, bool RunTime)
{
    public static readonly ChargerCredential Empty = new(null, null, null, 0, false, false);
}

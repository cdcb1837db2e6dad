using System.Collections.Concurrent;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpp.Authorization;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>The last real-time answer for a token: who gave it, what it was, when (Unix ms).</summary>
public sealed record RealTimeAnswer(string PartnerId, AuthorizationInfo Info, long AtMs);

/// <summary>
/// CPO side of real-time authorization (OCPI 2.2.1 §12.2.1.2 <c>POST {tokens}/{token_uid}/authorize</c>, §12.4.5
/// WhitelistType): a token an eMSP pushed with whitelist ALLOWED_OFFLINE or NEVER — and, with
/// <c>Ocpi:RealTimeAuthorization=true</c>, a token we do not know at all — is authorized by asking its eMSP, with the
/// LocationReferences of the charger it is used at.
/// </summary>
/// <remarks>
/// <para>An Authorize or a transaction start with such a token waits for the eMSP's answer (the charger's CALL is
/// answered when it arrives, see <see cref="IRealTimeAuthorizer"/>), at most <see cref="OcpiOptions.RealTimeAuthorizationWait"/>;
/// the answer is kept in the <see cref="TokenStore"/> (ALLOWED → Accepted, BLOCKED and NO_CREDIT → Blocked, EXPIRED →
/// Expired, NOT_ALLOWED → Invalid) and stands for <see cref="OcpiOptions.RealTimeAnswerReuse"/>, so the transaction
/// start that follows an Authorize does not ask again. When the eMSP cannot be reached in time, the whitelist decides:
/// ALLOWED_OFFLINE — "whitelist only allowed when the CPO cannot reach the eMSP" — answers Accepted for a valid token;
/// NEVER — "always has to be authorized online" — answers Invalid. One request per token at a time.</para>
/// <para>An unknown token is asked of every registered eMSP in turn (HTTP 404 / 2004 "Unknown Token" moves on to the
/// next); only an answer from an eMSP that knows the token is cached, so random tags do not grow the store.</para>
/// <para>The answer's <c>authorization_reference</c> is kept (<see cref="Answer"/>) for the session and CDR of a
/// transaction the token starts (§9.3.1, §10.3.1).</para>
/// </remarks>
public sealed partial class RealTimeAuthorizer : IRealTimeAuthorizer
{
    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly RoamingTokenStore _roamingTokens;
    private readonly TokenStore _tokens;
    private readonly LocationCatalog _locations;
    private readonly OcpiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RealTimeAuthorizer> _logger;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _askedMs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RealTimeAnswer> _answers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the authorizer.</summary>
    public RealTimeAuthorizer(
        PartnerRegistry partners, OcpiClient client, RoamingTokenStore roamingTokens, TokenStore tokens, LocationCatalog locations, OcpiOptions options, TimeProvider time, ILogger<RealTimeAuthorizer> logger)
    {
        _partners = partners;
        _client = client;
        _roamingTokens = roamingTokens;
        _tokens = tokens;
        _locations = locations;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public bool AsksForUnknownTokens => _options.RealTimeAuthorization;

    /// <inheritdoc />
    public Task? Ask(string idTag, string? chargerId)
    {
        ArgumentNullException.ThrowIfNull(idTag);

        // A START_SESSION grant (§13.1) or the operator's own token decides without the eMSP.
        if (_tokens.Get(idTag) is { } current && (current.Source != TokenSource.Roaming || RoamingTokenStore.IsGrantInForce(current)))
        {
            return null;
        }

        if (_askedMs.TryGetValue(idTag, out long askedMs) && _time.GetUtcNow().ToUnixTimeMilliseconds() - askedMs < (long)_options.RealTimeAnswerReuse.TotalMilliseconds)
        {
            return null;
        }

        Task run = _inFlight.TryGetValue(idTag, out Task? running) ? running : Start(idTag, chargerId);
        return run.IsCompleted ? null : Task.WhenAny(run, Task.Delay(_options.RealTimeAuthorizationWait, _time));
    }

    /// <summary>The last answer an eMSP gave for <paramref name="uid"/>, if any.</summary>
    public RealTimeAnswer? Answer(string uid) => _answers.TryGetValue(uid, out RealTimeAnswer? answer) ? answer : null;

    /// <summary>The request running for <paramref name="uid"/>, if any (tests and the admin view await it).</summary>
    public Task? Pending(string uid) => _inFlight.TryGetValue(uid, out Task? task) ? task : null;

    /// <summary>Whether OCPP's answer before and without the eMSP is Accepted (§12.4.5).</summary>
    public static AuthorizationStatus OfflineStatus(OcpiToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Valid != true ? AuthorizationStatus.Blocked : token.Whitelist == "ALLOWED_OFFLINE" ? AuthorizationStatus.Accepted : AuthorizationStatus.Invalid;
    }

    /// <summary>AllowedType (§12.4.1) → OCPP authorization status.</summary>
    public static AuthorizationStatus ToOcpp(string? allowed) => allowed switch
    {
        "ALLOWED" => AuthorizationStatus.Accepted,
        "BLOCKED" or "NO_CREDIT" => AuthorizationStatus.Blocked,
        "EXPIRED" => AuthorizationStatus.Expired,
        _ => AuthorizationStatus.Invalid,
    };

    private Task Start(string uid, string? chargerId)
    {
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(uid, run.Task))
        {
            return _inFlight.TryGetValue(uid, out Task? other) ? other : Task.CompletedTask;
        }

        // NOTE: off the OCPP receive loop: the charger's connection waits on the task, not on this thread.
        _ = Task.Run(async () =>
        {
            try
            {
                await AskAsync(uid, chargerId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                LogFailed(_logger, uid, error);
            }
            finally
            {
                Asked(uid);
                _inFlight.TryRemove(uid, out _);
                run.TrySetResult();
            }
        });
        return run.Task;
    }

    /// <summary>Remembers when <paramref name="uid"/> was last asked; forgets entries past the reuse window now and then.</summary>
    private void Asked(string uid)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _askedMs[uid] = now;
        if (_askedMs.Count > 10_000)
        {
            long stale = now - (long)_options.RealTimeAnswerReuse.TotalMilliseconds;
            foreach ((string key, long at) in _askedMs)
            {
                if (at < stale)
                {
                    _askedMs.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>
    /// Asks the owning eMSP (or, for an unknown token, each eMSP) and caches the answer in the token store; returns
    /// the answer, or null when no eMSP answered for the token.
    /// </summary>
    public async Task<AuthorizationInfo?> AskAsync(string uid, string? chargerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uid);
        (OcpiToken Token, string PartnerId)? known = _roamingTokens.FindByUid(uid);
        if (known is { Token.Whitelist: "ALWAYS" or "ALLOWED" })
        {
            return null;
        }

        List<(OcpiPartner Partner, string Type)> candidates = known is { } k
            ? _partners.Get(k.PartnerId) is { Registered: true } owner ? [(owner, k.Token.Type ?? "RFID")] : []
            : [.. _partners.Registered.Where(p => p.HasRole("EMSP")).OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => (p, "RFID"))];
        LocationReferences? where = References(chargerId);
        foreach ((OcpiPartner partner, string type) in candidates)
        {
            if (partner.EndpointUrl("tokens", "SENDER") is not { } endpoint)
            {
                continue;
            }

            string url = endpoint.TrimEnd('/') + "/" + Uri.EscapeDataString(uid) + "/authorize?type=" + Uri.EscapeDataString(type);
            OcpiClientResponse<AuthorizationInfo> answer = where is null
                ? await _client.SendAsync(OcpiTarget.For(partner, "EMSP"), HttpMethod.Post, url, null, OcpiJsonContext.Default.AuthorizationInfo, routed: true, cancellationToken).ConfigureAwait(false)
                : await _client.SendAsync(OcpiTarget.For(partner, "EMSP"), HttpMethod.Post, url, where, OcpiJsonContext.Default.LocationReferences, OcpiJsonContext.Default.AuthorizationInfo, routed: true, cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess && answer.Data is { Allowed.Length: > 0 } info)
            {
                _answers[uid] = new RealTimeAnswer(partner.Id, info, _time.GetUtcNow().ToUnixTimeMilliseconds());
                Cache(uid, ToOcpp(info.Allowed));
                return info;
            }

            if (answer.HttpStatus == 404 || answer.StatusCode == OcpiStatus.UnknownToken)
            {
                continue;
            }

            // Unreachable (or answering nonsense): the whitelist decides (§12.4.5).
            LogUnreachable(_logger, uid, partner.Id, answer.HttpStatus, answer.StatusCode, answer.Message);
            if (known is { } offline)
            {
                Cache(uid, OfflineStatus(offline.Token));
            }

            return null;
        }

        return null;
    }

    private void Cache(string uid, AuthorizationStatus status)
    {
        // A START_SESSION grant (§13.1) or the operator's own token is not overridden by a real-time answer.
        if (_tokens.Get(uid) is { } current && (current.Source != TokenSource.Roaming || RoamingTokenStore.IsGrantInForce(current)))
        {
            return;
        }

        _tokens.UpsertRoaming(new TokenRecord { IdTag = uid, Status = status, AskOwner = true, LastUpdated = _time.GetUtcNow() });
    }

    /// <summary>LocationReferences (§12.4.3) of the charger: the first published location with EVSEs on it, and those EVSEs.</summary>
    private LocationReferences? References(string? chargerId)
    {
        if (chargerId is null)
        {
            return null;
        }

        foreach (LocationConfiguration location in _locations.Configured)
        {
            List<string> evses = [.. location.Evses.Where(e => string.Equals(e.ChargePointId, chargerId, StringComparison.Ordinal)).Select(e => e.Uid)];
            if (location.Publish && evses.Count > 0)
            {
                return new LocationReferences { LocationId = location.Id, EvseUids = evses };
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI real-time authorization of {Uid} at {PartnerId} failed (HTTP {HttpStatus}, OCPI {StatusCode}: {Message}); the whitelist decides")]
    private static partial void LogUnreachable(ILogger logger, string uid, string partnerId, int httpStatus, int statusCode, string? message);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCPI real-time authorization of {Uid} failed")]
    private static partial void LogFailed(ILogger logger, string uid, Exception error);
}

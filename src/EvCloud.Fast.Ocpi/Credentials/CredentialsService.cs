using System.Net;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Credentials;

/// <summary>The outcome of a credentials operation: the partner on success, else the OCPI status and why.</summary>
/// <param name="Partner">The stored partner after the operation.</param>
/// <param name="StatusCode">1000, or 3001/3002/3003/2001.</param>
/// <param name="Message">Why it failed.</param>
public sealed record CredentialsOutcome(OcpiPartner? Partner, int StatusCode, string? Message)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Succeeded => StatusCode == OcpiStatus.Success;

    internal static CredentialsOutcome Fail(int statusCode, string message) => new(null, statusCode, message);
}

/// <summary>
/// The credentials module's logic in both directions (OCPI 2.2.1 §7): being registered by a partner that holds a
/// token A we issued (POST/PUT/DELETE on our endpoint), and registering with a partner whose versions URL and token A
/// we were given (we POST/PUT/DELETE on theirs).
/// </summary>
public sealed partial class CredentialsService
{
    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly OcpiOptions _options;
    private readonly OcpiUrls _urls;
    private readonly ILogger<CredentialsService> _logger;

    /// <summary>Creates the service.</summary>
    public CredentialsService(PartnerRegistry partners, OcpiClient client, OcpiOptions options, OcpiUrls urls, ILogger<CredentialsService> logger)
    {
        _partners = partners;
        _client = client;
        _options = options;
        _urls = urls;
        _logger = logger;
    }

    /// <summary>Our 2.2.1 credentials object carrying <paramref name="token"/>: one role per configured role, same party.</summary>
    public Credentials221 Ours221(HttpContext? context, string token) => new()
    {
        Token = token,
        Url = _urls.Versions(context),
        Roles = [.. _options.Roles.Select(role => new CredentialsRole
        {
            Role = role.ToUpperInvariant(),
            BusinessDetails = new BusinessDetails { Name = _options.BusinessName, Website = _options.Website },
            PartyId = _options.PartyId,
            CountryCode = _options.CountryCode,
        })],
    };

    /// <summary>Our 2.1.1 credentials object.</summary>
    public Credentials211 Ours211(HttpContext? context, string token) => new()
    {
        Token = token,
        Url = _urls.Versions(context),
        BusinessDetails = new BusinessDetails { Name = _options.BusinessName, Website = _options.Website },
        PartyId = _options.PartyId,
        CountryCode = _options.CountryCode,
    };

    /// <summary>
    /// A partner POSTs (or PUTs) its credentials to our endpoint of <paramref name="version"/> (§7.2.2/§7.2.3): fetch its
    /// versions and endpoints with the token it sent (3001 when that fails, 3002 when it lacks this version), then issue
    /// our token for it. Returns the token to answer with.
    /// </summary>
    public async Task<(CredentialsOutcome Outcome, string? IssuedToken)> AcceptAsync(
        OcpiCaller caller, OcpiVersionNumber version, string theirToken, string theirVersionsUrl, List<PartnerRole> roles, CancellationToken cancellationToken)
    {
        // Parties first: a claim outside the binding or on another partner's party is refused before we call back.
        if (RefuseParties(caller.Partner, roles) is { } refused)
        {
            return (refused, null);
        }

        OcpiPartner partner = caller.Partner.Copy();
        TokenEncoding encoding = partner.TokenEncodingFixed ? partner.TokenEncoding : caller.Encoding;
        (CredentialsOutcome? failure, List<PartnerEndpoint>? endpoints, TokenEncoding used) =
            await FetchEndpointsAsync(theirVersionsUrl, theirToken, encoding, !partner.TokenEncodingFixed, version, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (failure, null);
        }

        string issued = NewUniqueToken();
        partner.Version = version;
        partner.VersionsUrl = theirVersionsUrl;
        partner.Endpoints = endpoints!;
        partner.Roles = roles;
        partner.OutgoingToken = theirToken;
        partner.TokenEncoding = used;
        partner.TokenAHash = null;
        partner.TokenHash = CredentialsTokenHeader.Hash(issued);
        partner.Registered = true;
        partner.RegisteredByUs = false;
        try
        {
            await _partners.SaveAsync(partner, cancellationToken).ConfigureAwait(false);
        }
        catch (PartyConflictException e)
        {
            // Another handshake took the party while we were calling this partner back.
            LogPartyRefused(_logger, partner.Id, e.Message);
            return (CredentialsOutcome.Fail(OcpiStatus.InvalidParameters, e.Message), null);
        }

        LogRegistered(_logger, partner.Id, OcpiVersions.Name(version), "them");
        return (new CredentialsOutcome(partner, OcpiStatus.Success, null), issued);
    }

    /// <summary>A partner DELETEs its credentials (§7.2.4): it is unregistered; its record stays, without tokens, for the operator.</summary>
    public async Task UnregisteredByPartnerAsync(OcpiPartner partner, CancellationToken cancellationToken)
    {
        OcpiPartner copy = partner.Copy();
        copy.Registered = false;
        copy.TokenHash = null;
        copy.TokenAHash = null;
        copy.OutgoingToken = null;
        copy.Endpoints = [];
        await _partners.SaveAsync(copy, cancellationToken).ConfigureAwait(false);
        LogUnregistered(_logger, partner.Id);
    }

    /// <summary>
    /// We register with a partner (we are the credentials Sender, §7.1.1): GET its versions with its token A, pick the
    /// highest version we share (or <paramref name="wanted"/>), GET the details, then POST our credentials with a new
    /// token B; its answer's token C is what we use from then on.
    /// </summary>
    public async Task<CredentialsOutcome> RegisterAsync(
        string partnerId, string versionsUrl, string tokenA, TokenEncoding? encoding, OcpiVersionNumber wanted, HttpContext? context, CancellationToken cancellationToken)
    {
        if (_partners.Get(partnerId) is { Registered: true })
        {
            return CredentialsOutcome.Fail(OcpiStatus.ClientError, $"Partner '{partnerId}' is already registered; update or delete it first.");
        }

        (CredentialsOutcome? failure, OcpiVersionNumber version, List<PartnerEndpoint>? endpoints, TokenEncoding used) =
            await DiscoverAsync(versionsUrl, tokenA, encoding ?? TokenEncoding.Base64, encoding is null, wanted, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        string? credentialsUrl = endpoints!.Find(e => e.Identifier == "credentials")?.Url;
        if (credentialsUrl is null)
        {
            return CredentialsOutcome.Fail(OcpiStatus.NoMatchingEndpoints, "The partner lists no credentials endpoint.");
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        OcpiPartner partner = _partners.Get(partnerId)?.Copy() ?? new OcpiPartner { Id = partnerId, CreatedMs = now };
        string tokenB = NewUniqueToken();
        partner.Version = version;
        partner.VersionsUrl = versionsUrl;
        partner.Endpoints = endpoints;
        partner.TokenEncoding = used;
        partner.TokenEncodingFixed = encoding is not null;
        partner.TokenHash = CredentialsTokenHeader.Hash(tokenB);
        partner.Registered = false;

        // Token B must work before the POST: the partner fetches our versions and endpoints with it while answering.
        await _partners.SaveAsync(partner, cancellationToken).ConfigureAwait(false);
        (CredentialsOutcome outcome, string? tokenC, List<PartnerRole>? roles) =
            await PostCredentialsAsync(HttpMethod.Post, credentialsUrl, new OcpiTarget(tokenA, used, version, null) { Partner = partner }, tokenB, context, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            partner.TokenHash = null;
            await _partners.SaveAsync(partner, CancellationToken.None).ConfigureAwait(false);
            return outcome;
        }

        // NOTE: a copy: the registry serves the instance saved above, and SaveAsync raises PartnerRegistered only when
        // the record it replaces was not registered (the Locations initial sync hangs on that event).
        OcpiPartner pending = partner;
        partner = partner.Copy();
        partner.OutgoingToken = tokenC;
        partner.Roles = roles!;
        partner.Registered = true;
        partner.RegisteredByUs = true;
        try
        {
            await _partners.SaveAsync(partner, cancellationToken).ConfigureAwait(false);
        }
        catch (PartyConflictException e)
        {
            // The partner answered with a party another partner holds: stay unregistered, and let token B die with it.
            LogPartyRefused(_logger, partner.Id, e.Message);
            OcpiPartner failed = pending.Copy();
            failed.TokenHash = null;
            await _partners.SaveAsync(failed, CancellationToken.None).ConfigureAwait(false);
            return CredentialsOutcome.Fail(OcpiStatus.InvalidParameters, "The partner's credentials claim a party held by another partner: " + e.Message);
        }

        LogRegistered(_logger, partner.Id, OcpiVersions.Name(version), "us");
        return new CredentialsOutcome(partner, OcpiStatus.Success, null);
    }

    /// <summary>
    /// We update our registration (§7.1.2–§7.1.4): re-discover the partner's versions, move to the highest shared
    /// version, and PUT new credentials with a fresh token; the partner answers with its new token for us.
    /// </summary>
    public async Task<CredentialsOutcome> UpdateAsync(OcpiPartner current, HttpContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!current.Registered || current.OutgoingToken is null || current.VersionsUrl is null)
        {
            return CredentialsOutcome.Fail(OcpiStatus.ClientError, $"Partner '{current.Id}' is not registered.");
        }

        (CredentialsOutcome? failure, OcpiVersionNumber version, List<PartnerEndpoint>? endpoints, TokenEncoding used) =
            await DiscoverAsync(current.VersionsUrl, current.OutgoingToken, current.TokenEncoding, !current.TokenEncodingFixed, OcpiVersionNumber.None, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        string? credentialsUrl = endpoints!.Find(e => e.Identifier == "credentials")?.Url;
        if (credentialsUrl is null)
        {
            return CredentialsOutcome.Fail(OcpiStatus.NoMatchingEndpoints, "The partner lists no credentials endpoint.");
        }

        OcpiPartner partner = current.Copy();
        string newToken = NewUniqueToken();
        partner.TokenHash = CredentialsTokenHeader.Hash(newToken);
        partner.Version = version;
        partner.Endpoints = endpoints;
        partner.TokenEncoding = used;
        await _partners.SaveAsync(partner, cancellationToken).ConfigureAwait(false);
        (CredentialsOutcome outcome, string? theirToken, List<PartnerRole>? roles) =
            await PostCredentialsAsync(HttpMethod.Put, credentialsUrl, new OcpiTarget(current.OutgoingToken, used, version, null) { Partner = partner }, newToken, context, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            await _partners.SaveAsync(current.Copy(), CancellationToken.None).ConfigureAwait(false);
            return outcome;
        }

        partner.OutgoingToken = theirToken;
        partner.Roles = roles!;
        try
        {
            await _partners.SaveAsync(partner, cancellationToken).ConfigureAwait(false);
        }
        catch (PartyConflictException e)
        {
            // The partner now claims another partner's party: keep the token it just gave us, and its old roles.
            LogPartyRefused(_logger, partner.Id, e.Message);
            partner.Roles = [.. current.Roles];
            await _partners.SaveAsync(partner, CancellationToken.None).ConfigureAwait(false);
            return CredentialsOutcome.Fail(OcpiStatus.InvalidParameters, "The partner's credentials claim a party held by another partner: " + e.Message);
        }

        return new CredentialsOutcome(partner, OcpiStatus.Success, null);
    }

    /// <summary>We unregister (§7.2.4 on their side): DELETE on their credentials endpoint, then forget the partner.</summary>
    public async Task<CredentialsOutcome> UnregisterAsync(OcpiPartner partner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        int status = OcpiStatus.Success;
        string? message = null;
        if (partner.Registered && partner.OutgoingToken is not null && partner.EndpointUrl("credentials", null) is { } url)
        {
            OcpiClientResponse<System.Text.Json.JsonElement> response = await _client.SendAsync(
                OcpiTarget.For(partner), HttpMethod.Delete, url, null, OcpiJsonContext.Default.JsonElement, routed: false, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess && response.HttpStatus != (int)HttpStatusCode.MethodNotAllowed)
            {
                // Forget the partner anyway: it may be gone for good. The operator sees why in the answer.
                status = OcpiStatus.UnableToUseClientApi;
                message = $"The partner answered DELETE with HTTP {response.HttpStatus} / {response.StatusCode}: {response.Message}";
            }
        }

        await _partners.DeleteAsync(partner.Id, cancellationToken).ConfigureAwait(false);
        LogUnregistered(_logger, partner.Id);
        return new CredentialsOutcome(partner, status, message);
    }

    private async Task<(CredentialsOutcome Outcome, string? Token, List<PartnerRole>? Roles)> PostCredentialsAsync(
        HttpMethod method, string url, OcpiTarget target, string ourToken, HttpContext? context, CancellationToken cancellationToken)
    {
        string? token;
        List<PartnerRole>? roles;
        OcpiClientResponse<object> status;
        if (target.Version == OcpiVersionNumber.V221)
        {
            OcpiClientResponse<Credentials221> response = await _client.SendAsync(
                target, method, url, Ours221(context, ourToken), OcpiJsonContext.Default.Credentials221, OcpiJsonContext.Default.Credentials221, routed: false, cancellationToken).ConfigureAwait(false);
            status = new OcpiClientResponse<object>(response.HttpStatus, response.StatusCode, response.Message, null);
            token = response.Data?.Token;
            roles = response.Data is { } data ? CredentialsValidation.Roles(data, out _) : null;
        }
        else
        {
            OcpiClientResponse<Credentials211> response = await _client.SendAsync(
                target, method, url, Ours211(context, ourToken), OcpiJsonContext.Default.Credentials211, OcpiJsonContext.Default.Credentials211, routed: false, cancellationToken).ConfigureAwait(false);
            status = new OcpiClientResponse<object>(response.HttpStatus, response.StatusCode, response.Message, null);
            token = response.Data?.Token;
            roles = response.Data is { } data ? CredentialsValidation.Roles(data, out _) : null;
        }

        if (!status.IsSuccess)
        {
            return (CredentialsOutcome.Fail(status.StatusCode is >= 2000 ? status.StatusCode : OcpiStatus.UnableToUseClientApi,
                $"The partner answered {method.Method} credentials with HTTP {status.HttpStatus} / {status.StatusCode}: {status.Message}"), null, null);
        }

        if (!CredentialsTokenHeader.IsValidToken(token) || roles is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnableToUseClientApi, "The partner's credentials answer lacks a valid token or roles."), null, null);
        }

        return (new CredentialsOutcome(null, OcpiStatus.Success, null), token, roles);
    }

    /// <summary>GET versions (retrying the other token encoding on 401 when allowed), choose a version, GET its details.</summary>
    private async Task<(CredentialsOutcome? Failure, OcpiVersionNumber Version, List<PartnerEndpoint>? Endpoints, TokenEncoding Used)> DiscoverAsync(
        string versionsUrl, string token, TokenEncoding encoding, bool mayTryOther, OcpiVersionNumber wanted, CancellationToken cancellationToken)
    {
        (OcpiClientResponse<List<OcpiVersion>> versions, TokenEncoding used) = await GetWithEncodingAsync(
            versionsUrl, token, encoding, mayTryOther, OcpiJsonContext.Default.ListOcpiVersion, cancellationToken).ConfigureAwait(false);
        if (!versions.IsSuccess || versions.Data is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnableToUseClientApi, $"GET {versionsUrl} failed: HTTP {versions.HttpStatus} / {versions.StatusCode} {versions.Message}"), default, null, used);
        }

        OcpiVersion? chosen = versions.Data
            .Where(v => OcpiVersions.Parse(v.Version) != OcpiVersionNumber.None && (wanted == OcpiVersionNumber.None || OcpiVersions.Parse(v.Version) == wanted))
            .OrderByDescending(v => OcpiVersions.Parse(v.Version))
            .FirstOrDefault();
        if (chosen is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnsupportedVersion, "The partner offers no version this platform speaks (2.2.1, 2.1.1)."), default, null, used);
        }

        OcpiVersionNumber version = OcpiVersions.Parse(chosen.Version);
        (CredentialsOutcome? failure, List<PartnerEndpoint>? endpoints) = await GetDetailsAsync(chosen.Url, token, used, version, requireModule: true, cancellationToken).ConfigureAwait(false);
        return (failure, version, endpoints, used);
    }

    /// <summary>The registering partner's endpoints for our version <paramref name="version"/> (the one whose credentials endpoint it called).</summary>
    private async Task<(CredentialsOutcome? Failure, List<PartnerEndpoint>? Endpoints, TokenEncoding Used)> FetchEndpointsAsync(
        string versionsUrl, string token, TokenEncoding encoding, bool mayTryOther, OcpiVersionNumber version, CancellationToken cancellationToken)
    {
        (OcpiClientResponse<List<OcpiVersion>> versions, TokenEncoding used) = await GetWithEncodingAsync(
            versionsUrl, token, encoding, mayTryOther, OcpiJsonContext.Default.ListOcpiVersion, cancellationToken).ConfigureAwait(false);
        if (!versions.IsSuccess || versions.Data is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnableToUseClientApi, $"GET {versionsUrl} with the token in the credentials failed: HTTP {versions.HttpStatus} / {versions.StatusCode} {versions.Message}"), null, used);
        }

        OcpiVersion? match = versions.Data.Find(v => OcpiVersions.Parse(v.Version) == version);
        if (match is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnsupportedVersion, $"The partner's versions do not include {OcpiVersions.Name(version)}."), null, used);
        }

        // As Receiver we need no module of the partner: a CPO serves a pull-only eMSP, so only the Sender insists (§7.1.6).
        (CredentialsOutcome? failure, List<PartnerEndpoint>? endpoints) = await GetDetailsAsync(match.Url, token, used, version, requireModule: false, cancellationToken).ConfigureAwait(false);
        return (failure, endpoints, used);
    }

    private async Task<(CredentialsOutcome? Failure, List<PartnerEndpoint>? Endpoints)> GetDetailsAsync(
        string url, string token, TokenEncoding encoding, OcpiVersionNumber version, bool requireModule, CancellationToken cancellationToken)
    {
        OcpiClientResponse<OcpiVersionDetails> details = await _client.GetAsync(
            new OcpiTarget(token, encoding, version, null), url, OcpiJsonContext.Default.OcpiVersionDetails, routed: false, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess || details.Data is null)
        {
            return (CredentialsOutcome.Fail(OcpiStatus.UnableToUseClientApi, $"GET {url} failed: HTTP {details.HttpStatus} / {details.StatusCode} {details.Message}"), null);
        }

        List<PartnerEndpoint> endpoints = [.. details.Data.Endpoints
            .Where(e => !string.IsNullOrEmpty(e.Identifier) && Uri.TryCreate(e.Url, UriKind.Absolute, out _))
            .Select(e => new PartnerEndpoint { Identifier = e.Identifier, Role = version == OcpiVersionNumber.V221 ? e.Role : null, Url = e.Url })];

        // §7.1.6: a partner with nothing but credentials shares no module with us (the Sender does not POST then).
        if (requireModule && !endpoints.Exists(e => e.Identifier is "locations" or "tokens" or "commands" or "sessions" or "cdrs" or "tariffs"))
        {
            return (CredentialsOutcome.Fail(OcpiStatus.NoMatchingEndpoints, "The partner lists no module this platform works with."), null);
        }

        return (null, endpoints);
    }

    private async Task<(OcpiClientResponse<T> Response, TokenEncoding Used)> GetWithEncodingAsync<T>(
        string url, string token, TokenEncoding encoding, bool mayTryOther, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        OcpiClientResponse<T> response = await _client.GetAsync(new OcpiTarget(token, encoding, OcpiVersionNumber.None, null), url, type, routed: false, cancellationToken).ConfigureAwait(false);
        if (response.HttpStatus == (int)HttpStatusCode.Unauthorized && mayTryOther)
        {
            // §4.1.3 note: 2.1.1 and many 2.2 platforms expect the token unencoded; try the other way once.
            TokenEncoding other = encoding == TokenEncoding.Base64 ? TokenEncoding.Plain : TokenEncoding.Base64;
            OcpiClientResponse<T> retry = await _client.GetAsync(new OcpiTarget(token, other, OcpiVersionNumber.None, null), url, type, routed: false, cancellationToken).ConfigureAwait(false);
            if (retry.IsSuccess)
            {
                return (retry, other);
            }
        }

        return (response, encoding);
    }

    /// <summary>
    /// The refusal of a registering partner's parties, or null when it may hold them all: every party must be within
    /// its token-A binding, and none may be held by another partner (a party belongs to one partner, so a partner's
    /// token reaches only its own sessions, CDRs and tokens). Answered with 2001: the request reached the OCPI layer
    /// and the client sent a parameter it may not use; 3001 would blame our call back to it, and 405 is the
    /// registration-state rule of the method, not a judgement of the content.
    /// </summary>
    private CredentialsOutcome? RefuseParties(OcpiPartner partner, List<PartnerRole> roles)
    {
        string? reason = null;
        if (roles.Find(role => !partner.MayClaim(role)) is { } outside)
        {
            reason = $"Party {outside} is not one this partner's token was issued for.";
        }
        else if (_partners.HeldByOther(partner.Id, roles) is { } held)
        {
            reason = $"Party {held.Claimed} belongs to another partner.";
        }

        if (reason is null)
        {
            return null;
        }

        LogPartyRefused(_logger, partner.Id, reason);
        return CredentialsOutcome.Fail(OcpiStatus.InvalidParameters, reason);
    }

    private string NewUniqueToken()
    {
        string token;
        do
        {
            token = CredentialsTokenHeader.NewToken();
        }
        while (_partners.IsTokenInUse(token));
        return token;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OCPI partner {PartnerId} registered on {Version} (handshake started by {Initiator})")]
    private static partial void LogRegistered(ILogger logger, string partnerId, string version, string initiator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI partner {PartnerId}: credentials refused: {Reason}")]
    private static partial void LogPartyRefused(ILogger logger, string partnerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OCPI partner {PartnerId} unregistered")]
    private static partial void LogUnregistered(ILogger logger, string partnerId);
}

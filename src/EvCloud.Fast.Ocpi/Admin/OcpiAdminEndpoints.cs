using System.Text.Json;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Commands;
using EvCloud.Fast.Ocpi.Credentials;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Admin;

/// <summary>
/// <c>/api/v1/ocpi/...</c>: the operator's side of roaming, behind the API's keys. Partners (issue a token A, register
/// with a partner, update, unregister: admin keys), our eMSP tokens (operator keys), commands to partner CPOs
/// (operator keys), and read access to what partners pushed (any key). Errors are the API's problem+json.
/// </summary>
internal static class OcpiAdminEndpoints
{
    private const int MaxWaitSeconds = 60;

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder ocpi = api.MapGroup("/ocpi").WithTags("OCPI");
        RouteGroupBuilder partners = ocpi.MapGroup("/partners").RequireAuthorization(ApiPolicies.Admin);
        partners.MapGet("/", (PartnerRegistry registry) => TypedResults.Ok(registry.All.Select(View).ToArray()))
            .WithName("ListOcpiPartners").WithSummary("Every OCPI partner, registered or pending");
        partners.MapGet("/{id}", (string id, PartnerRegistry registry) =>
                registry.Get(id) is { } partner ? TypedResults.Ok(View(partner)) : ApiProblem.NotFound("OCPI partner '" + id + "'"))
            .WithName("GetOcpiPartner").WithSummary("One OCPI partner");
        partners.MapPost("/", CreateAsync)
            .WithName("CreateOcpiPartner").WithSummary("Issue a CREDENTIALS_TOKEN_A for a partner that will register with us (shown once)");
        partners.MapPost("/{id}/token-a", IssueTokenAAsync)
            .WithName("IssueOcpiTokenA").WithSummary("Issue a new CREDENTIALS_TOKEN_A to an unregistered partner (shown once)");
        partners.MapPost("/register", RegisterAsync)
            .WithName("RegisterWithOcpiPartner").WithSummary("Register with a partner from its versions URL and the token A it gave us");
        partners.MapPost("/{id}/update", UpdateAsync)
            .WithName("UpdateOcpiPartner").WithSummary("PUT new credentials to a partner: fresh token, endpoints re-fetched, highest shared version");
        partners.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteOcpiPartner").WithSummary("Unregister (DELETE on the partner's credentials) and forget the partner");
        partners.MapPost("/{id}/pull/locations", PullLocationsAsync)
            .WithName("PullOcpiLocations").WithSummary("eMSP: GET every location of a CPO partner (following its pages) and store them");

        RouteGroupBuilder tokens = ocpi.MapGroup("/tokens");
        tokens.MapGet("/", (EmspTokenStore store, int? offset, int? limit) =>
                TypedResults.Ok(Page(store.List().Select(t => JsonSerializer.SerializeToElement(t.Token, OcpiJsonContext.Default.OcpiToken)).ToList(), offset, limit)))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListOcpiEmspTokens").WithSummary("eMSP: our drivers' tokens as OCPI Token objects");
        tokens.MapPut("/{uid}", PutTokenAsync).RequireAuthorization(ApiPolicies.Operate)
            .WithName("PutOcpiEmspToken").WithSummary("eMSP: create or replace one of our tokens and push it to every CPO partner");

        ocpi.MapGet("/roaming-tokens", (RoamingTokenStore store, int? offset, int? limit) =>
                TypedResults.Ok(Page(store.List().Select(t => JsonSerializer.SerializeToElement(t, OcpiJsonContext.Default.OcpiToken)).ToList(), offset, limit)))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListOcpiRoamingTokens").WithSummary("CPO: tokens eMSP partners pushed to us");
        ocpi.MapGet("/locations", (LocationReceiverStore store, int? offset, int? limit) =>
                TypedResults.Ok(Page(store.Objects.List().Select(s => JsonDocument.Parse(s.Json).RootElement.Clone()).ToList(), offset, limit)))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListOcpiReceivedLocations").WithSummary("eMSP: locations CPO partners pushed to us or we pulled");
        ocpi.MapGet("/locations/{countryCode}/{partyId}/{locationId}", (string countryCode, string partyId, string locationId, LocationReceiverStore store) =>
                store.GetJson(countryCode, partyId, locationId) is { } location
                    ? TypedResults.Ok(LocationReceiverStore.ToElement(location))
                    : ApiProblem.NotFound("Location '" + countryCode + "/" + partyId + "/" + locationId + "'"))
            .RequireAuthorization(ApiPolicies.Read).WithName("GetOcpiReceivedLocation").WithSummary("eMSP: one received location");

        MapReceived(ocpi, "sessions", "Session", r => r.Sessions);
        MapReceived(ocpi, "cdrs", "Cdr", r => r.Cdrs);
        MapReceived(ocpi, "tariffs", "Tariff", r => r.Tariffs);
        ocpi.MapGet("/roaming-sessions", (IServiceProvider services, int? offset, int? limit) =>
                TypedResults.Ok(Page(services.GetService<SessionSender>() is { } sender
                    ? sender.All().Select(s => JsonSerializer.SerializeToElement(sender.Build(s), OcpiJsonContext.Default.OcpiSession)).ToList()
                    : [], offset, limit)))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListOcpiRoamingSessions").WithSummary("CPO: sessions of eMSP partners' tokens at our chargers, as OCPI Session objects");

        RouteGroupBuilder outbox = ocpi.MapGroup("/outbox").RequireAuthorization(ApiPolicies.Admin);
        outbox.MapGet("/", (PushOutbox box, string? partnerId) => TypedResults.Ok(box.Pending(partnerId).Select(OutboxView).ToArray()))
            .WithName("ListOcpiOutbox").WithSummary("Requests queued for partners, in sending order, with their attempts and last error");
        outbox.MapGet("/dead-letters", (PushOutbox box, string? partnerId) => TypedResults.Ok(box.DeadLetters(partnerId).Select(OutboxView).ToArray()))
            .WithName("ListOcpiDeadLetters").WithSummary("Requests given up (a partner refused them with a 2xxx status, or too many failed attempts), with the reason");
        outbox.MapPost("/dead-letters/{partnerId}/{seq:long}/retry", async (string partnerId, long seq, PushOutbox box, CancellationToken ct) =>
                await box.RetryDeadAsync(partnerId, seq, ct).ConfigureAwait(false) ? Results.Accepted() : ApiProblem.NotFound("Dead letter '" + partnerId + "/" + seq + "'"))
            .WithName("RetryOcpiDeadLetter").WithSummary("Queue a dead letter again, at the end of its partner's queue");
        outbox.MapDelete("/dead-letters/{partnerId}/{seq:long}", async (string partnerId, long seq, PushOutbox box, CancellationToken ct) =>
                await box.DiscardDeadAsync(partnerId, seq, ct).ConfigureAwait(false) ? Results.NoContent() : ApiProblem.NotFound("Dead letter '" + partnerId + "/" + seq + "'"))
            .WithName("DiscardOcpiDeadLetter").WithSummary("Forget a dead letter");

        RouteGroupBuilder feed = ocpi.MapGroup("/feed/dead-letters").RequireAuthorization(ApiPolicies.Admin);
        feed.MapGet("/", (IServiceProvider services) => TypedResults.Ok((services.GetService<RoamingFeed>()?.DeadLetters() ?? []).Select(FeedView).ToArray()))
            .WithName("ListOcpiFeedDeadLetters")
            .WithSummary("CPO: log events (CDRs, sessions, tariffs, locations) whose hand-off to the push outbox failed every attempt, with the reason");
        feed.MapPost("/{address:long}/retry", async (long address, IServiceProvider services, CancellationToken ct) =>
                services.GetService<RoamingFeed>() is { } roaming && await roaming.RetryDeadAsync(address, ct).ConfigureAwait(false) is { } dead
                    ? dead.Reason.Length == 0 ? Results.NoContent() : ApiProblem.Create(StatusCodes.Status502BadGateway, "handoff_failed", "The hand-off failed again", dead.Reason)
                    : ApiProblem.NotFound("Feed dead letter " + address))
            .WithName("RetryOcpiFeedDeadLetter").WithSummary("CPO: hand a dead-lettered event over again (204 when it worked; it stays listed when not)");
        feed.MapDelete("/{address:long}", async (long address, IServiceProvider services, CancellationToken ct) =>
                services.GetService<RoamingFeed>() is { } roaming && await roaming.DiscardDeadAsync(address, ct).ConfigureAwait(false)
                    ? Results.NoContent() : ApiProblem.NotFound("Feed dead letter " + address))
            .WithName("DiscardOcpiFeedDeadLetter").WithSummary("CPO: forget a feed dead letter");

        RouteGroupBuilder commands = ocpi.MapGroup("/commands").RequireAuthorization(ApiPolicies.Operate);
        commands.MapPost("/start-session", (HttpContext c, CommandBody body, PartnerRegistry r, CommandSender s, EmspTokenStore t) => SendAsync(c, "START_SESSION", body, r, s, t));
        commands.MapPost("/stop-session", (HttpContext c, CommandBody body, PartnerRegistry r, CommandSender s, EmspTokenStore t) => SendAsync(c, "STOP_SESSION", body, r, s, t));
        commands.MapPost("/reserve-now", (HttpContext c, CommandBody body, PartnerRegistry r, CommandSender s, EmspTokenStore t) => SendAsync(c, "RESERVE_NOW", body, r, s, t));
        commands.MapPost("/cancel-reservation", (HttpContext c, CommandBody body, PartnerRegistry r, CommandSender s, EmspTokenStore t) => SendAsync(c, "CANCEL_RESERVATION", body, r, s, t));
        commands.MapPost("/unlock-connector", (HttpContext c, CommandBody body, PartnerRegistry r, CommandSender s, EmspTokenStore t) => SendAsync(c, "UNLOCK_CONNECTOR", body, r, s, t));
        ocpi.MapGet("/commands/{id}", GetCommandAsync).RequireAuthorization(ApiPolicies.Read)
            .WithName("GetOcpiCommand").WithSummary("eMSP: a command sent to a CPO, with its CommandResult once received (wait=seconds waits for it)");
    }

    /// <summary>eMSP read API of a module's received objects: the page, and one object by its owner and id.</summary>
    private static void MapReceived(RouteGroupBuilder ocpi, string module, string name, Func<ReceivedObjects, ClientOwnedObjectStore> store)
    {
        ocpi.MapGet("/" + module, (ReceivedObjects received, int? offset, int? limit, string? countryCode, string? partyId) =>
                TypedResults.Ok(Page(
                    store(received).List(s => (countryCode is null || string.Equals(s.CountryCode, countryCode, StringComparison.OrdinalIgnoreCase))
                            && (partyId is null || string.Equals(s.PartyId, partyId, StringComparison.OrdinalIgnoreCase)))
                        .Select(s => JsonDocument.Parse(s.Json).RootElement.Clone()).ToList(),
                    offset,
                    limit)))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListOcpiReceived" + name + "s").WithSummary("eMSP: " + module + " CPO partners pushed to us");
        ocpi.MapGet("/" + module + "/{countryCode}/{partyId}/{id}", (string countryCode, string partyId, string id, ReceivedObjects received) =>
                store(received).Get(countryCode, partyId, id) is { } stored
                    ? TypedResults.Ok(JsonDocument.Parse(stored.Json).RootElement.Clone())
                    : ApiProblem.NotFound(name + " '" + countryCode + "/" + partyId + "/" + id + "'"))
            .RequireAuthorization(ApiPolicies.Read).WithName("GetOcpiReceived" + name).WithSummary("eMSP: one received " + name.ToLowerInvariant());
    }

    private static OutboxItemView OutboxView(OutboxItem item) => new(
        item.PartnerId,
        item.Seq,
        item.Module,
        item.Method,
        item.Path,
        item.ObjectKey,
        item.Attempts,
        item.NextAttemptMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(item.NextAttemptMs),
        item.LastError,
        item.DeadReason,
        item.DeadMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(item.DeadMs),
        DateTimeOffset.FromUnixTimeMilliseconds(item.CreatedMs),
        item.Body is null ? null : JsonDocument.Parse(item.Body).RootElement.Clone());

    private static FeedDeadLetterView FeedView(FeedDeadLetter d) => new(
        d.Address, d.Kind, d.ChargerId, d.TransactionId == 0 ? null : d.TransactionId, d.CdrId, d.Reason, d.Attempts,
        DateTimeOffset.FromUnixTimeMilliseconds(d.DeadMs), DateTimeOffset.FromUnixTimeMilliseconds(d.LastAttemptMs));

    private static async Task<IResult> CreateAsync(PartnerCreate? body, PartnerRegistry registry, OcpiUrls urls, HttpContext context)
    {
        string id = body?.Id ?? "partner-" + Guid.NewGuid().ToString("N")[..8];
        if (!IsValidId(id))
        {
            return ApiProblem.Validation("id", "id has 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (registry.Get(id) is not null)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Partner exists", $"OCPI partner '{id}' already exists.");
        }

        TokenEncoding? encoding = null;
        if (body?.TokenEncoding is { } text)
        {
            if (!Enum.TryParse(text, ignoreCase: true, out TokenEncoding parsed))
            {
                return ApiProblem.Validation("tokenEncoding", "tokenEncoding is Base64 or Plain.");
            }

            encoding = parsed;
        }

        var parties = new List<PartnerRole>();
        foreach (PartyBinding party in body?.Parties ?? [])
        {
            if (!CredentialsValidation.IsParty(party.CountryCode, party.PartyId)
                || (party.Role is not null && !CredentialsValidation.IsRole(party.Role)))
            {
                return ApiProblem.Validation("parties", "each party has countryCode (2 letters), partyId (3 letters or digits) and an optional role (CPO, EMSP, HUB, NAP, NSP, SCSP, OTHER).");
            }

            parties.Add(new PartnerRole { Role = party.Role?.ToUpperInvariant(), CountryCode = party.CountryCode!.ToUpperInvariant(), PartyId = party.PartyId!.ToUpperInvariant() });
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string tokenA = CredentialsTokenHeader.NewToken();
        try
        {
            await registry.SaveAsync(
                new OcpiPartner
                {
                    Id = id,
                    TokenAHash = CredentialsTokenHeader.Hash(tokenA),
                    TokenEncoding = encoding ?? TokenEncoding.Base64,
                    TokenEncodingFixed = encoding is not null,
                    CreatedMs = now,
                    AllowedParties = parties,
                },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (PartyConflictException e)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Party held", e.Message);
        }

        return TypedResults.Created("/api/v1/ocpi/partners/" + id, new PartnerCreated(id, tokenA, urls.Versions(context)));
    }

    private static async Task<IResult> IssueTokenAAsync(string id, PartnerRegistry registry, OcpiUrls urls, HttpContext context)
    {
        if (registry.Get(id) is not { } partner)
        {
            return ApiProblem.NotFound("OCPI partner '" + id + "'");
        }

        if (partner.Registered)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Registered", "The partner is registered; a token A is only for registration.");
        }

        string tokenA = CredentialsTokenHeader.NewToken();
        OcpiPartner copy = partner.Copy();
        copy.TokenAHash = CredentialsTokenHeader.Hash(tokenA);
        await registry.SaveAsync(copy, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new PartnerCreated(id, tokenA, urls.Versions(context)));
    }

    private static async Task<IResult> RegisterAsync(PartnerRegister body, CredentialsService credentials, HttpContext context)
    {
        if (body.VersionsUrl is null || !Uri.TryCreate(body.VersionsUrl, UriKind.Absolute, out Uri? url))
        {
            return ApiProblem.Validation("versionsUrl", "versionsUrl must be the partner's absolute versions URL.");
        }

        if (!CredentialsTokenHeader.IsValidToken(body.Token))
        {
            return ApiProblem.Validation("token", "token must be the partner's CREDENTIALS_TOKEN_A (1-64 printable ASCII characters).");
        }

        string id = body.Id ?? url.Host + (url.IsDefaultPort ? "" : "-" + url.Port);
        if (!IsValidId(id))
        {
            return ApiProblem.Validation("id", "id has 1-64 letters, digits, '-', '_' or '.'.");
        }

        TokenEncoding? encoding = null;
        if (body.TokenEncoding is { } text)
        {
            if (!Enum.TryParse(text, ignoreCase: true, out TokenEncoding parsed))
            {
                return ApiProblem.Validation("tokenEncoding", "tokenEncoding is Base64 or Plain.");
            }

            encoding = parsed;
        }

        OcpiVersionNumber version = body.Version is null ? OcpiVersionNumber.None : OcpiVersions.Parse(body.Version);
        if (body.Version is not null && version == OcpiVersionNumber.None)
        {
            return ApiProblem.Validation("version", "version is 2.2.1 or 2.1.1.");
        }

        CredentialsOutcome outcome = await credentials.RegisterAsync(id, body.VersionsUrl, body.Token!, encoding, version, context, context.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? TypedResults.Ok(View(outcome.Partner!)) : Failed(outcome);
    }

    private static async Task<IResult> UpdateAsync(string id, PartnerRegistry registry, CredentialsService credentials, HttpContext context)
    {
        if (registry.Get(id) is not { } partner)
        {
            return ApiProblem.NotFound("OCPI partner '" + id + "'");
        }

        CredentialsOutcome outcome = await credentials.UpdateAsync(partner, context, context.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? TypedResults.Ok(View(outcome.Partner!)) : Failed(outcome);
    }

    private static async Task<IResult> DeleteAsync(string id, PartnerRegistry registry, CredentialsService credentials, HttpContext context)
    {
        if (registry.Get(id) is not { } partner)
        {
            return ApiProblem.NotFound("OCPI partner '" + id + "'");
        }

        CredentialsOutcome outcome = await credentials.UnregisterAsync(partner, context.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? TypedResults.NoContent() : Failed(outcome);
    }

    private static async Task<IResult> PullLocationsAsync(string id, PartnerRegistry registry, OcpiClient client, LocationReceiverStore store, HttpContext context)
    {
        if (registry.Get(id) is not { Registered: true } partner || partner.EndpointUrl("locations", "SENDER") is not { } url || partner.Version != OcpiVersionNumber.V221)
        {
            return ApiProblem.NotFound("A registered 2.2.1 CPO partner '" + id + "' with a Locations sender");
        }

        (List<JsonElement> items, OcpiClientResponse<List<JsonElement>>? failure) = await client.GetAllAsync(
            OcpiTarget.For(partner, "CPO"), url, OcpiJsonContext.Default.ListJsonElement, context.RequestAborted).ConfigureAwait(false);
        int stored = 0;
        foreach (JsonElement item in items)
        {
            // Pulled objects follow the same rules as pushed ones: only the partner's own parties, complete objects.
            if (System.Text.Json.Nodes.JsonNode.Parse(item.GetRawText()) is System.Text.Json.Nodes.JsonObject location
                && location["country_code"]?.GetValue<string>() is { } cc && location["party_id"]?.GetValue<string>() is { } pid
                && location["id"]?.GetValue<string>() is { } locationId && partner.HasParty(cc, pid))
            {
                LocationWriteResult result = await store.WriteAsync(partner.Id, cc, pid, locationId, null, null, location, patch: false, context.RequestAborted).ConfigureAwait(false);
                if (result.Outcome is LocationWriteOutcome.Created or LocationWriteOutcome.Updated)
                {
                    stored++;
                }
            }
        }

        return TypedResults.Ok(new PullResult(items.Count, stored, failure is null ? null : $"HTTP {failure.HttpStatus} / {failure.StatusCode}: {failure.Message}"));
    }

    private static async Task<IResult> PutTokenAsync(string uid, EmspTokenWrite body, EmspTokenStore store, TokenPush push, OcpiOptions options, HttpContext context)
    {
        var token = new OcpiToken
        {
            CountryCode = options.CountryCode,
            PartyId = options.PartyId,
            Uid = uid,
            Type = body.Type ?? "RFID",
            ContractId = body.ContractId,
            VisualNumber = body.VisualNumber,
            Issuer = body.Issuer ?? options.BusinessName,
            GroupId = body.GroupId,
            Valid = body.Valid ?? true,
            Whitelist = body.Whitelist ?? "ALLOWED",
            Language = body.Language,
            DefaultProfileType = body.DefaultProfileType,
            LastUpdated = OcpiDates.Truncate(DateTimeOffset.UtcNow),
        };

        // Our own objects are checked strictly: what we send must fit the spec's lengths.
        string? invalid = TokenValidation.Check(token)
            ?? (token.ContractId!.Length > 36 || token.VisualNumber?.Length > 64 || token.Issuer!.Length > 64 || token.GroupId?.Length > 36 || token.Language?.Length > 2
                ? "contract_id and group_id have at most 36 characters, visual_number and issuer 64, language 2." : null);
        if (invalid is not null)
        {
            return ApiProblem.Validation("token", invalid);
        }

        await store.PutAsync(token, context.RequestAborted).ConfigureAwait(false);
        List<PushOutcome> pushes = await push.PushAsync(token, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new EmspTokenResult(JsonSerializer.SerializeToElement(token, OcpiJsonContext.Default.OcpiToken), [.. pushes]));
    }

    private static async Task<IResult> SendAsync(HttpContext context, string type, CommandBody body, PartnerRegistry registry, CommandSender sender, EmspTokenStore tokens)
    {
        OcpiPartner? partner = body.PartnerId is not null ? registry.Get(body.PartnerId)
            : body.CountryCode is not null && body.PartyId is not null ? registry.FindByParty(body.CountryCode, body.PartyId, "CPO")
            : registry.Registered.Where(p => p.HasRole("CPO")).ToList() is { Count: 1 } only ? only[0] : null;
        if (partner is not { Registered: true })
        {
            return ApiProblem.Validation("partnerId", "Name a registered CPO partner (partnerId, or countryCode and partyId).");
        }

        var request = new OcpiCommandRequest
        {
            LocationId = body.LocationId,
            EvseUid = body.EvseUid,
            ConnectorId = body.ConnectorId,
            SessionId = body.SessionId,
            ReservationId = body.ReservationId,
            ExpiryDate = body.ExpiryDate,
        };
        if (type is "START_SESSION" or "RESERVE_NOW")
        {
            if (body.TokenUid is null || tokens.Get(body.TokenUid, body.TokenType ?? "RFID") is not { } token)
            {
                return ApiProblem.Validation("tokenUid", "tokenUid must name one of our tokens (PUT /api/v1/ocpi/tokens/{uid}).");
            }

            request.Token = token;
        }

        string? missing = type switch
        {
            "START_SESSION" when body.LocationId is null => "locationId",
            "STOP_SESSION" when body.SessionId is null => "sessionId",
            "RESERVE_NOW" when body.LocationId is null || body.ReservationId is null || body.ExpiryDate is null => "locationId, reservationId, expiryDate",
            "CANCEL_RESERVATION" when body.ReservationId is null => "reservationId",
            "UNLOCK_CONNECTOR" when body.LocationId is null || body.EvseUid is null || body.ConnectorId is null => "locationId, evseUid, connectorId",
            _ => null,
        };
        if (missing is not null)
        {
            return ApiProblem.Validation(missing, missing + " is required for " + type + ".");
        }

        if (CommandSender.CannotSend(partner, type, request) is { } unsupported)
        {
            return ApiProblem.Validation(type == "RESERVE_NOW" ? "reservationId" : "partnerId", unsupported);
        }

        SentCommand? sent = await sender.SendAsync(partner, type, request, context, context.RequestAborted).ConfigureAwait(false);
        if (sent is null)
        {
            return ApiProblem.Validation("partnerId", "The partner has no Commands receiver.");
        }

        int wait = Math.Clamp(body.WaitSeconds ?? 0, 0, MaxWaitSeconds);
        if (wait > 0 && sent.Response == "ACCEPTED")
        {
            sent = await sender.WaitForResultAsync(sent.Id, TimeSpan.FromSeconds(wait), context.RequestAborted).ConfigureAwait(false) ?? sent;
        }

        return TypedResults.Ok(View(sent));
    }

    private static async Task<IResult> GetCommandAsync(string id, int? wait, CommandSender sender, HttpContext context)
    {
        SentCommand? sent = await sender.WaitForResultAsync(id, TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, MaxWaitSeconds)), context.RequestAborted).ConfigureAwait(false);
        return sent is null ? ApiProblem.NotFound("OCPI command '" + id + "'") : TypedResults.Ok(View(sent));
    }

    private static IResult Failed(CredentialsOutcome outcome) =>
        ApiProblem.Create(StatusCodes.Status502BadGateway, "ocpi_partner_error", "The partner refused or failed",
            outcome.Message, new Dictionary<string, object?>(StringComparer.Ordinal) { ["ocpiStatusCode"] = outcome.StatusCode });

    private static AdminPage<JsonElement> Page(List<JsonElement> all, int? offset, int? limit)
    {
        int from = Math.Max(0, offset ?? 0);
        int count = Math.Clamp(limit ?? 100, 1, 1000);
        return new AdminPage<JsonElement>([.. all.Skip(from).Take(count)], all.Count, from, count);
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static PartnerView View(OcpiPartner p) => new(
        p.Id,
        p.Registered,
        p.RegisteredByUs,
        p.TokenAHash is not null,
        p.Version == OcpiVersionNumber.None ? null : OcpiVersions.Name(p.Version),
        p.VersionsUrl,
        p.TokenEncoding.ToString(),
        [.. p.Roles.Select(r => new PartnerRoleView(r.Role, r.CountryCode, r.PartyId, r.Name))],
        [.. p.AllowedParties.Select(r => new PartnerRoleView(r.Role, r.CountryCode, r.PartyId, null))],
        [.. p.Endpoints.Select(e => new PartnerEndpointView(e.Identifier, e.Role, e.Url))],
        DateTimeOffset.FromUnixTimeMilliseconds(p.CreatedMs),
        DateTimeOffset.FromUnixTimeMilliseconds(p.UpdatedMs));

    private static SentCommandView View(SentCommand c) => new(
        c.Id, c.PartnerId, c.Type, c.Response, c.ResponseMessage, c.TimeoutSeconds, c.Result, c.ResultMessage,
        DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedMs), c.ResultMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(c.ResultMs), [.. c.Anomalies]);
}

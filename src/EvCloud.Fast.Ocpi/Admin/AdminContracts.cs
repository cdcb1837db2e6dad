using System.Text.Json;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Admin;

/// <summary>Body of <c>POST /api/v1/ocpi/partners</c>: a partner that will register with us.</summary>
/// <param name="Id">Our name for it (letters, digits, '-', '_', '.'; at most 64).</param>
/// <param name="TokenEncoding">How we send our token to it: <c>Base64</c> (2.2.1) or <c>Plain</c> (2.1.1); default: as it sends its own.</param>
/// <param name="Parties">
/// The parties the token A is bound to: the partner's credentials may claim only these, and no other partner may claim
/// them. Omitted: any party no other partner holds.
/// </param>
public sealed record PartnerCreate(string? Id, string? TokenEncoding, PartyBinding[]? Parties = null);

/// <summary>One party a partner's token A is bound to.</summary>
/// <param name="Role">CPO, EMSP, HUB, NAP, NSP, SCSP or OTHER; omitted: any role (2.1.1 partners state none).</param>
/// <param name="CountryCode">ISO 3166 alpha-2.</param>
/// <param name="PartyId">3 letters or digits.</param>
public sealed record PartyBinding(string? Role, string? CountryCode, string? PartyId);

/// <summary>A fresh CREDENTIALS_TOKEN_A, shown once: hand it and our versions URL to the partner out of band.</summary>
public sealed record PartnerCreated(string Id, string TokenA, string VersionsUrl);

/// <summary>Body of <c>POST /api/v1/ocpi/partners/register</c>: register with a partner that gave us its versions URL and a token A.</summary>
/// <param name="Id">Our name for it; default derived from the URL's host.</param>
/// <param name="VersionsUrl">Its versions endpoint.</param>
/// <param name="Token">The CREDENTIALS_TOKEN_A it gave us.</param>
/// <param name="TokenEncoding"><c>Base64</c> or <c>Plain</c>; default: Base64, falling back to Plain on a 401.</param>
/// <param name="Version"><c>2.2.1</c> or <c>2.1.1</c>; default: the highest both speak.</param>
public sealed record PartnerRegister(string? Id, string? VersionsUrl, string? Token, string? TokenEncoding, string? Version);

/// <summary>A partner as the admin API shows it (never its tokens).</summary>
public sealed record PartnerView(
    string Id,
    bool Registered,
    bool RegisteredByUs,
    bool TokenAPending,
    string? Version,
    string? VersionsUrl,
    string TokenEncoding,
    PartnerRoleView[] Roles,
    PartnerRoleView[] AllowedParties,
    PartnerEndpointView[] Endpoints,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One party of a partner.</summary>
public sealed record PartnerRoleView(string? Role, string CountryCode, string PartyId, string? Name);

/// <summary>One endpoint of a partner.</summary>
public sealed record PartnerEndpointView(string Identifier, string? Role, string Url);

/// <summary>Body of <c>PUT /api/v1/ocpi/tokens/{uid}</c>: one of our drivers' tokens (OCPI 2.2.1 §12.3.2 fields).</summary>
public sealed record EmspTokenWrite(
    string? Type, string? ContractId, string? VisualNumber, string? Issuer, string? GroupId, bool? Valid, string? Whitelist, string? Language, string? DefaultProfileType);

/// <summary>The stored token and how the push to each CPO went.</summary>
public sealed record EmspTokenResult(JsonElement Token, PushOutcome[] Pushes);

/// <summary>
/// Body of the eMSP command endpoints (<c>POST /api/v1/ocpi/commands/{start-session|stop-session|reserve-now|
/// cancel-reservation|unlock-connector}</c>). The CPO is <see cref="PartnerId"/>, or the partner owning
/// <see cref="CountryCode"/>/<see cref="PartyId"/>, or the only registered CPO partner.
/// </summary>
public sealed record CommandBody
{
    /// <summary>Our id of the CPO partner.</summary>
    public string? PartnerId { get; init; }

    /// <summary>The CPO's country code.</summary>
    public string? CountryCode { get; init; }

    /// <summary>The CPO's party id.</summary>
    public string? PartyId { get; init; }

    /// <summary>START_SESSION, RESERVE_NOW, UNLOCK_CONNECTOR.</summary>
    public string? LocationId { get; init; }

    /// <summary>START_SESSION, RESERVE_NOW (optional), UNLOCK_CONNECTOR.</summary>
    public string? EvseUid { get; init; }

    /// <summary>START_SESSION (optional), UNLOCK_CONNECTOR.</summary>
    public string? ConnectorId { get; init; }

    /// <summary>START_SESSION, RESERVE_NOW: the uid of one of our tokens (see <c>/api/v1/ocpi/tokens</c>).</summary>
    public string? TokenUid { get; init; }

    /// <summary>Its type; default RFID.</summary>
    public string? TokenType { get; init; }

    /// <summary>STOP_SESSION.</summary>
    public string? SessionId { get; init; }

    /// <summary>RESERVE_NOW, CANCEL_RESERVATION.</summary>
    public string? ReservationId { get; init; }

    /// <summary>RESERVE_NOW.</summary>
    public DateTimeOffset? ExpiryDate { get; init; }

    /// <summary>How long to wait for the CPO's asynchronous CommandResult before answering (0–60 s, default 0).</summary>
    public int? WaitSeconds { get; init; }
}

/// <summary>A command sent to a CPO; <c>Anomalies</c> lists results that came after its outcome was final (not applied).</summary>
public sealed record SentCommandView(
    string Id,
    string PartnerId,
    string Type,
    string? Response,
    string? ResponseMessage,
    int? TimeoutSeconds,
    string? Result,
    string? ResultMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResultAt,
    string[] Anomalies);

/// <summary>A page of a list.</summary>
public sealed record AdminPage<T>(T[] Items, int Total, int Offset, int Limit);

/// <summary>What a pull from a partner brought.</summary>
public sealed record PullResult(int Received, int Stored, string? Error);

/// <summary>A request queued for a partner, or a dead letter.</summary>
public sealed record OutboxItemView(
    string PartnerId,
    long Seq,
    string Module,
    string Method,
    string Path,
    string? ObjectKey,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    string? DeadReason,
    DateTimeOffset? DeadAt,
    DateTimeOffset CreatedAt,
    JsonElement? Body);

/// <summary>A roaming feed event whose hand-off to the push outbox failed (retry it, or discard it once settled).</summary>
/// <param name="Address">Its log address: the id to retry or discard it by.</param>
/// <param name="Kind">The event kind (CdrRecorded, TransactionEnded, DocumentPut of a tariff, ...).</param>
/// <param name="ChargerId">The charger of the event.</param>
/// <param name="TransactionId">The transaction, for transaction and CDR events.</param>
/// <param name="CdrId">The CDR, for CDR events.</param>
/// <param name="Reason">The last attempt's error.</param>
/// <param name="Attempts">Hand-off attempts so far.</param>
/// <param name="Dead">When it was dead-lettered.</param>
/// <param name="LastAttempt">When it was last tried.</param>
public sealed record FeedDeadLetterView(
    long Address, string Kind, string ChargerId, int? TransactionId, string? CdrId, string Reason, int Attempts, DateTimeOffset Dead, DateTimeOffset LastAttempt);

using System.Text.Json;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.V211;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Cdrs;

/// <summary>A CDR of a roaming session, as the CDRs sender lists it (collection <c>ocpi-cpo-cdrs</c>, key: CDR id).</summary>
[MessagePackObject]
public sealed class RoamingCdr
{
    /// <summary>CDR id.</summary>
    [Key(0)]
    public string CdrId { get; set; } = "";

    /// <summary>Our transaction id.</summary>
    [Key(1)]
    public int TransactionId { get; set; }

    /// <summary>The eMSP partner it was sent to.</summary>
    [Key(2)]
    public string PartnerId { get; set; } = "";

    /// <summary>Token owner's country code (party scoping of GET).</summary>
    [Key(3)]
    public string CountryCode { get; set; } = "";

    /// <summary>Token owner's party id.</summary>
    [Key(4)]
    public string PartyId { get; set; } = "";

    /// <summary>The CDR's last_updated (Unix ms): date_from/date_to.</summary>
    [Key(5)]
    public long LastUpdatedMs { get; set; }

    /// <summary>When the CDR was queued (Unix ms): list order.</summary>
    [Key(6)]
    public long CreatedMs { get; set; }
}

/// <summary>
/// CPO CDRs module, sending side (OCPI 2.2.1 §10.2.1 and §10.2.2): every CDR of a roaming session — announced by its
/// <see cref="CdrRecorded"/> event — is POSTed to the eMSP that owns the token, through the outbox, and listed for the
/// eMSP's GET. At least once: a CDR id already indexed is not queued again; a crash between queueing and indexing
/// queues it twice and the receiver recognises the id.
/// </summary>
/// <remarks>
/// CDRs are immutable (§10: "CDRs SHALL NOT be changed"): corrections are credit CDRs and replacements, which the
/// pipeline records and this sender POSTs like any other. The CDR already carries the eMSP's token and our OCPI
/// location ids (<see cref="RoamingContext"/> is the pipeline's <see cref="ICdrRoamingResolver"/>).
/// A 2.1.1 eMSP gets the 2.1.1 CDR (<see cref="Build211"/>), POSTed to its endpoint likewise (2.1.1 mod_cdrs §2.2.2);
/// a credit CDR reaches it as a CDR with negative total_cost and the remark naming the CDR it cancels.
/// </remarks>
public sealed class CdrSender
{
    /// <summary>The index of roaming CDRs.</summary>
    public const string Collection = "ocpi-cpo-cdrs";

    private readonly RoamingContext _context;
    private readonly LocationCatalog _locations;
    private readonly OcpiOptions _options;
    private readonly CdrStore _cdrs;
    private readonly StorageEngine _storage;
    private readonly PushOutbox _outbox;
    private readonly PartnerRegistry _partners;
    private readonly SessionSender _sessions;
    private readonly TimeProvider _time;
    private readonly LastUpdatedIndex _index = new();

    /// <summary>Creates the sender; indexes the stored roaming CDRs by party and last_updated (one pass).</summary>
    public CdrSender(
        RoamingContext context, LocationCatalog locations, OcpiOptions options, CdrStore cdrs, StorageEngine storage, PushOutbox outbox, PartnerRegistry partners, SessionSender sessions, TimeProvider time)
    {
        _context = context;
        _locations = locations;
        _options = options;
        _cdrs = cdrs;
        _storage = storage;
        _outbox = outbox;
        _partners = partners;
        _sessions = sessions;
        _time = time;
        foreach ((string _, byte[] value) in storage.Documents.List(Collection))
        {
            RoamingCdr cdr = MessagePackSerializer.Deserialize<RoamingCdr>(value);
            _index.Upsert(cdr.CountryCode, cdr.PartyId, cdr.CdrId, cdr.LastUpdatedMs);
        }
    }

    /// <summary>
    /// One page of the roaming CDRs of <paramref name="parties"/> in the page's date range, oldest last_updated first,
    /// through the index: O(log n + page), only the page's entries are read.
    /// </summary>
    public (List<RoamingCdr> Items, int Total) Page(IReadOnlyCollection<(string CountryCode, string PartyId)> parties, OcpiPage page)
    {
        (List<string> keys, int total) = _index.Page(parties, page.FromMs, page.ToMs, page.Offset, page.Limit);
        var items = new List<RoamingCdr>(keys.Count);
        foreach (string key in keys)
        {
            if (_storage.Documents.TryGet(Collection, key, out byte[]? value))
            {
                items.Add(MessagePackSerializer.Deserialize<RoamingCdr>(value));
            }
        }

        return (items, total);
    }

    /// <summary>Every roaming CDR, oldest first.</summary>
    public List<RoamingCdr> All() =>
        [.. _storage.Documents.List(Collection).Select(d => MessagePackSerializer.Deserialize<RoamingCdr>(d.Value)).OrderBy(c => c.CreatedMs).ThenBy(c => c.CdrId, StringComparer.Ordinal)];

    /// <summary>The OCPI CDR body as stored by the pipeline.</summary>
    public async Task<JsonElement?> ReadAsync(string cdrId, CancellationToken cancellationToken)
    {
        StoredCdr? stored = await _cdrs.ReadAsync(cdrId, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : JsonDocument.Parse(stored.CdrJson).RootElement.Clone();
    }

    /// <summary>The OCPI 2.1.1 CDR of a stored CDR, or null when unknown.</summary>
    public async Task<Cdr211?> Read211Async(string cdrId, CancellationToken cancellationToken)
    {
        StoredCdr? stored = await _cdrs.ReadAsync(cdrId, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : Build211(JsonSerializer.Deserialize(stored.CdrJson, OcpiCdrJsonContext.Default.Cdr)!);
    }

    /// <summary>
    /// The OCPI 2.1.1 CDR (mod_cdrs §3.1): <paramref name="cdr"/> mapped by <see cref="Ocpi211Mapper"/>, at its configured
    /// location with the one EVSE and connector (live status), or at its own cdr_location when that is not configured.
    /// </summary>
    public Cdr211 Build211(Cdr.Cdrs.Cdr cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        CdrLocation place = cdr.CdrLocation;
        Location211 location = (_locations.Build(place.Id) is { } configured
                ? Ocpi211Mapper.LocationOfSession(configured, _options.BusinessName, place.EvseUid, place.ConnectorId)
                : null)
            ?? Ocpi211Mapper.LocationOfSession(place, cdr.LastUpdated);
        return Ocpi211Mapper.Cdr(cdr, location);
    }

    /// <summary>Handles one <see cref="CdrRecorded"/>; true when it was a roaming CDR.</summary>
    public async Task<bool> OnRecordedAsync(CdrRecorded recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (_context.Session(recorded.TransactionId) is not { } session)
        {
            return false;
        }

        if (_storage.Documents.TryGet(Collection, recorded.CdrId, out _))
        {
            return true; // already queued: at-least-once replays end here
        }

        StoredCdr? stored = await _cdrs.ReadAsync(recorded.CdrId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        Cdr.Cdrs.Cdr cdr = JsonSerializer.Deserialize(stored.CdrJson, OcpiCdrJsonContext.Default.Cdr)!;

        // NOTE: never skipped silently. A registered partner without a CDRs receiver pulls them from our sender (listed
        // below); any other partner gets the POST queued even while it is not registered: the outbox retries, then
        // dead-letters it visibly and retryably. A partner unknown or without a version cannot be given a body: the
        // hand-off fails and the roaming feed dead-letters the event until an operator retries it.
        OcpiPartner partner = _partners.Get(session.PartnerId)
            ?? throw new InvalidOperationException($"CDR {recorded.CdrId}: the session's partner '{session.PartnerId}' is not known (deleted?).");
        if (partner.Version is not (OcpiVersionNumber.V221 or OcpiVersionNumber.V211))
        {
            throw new InvalidOperationException($"CDR {recorded.CdrId}: partner '{partner.Id}' has no negotiated OCPI version yet.");
        }

        if (!partner.Registered || partner.EndpointUrl("cdrs", "RECEIVER") is not null)
        {
            // §10.2.2.1 (2.1.1 mod_cdrs §2.2.2): POST to the endpoint itself; no object key, so CDRs are never merged or reordered.
            byte[] body = partner.Version == OcpiVersionNumber.V211
                ? JsonSerializer.SerializeToUtf8Bytes(Build211(cdr), Ocpi211JsonContext.Default.Cdr211)
                : stored.CdrJson;
            await _outbox.EnqueueAsync(partner.Id, "cdrs", HttpMethod.Post, "", body, null, cdr.LastUpdated, cancellationToken).ConfigureAwait(false);
        }

        var entry = new RoamingCdr
        {
            CdrId = recorded.CdrId,
            TransactionId = recorded.TransactionId,
            PartnerId = session.PartnerId,
            CountryCode = session.TokenCountryCode,
            PartyId = session.TokenPartyId,
            LastUpdatedMs = cdr.LastUpdated.ToUnixTimeMilliseconds(),
            CreatedMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await _storage.PutDocumentAsync(Collection, entry.CdrId, MessagePackSerializer.Serialize(entry), cancellationToken).ConfigureAwait(false);
        _index.Upsert(entry.CountryCode, entry.PartyId, entry.CdrId, entry.LastUpdatedMs);
        if (!recorded.Credit && cdr.CreditReferenceId is null)
        {
            await _sessions.ApplyCdrAsync(recorded.TransactionId, cdr, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}

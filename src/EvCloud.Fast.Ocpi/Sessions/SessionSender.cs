using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Ocpi.V211;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Sessions;

/// <summary>
/// CPO Sessions module, sending side (OCPI 2.2.1 §9.2.1 and §9.2.2): turns the transactions of roaming tokens into
/// Session objects and pushes them to the eMSP that owns the token — PUT when the transaction starts, PATCH while it
/// charges (kwh, charging_periods, total_cost; at most one per <see cref="PushOptions.SessionUpdateInterval"/>), PATCH
/// with status COMPLETED when it ends, and a last PATCH with the final price once its CDR exists.
/// </summary>
/// <remarks>
/// Session id: our transaction id in decimal, the id STOP_SESSION already takes. Status: ACTIVE from the start,
/// INVALID when the charger started with a token the CSMS did not accept, COMPLETED at the end; PENDING and
/// RESERVATION are not produced (a session exists from the charger's transaction start; reservations are not sessions
/// here). 2.2.1 partners get the 2.2.1 Session; 2.1.1 partners the 2.1.1 Session (<see cref="Build211(RoamingSession)"/>) on the same
/// paths (2.1.1 mod_sessions §2.2: <c>{sessions}/{country_code}/{party_id}/{session_id}</c>), the same PUT and PATCHes.
/// </remarks>
public sealed class SessionSender
{
    private readonly RoamingContext _context;
    private readonly LocationCatalog _locations;
    private readonly StorageEngine _storage;
    private readonly CdrPipeline _pipeline;
    private readonly PushOutbox _outbox;
    private readonly PartnerRegistry _partners;
    private readonly OcpiOptions _options;
    private readonly CdrOptions _cdrOptions;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, RoamingSession> _open = [];
    private readonly LastUpdatedIndex _index = new();

    /// <summary>Loads the open roaming sessions.</summary>
    public SessionSender(
        RoamingContext context, LocationCatalog locations, StorageEngine storage, CdrPipeline pipeline, PushOutbox outbox, PartnerRegistry partners, OcpiOptions options, CdrOptions cdrOptions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _context = context;
        _locations = locations;
        _storage = storage;
        _pipeline = pipeline;
        _outbox = outbox;
        _partners = partners;
        _options = options;
        _cdrOptions = cdrOptions;
        _time = time;
        foreach (RoamingSession session in All())
        {
            _index.Upsert(session.TokenCountryCode, session.TokenPartyId, RoamingContext.SessionKey(session.TransactionId), session.LastUpdatedMs);
            if (session.Status == "ACTIVE")
            {
                _open[session.TransactionId] = session;
            }
        }
    }

    /// <summary>Every roaming session, oldest first.</summary>
    public List<RoamingSession> All() =>
        [.. _storage.Documents.List(RoamingContext.SessionCollection).Select(d => MessagePackSerializer.Deserialize<RoamingSession>(d.Value)).OrderBy(s => s.CreatedMs).ThenBy(s => s.TransactionId)];

    /// <summary>
    /// One page of the roaming sessions of <paramref name="parties"/> in the page's date range, oldest last_updated
    /// first, through the index (O(log n + page); only the page's sessions are read).
    /// </summary>
    public (List<RoamingSession> Items, int Total) Page(IReadOnlyCollection<(string CountryCode, string PartyId)> parties, OcpiPage page)
    {
        (List<string> keys, int total) = _index.Page(parties, page.FromMs, page.ToMs, page.Offset, page.Limit);
        var items = new List<RoamingSession>(keys.Count);
        foreach (string key in keys)
        {
            if (_storage.Documents.TryGet(RoamingContext.SessionCollection, key, out byte[]? value))
            {
                items.Add(MessagePackSerializer.Deserialize<RoamingSession>(value));
            }
        }

        return (items, total);
    }

    /// <summary>Applies one event of the log; true when it concerned a roaming session.</summary>
    public async Task<bool> ApplyAsync(DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (domainEvent)
            {
                case TransactionStarted started:
                    return await StartAsync(started, cancellationToken).ConfigureAwait(false);
                // NOTE: a reading or a stop counts only for a session of the charger that sent it.
                case MeterSampled sample when sample.EnergyRegisterMilliWh >= 0 && _open.TryGetValue(sample.TransactionId, out RoamingSession? session)
                    && session.ChargerId == sample.ChargerId:
                    if (sample.EnergyRegisterMilliWh > session.EnergyMilliWh)
                    {
                        session.EnergyMilliWh = sample.EnergyRegisterMilliWh;
                        session.LastUpdatedMs = Math.Max(session.LastUpdatedMs, sample.TimestampMs);
                        session.Dirty = true;
                        if (_time.GetUtcNow().ToUnixTimeMilliseconds() - session.LastPushMs >= (long)_options.Push.SessionUpdateInterval.TotalMilliseconds)
                        {
                            await PatchAsync(session, ["kwh", "charging_periods", "total_cost", "currency", "last_updated"], cancellationToken).ConfigureAwait(false);
                        }
                    }

                    return true;
                case TransactionEnded ended:
                    return await EndAsync(ended, cancellationToken).ConfigureAwait(false);
                default:
                    return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Pushes the meter progress the update interval held back (called about once a second).</summary>
    public async Task FlushDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (RoamingSession session in _open.Values.Where(s => s.Dirty && now - s.LastPushMs >= (long)_options.Push.SessionUpdateInterval.TotalMilliseconds).ToList())
            {
                await PatchAsync(session, ["kwh", "charging_periods", "total_cost", "currency", "last_updated"], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The final price from the session's CDR: stored with the session and PATCHed to the eMSP.</summary>
    public async Task ApplyCdrAsync(int transactionId, Cdr.Cdrs.Cdr cdr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_context.Session(transactionId) is not { } session)
            {
                return;
            }

            _open.Remove(transactionId);
            session.Currency = cdr.Currency;
            session.TotalCostJson = JsonSerializer.SerializeToUtf8Bytes(cdr.TotalCost, OcpiJsonContext.Default.Price);
            session.ChargingPeriodsJson = JsonSerializer.SerializeToUtf8Bytes(cdr.ChargingPeriods, OcpiJsonContext.Default.IReadOnlyListChargingPeriod);
            session.LastUpdatedMs = Math.Max(session.LastUpdatedMs, cdr.LastUpdated.ToUnixTimeMilliseconds());
            await PatchAsync(session, ["kwh", "charging_periods", "total_cost", "currency", "last_updated"], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The Session object (§9.3.1) of a roaming session; an ACTIVE one is priced as if it ended now.</summary>
    public OcpiSession Build(RoamingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var built = new OcpiSession
        {
            CountryCode = _options.CountryCode,
            PartyId = _options.PartyId,
            Id = session.TransactionId.ToString(CultureInfo.InvariantCulture),
            StartDateTime = DateTimeOffset.FromUnixTimeMilliseconds(session.StartMs),
            EndDateTime = session.EndMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(session.EndMs) : null,
            Kwh = session.Kwh,
            CdrToken = new CdrToken(session.TokenCountryCode, session.TokenPartyId, session.IdTag, session.TokenType, session.ContractId),
            AuthMethod = session.AuthMethod,
            AuthorizationReference = session.AuthorizationReference,
            LocationId = session.LocationId,
            EvseUid = session.EvseUid,
            ConnectorId = session.OcpiConnectorId,
            Currency = session.Currency ?? _cdrOptions.DefaultCurrency,
            Status = session.Status,
            LastUpdated = DateTimeOffset.FromUnixTimeMilliseconds(session.LastUpdatedMs),
        };
        if (session.TotalCostJson is not null)
        {
            built.TotalCost = JsonSerializer.Deserialize(session.TotalCostJson, OcpiJsonContext.Default.Price);
            built.ChargingPeriods = session.ChargingPeriodsJson is null ? null : JsonSerializer.Deserialize(session.ChargingPeriodsJson, OcpiJsonContext.Default.IReadOnlyListChargingPeriod);
        }
        else if (session.Status == "ACTIVE" && _pipeline.PriceSoFar(session.TransactionId) is { Priced: { } priced })
        {
            built.TotalCost = priced.TotalCost;
            built.ChargingPeriods = priced.ChargingPeriods;
            built.Currency = priced.Currency;
        }

        return built;
    }

    /// <summary>
    /// The OCPI 2.1.1 Session (mod_sessions §3.1) of a roaming session: <see cref="Build"/> mapped by
    /// <see cref="Ocpi211Mapper"/>, at its configured location with live status (only the EVSE and connector used), or
    /// at the CDR pipeline's location of the charger when none is configured.
    /// </summary>
    public Session211 Build211(RoamingSession session) => Build211(session, Build(session));

    private Session211 Build211(RoamingSession session, OcpiSession built)
    {
        Location211 location = (_locations.Build(session.LocationId) is { } configured
                ? Ocpi211Mapper.LocationOfSession(configured, _options.BusinessName, session.EvseUid, session.OcpiConnectorId)
                : null)
            ?? Ocpi211Mapper.LocationOfSession(PipelineLocation(session), built.LastUpdated);
        return Ocpi211Mapper.Session(built, location);
    }

    /// <summary>The CdrLocation the CDR pipeline will write for this session's charger, with the session's OCPI ids.</summary>
    private CdrLocation PipelineLocation(RoamingSession session) =>
        CdrBuilder.Location(_cdrOptions.LocationOf(session.ChargerId), session.ChargerId, session.ConnectorId)
            with { Id = session.LocationId, EvseUid = session.EvseUid, ConnectorId = session.OcpiConnectorId };

    private async Task<bool> StartAsync(TransactionStarted started, CancellationToken cancellationToken)
    {
        if (_open.ContainsKey(started.TransactionId) || _context.Session(started.TransactionId) is not null)
        {
            return false; // a replayed start
        }

        if (_context.OwnerOf(started.IdTag, started.ChargerId, started.TimestampMs) is not { } owner)
        {
            return false;
        }

        var place = _context.Place(started.ChargerId, started.ConnectorId);
        var session = new RoamingSession
        {
            TransactionId = started.TransactionId,
            ChargerId = started.ChargerId,
            ConnectorId = started.ConnectorId,
            IdTag = started.IdTag!,
            PartnerId = owner.PartnerId,
            TokenCountryCode = owner.CountryCode.ToUpperInvariant(),
            TokenPartyId = owner.PartyId.ToUpperInvariant(),
            TokenType = owner.Type,
            ContractId = owner.ContractId,
            AuthMethod = owner.AuthMethod,
            AuthorizationReference = owner.AuthorizationReference,
            LocationId = place?.Location.Id ?? started.ChargerId,
            EvseUid = place?.Evse.Uid ?? started.ChargerId + "*" + started.ConnectorId.ToString(CultureInfo.InvariantCulture),
            OcpiConnectorId = place?.Evse.Connectors[0].Id ?? "1",
            StartMs = started.StartTimestampMs,
            MeterStartMilliWh = started.MeterStartMilliWh,
            EnergyMilliWh = started.MeterStartMilliWh,
            // AuthorizationStatus 1 = Accepted: anything else means the charger charged a token we refused.
            Status = started.AuthStatus == 1 ? "ACTIVE" : "INVALID",
            LastUpdatedMs = started.TimestampMs,
            CreatedMs = started.TimestampMs,
        };
        if (session.Status == "ACTIVE")
        {
            _open[session.TransactionId] = session;
        }

        await PushAsync(session, HttpMethod.Put, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> EndAsync(TransactionEnded ended, CancellationToken cancellationToken)
    {
        RoamingSession? session = _open.GetValueOrDefault(ended.TransactionId) ?? _context.Session(ended.TransactionId);
        if (session is null || session.EndMs > 0 || session.ChargerId != ended.ChargerId)
        {
            return false;
        }

        session.EndMs = Math.Max(ended.StopTimestampMs, session.StartMs);
        session.EnergyMilliWh = Math.Max(session.EnergyMilliWh, ended.MeterStopMilliWh);
        session.Status = session.Status == "INVALID" ? "INVALID" : "COMPLETED";
        session.LastUpdatedMs = Math.Max(session.LastUpdatedMs, ended.TimestampMs);
        await PatchAsync(session, ["status", "end_date_time", "kwh", "last_updated"], cancellationToken).ConfigureAwait(false);
        _open.Remove(ended.TransactionId);
        return true;
    }

    private Task PatchAsync(RoamingSession session, string[] fields, CancellationToken cancellationToken) =>
        PushAsync(session, HttpMethod.Patch, fields, cancellationToken);

    /// <summary>
    /// Stores the session, then queues the PUT or the PATCH of <paramref name="fields"/> (2.2.1 names) for its eMSP, in
    /// the partner's version.
    /// </summary>
    private async Task PushAsync(RoamingSession session, HttpMethod method, string[]? fields, CancellationToken cancellationToken)
    {
        session.Dirty = false;
        session.LastPushMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        OcpiSession built = Build(session);
        await _storage.PutDocumentAsync(RoamingContext.SessionCollection, RoamingContext.SessionKey(session.TransactionId), MessagePackSerializer.Serialize(session), cancellationToken).ConfigureAwait(false);
        _index.Upsert(session.TokenCountryCode, session.TokenPartyId, RoamingContext.SessionKey(session.TransactionId), session.LastUpdatedMs);
        if (_partners.Get(session.PartnerId) is not { Registered: true, Version: OcpiVersionNumber.V221 or OcpiVersionNumber.V211 } partner
            || partner.EndpointUrl("sessions", "RECEIVER") is null)
        {
            return;
        }

        bool v211 = partner.Version == OcpiVersionNumber.V211;
        JsonObject body = v211
            ? JsonSerializer.SerializeToNode(Build211(session, built), Ocpi211JsonContext.Default.Session211)!.AsObject()
            : JsonSerializer.SerializeToNode(built, OcpiJsonContext.Default.OcpiSession)!.AsObject();
        if (fields is not null)
        {
            string[] names = v211 ? [.. fields.Select(Ocpi211Mapper.SessionField)] : fields;
            foreach (string name in body.Select(p => p.Key).ToList())
            {
                if (!names.Contains(name, StringComparer.Ordinal))
                {
                    body.Remove(name);
                }
            }
        }

        string path = "/" + Uri.EscapeDataString(built.CountryCode) + "/" + Uri.EscapeDataString(built.PartyId) + "/" + Uri.EscapeDataString(built.Id);
        await _outbox.EnqueueAsync(
            partner.Id, "sessions", method, path, JsonSerializer.SerializeToUtf8Bytes(body, OcpiJsonContext.Default.JsonNode), "sessions" + path, built.LastUpdated, cancellationToken).ConfigureAwait(false);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.V211;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// CPO Locations module, Sender push (OCPI 2.2.1 §8.2.1.2 "the CPO pushes changes to the eMSP"; 2.1.1 mod_locations
/// §2.2, the same paths and PATCH body): every registered 2.2.1 or 2.1.1 eMSP with a Locations Receiver gets a PUT of each published location when it registers (§8.2.2.2, the initial
/// sync its receiver needs before an EVSE PATCH can apply), then a PATCH of <c>{status, last_updated}</c> on the EVSE
/// (§8.2.2.3) each time the OCPP connector behind it changes status or its charger goes off- or online.
/// </summary>
/// <remarks>
/// <para>All requests go through the <see cref="PushOutbox"/>, keyed per EVSE (<c>locations/{cc}/{pid}/{loc}/{evse}</c>),
/// so a partner that is behind gets only the latest status of each EVSE, not every flap in between.</para>
/// <para>Status changes are read from the event log by the <see cref="RoamingFeed"/> (durable position), so a change
/// that happens while a partner is unreachable still reaches it. The status and last_updated come from the event itself
/// (the charger's status timestamp, never later than when we logged it), not from the live state, so a replay after a
/// crash sends the same PATCH again rather than a newer state under an older time.</para>
/// </remarks>
public sealed partial class LocationPush
{
    private readonly LocationCatalog _catalog;
    private readonly PushOutbox _outbox;
    private readonly PartnerRegistry _partners;
    private readonly OcpiOptions _options;
    private readonly ILogger<LocationPush> _logger;

    /// <summary>Orders each location's initial PUT against the EVSE PATCHes: a PATCH never overtakes its location's PUT.</summary>
    private readonly SemaphoreSlim _order = new(1, 1);

    /// <summary>
    /// Per partner, the locations whose initial PUT is not queued yet. A status change for one of them is not PATCHed:
    /// the PUT, built from the live state when its turn comes, already carries it (the receiver would answer a PATCH
    /// of a location it does not have yet with "unknown location").
    /// </summary>
    private readonly Dictionary<string, HashSet<string>> _unsynced = new(StringComparer.Ordinal);

    /// <summary>Creates the pusher; partners that register from now on get the initial sync.</summary>
    public LocationPush(LocationCatalog catalog, PushOutbox outbox, PartnerRegistry partners, OcpiOptions options, ILogger<LocationPush> logger)
    {
        ArgumentNullException.ThrowIfNull(partners);
        _catalog = catalog;
        _outbox = outbox;
        _partners = partners;
        _options = options;
        _logger = logger;
        partners.PartnerRegistered += partner =>
        {
            if (IsTarget(partner))
            {
                lock (_unsynced)
                {
                    _unsynced[partner.Id] = [.. catalog.Configured.Where(l => l.Publish).Select(l => l.Id)];
                }
            }

            _ = SyncAsync(partner);
        };
    }

    /// <summary>
    /// Whether <paramref name="partner"/> takes pushed locations: a registered 2.2.1 or 2.1.1 eMSP with a Locations
    /// Receiver. NOTE: a 2.1.1 partner's roles and endpoints carry no role (2.1.1 credentials and version details), so
    /// every 2.1.1 partner counts as an eMSP and its <c>locations</c> endpoint as its receiver.
    /// </summary>
    public static bool IsTarget(OcpiPartner partner) =>
        partner is { Registered: true, Version: OcpiVersionNumber.V221 or OcpiVersionNumber.V211 } && partner.HasRole("EMSP") && partner.EndpointUrl("locations", "RECEIVER") is not null;

    /// <summary>
    /// PUTs every published location to <paramref name="partner"/> (§8.2.2.2). Cheap: a few objects per location,
    /// queued once per registration; a location's PUT replaces a queued older one.
    /// </summary>
    public async Task SyncAsync(OcpiPartner partner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partner);
        if (!IsTarget(partner))
        {
            return;
        }

        try
        {
            foreach (LocationConfiguration configured in _catalog.Configured.Where(l => l.Publish).ToList())
            {
                await _order.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_catalog.Build(configured.Id) is not { } location)
                    {
                        continue;
                    }

                    string path = LocationPath(location.Id!);
                    byte[] body = partner.Version == OcpiVersionNumber.V211
                        ? JsonSerializer.SerializeToUtf8Bytes(Ocpi211Mapper.Location(location, _options.BusinessName), Ocpi211JsonContext.Default.Location211)
                        : JsonSerializer.SerializeToUtf8Bytes(location, OcpiJsonContext.Default.OcpiLocation);
                    await _outbox.EnqueueAsync(partner.Id, "locations", HttpMethod.Put, path, body, "locations" + path, location.LastUpdated ?? DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (_unsynced)
                    {
                        _unsynced.GetValueOrDefault(partner.Id)?.Remove(configured.Id);
                    }

                    _order.Release();
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogSyncFailed(_logger, partner.Id, error);
        }
    }

    /// <summary>A connector changed status (OCPP StatusNotification): PATCH its EVSE. True when one of ours is published.</summary>
    public async Task<bool> OnStatusChangedAsync(StatusChanged changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (_catalog.FindByCharger(changed.ChargerId, changed.ConnectorId) is not { Location.Publish: true } found)
        {
            return false;
        }

        // The charger's clock may run ahead of ours; last_updated must never be later than when we learnt of it.
        long ms = changed.StatusTimestampMs > 0 ? Math.Min(changed.StatusTimestampMs, changed.TimestampMs) : changed.TimestampMs;
        string status = EvseStatusMapping.Map((ConnectorStatus)changed.Status, chargerOnline: true);
        await PatchAsync(found.Location.Id, found.Evse.Uid, status, DateTimeOffset.FromUnixTimeMilliseconds(ms), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A charger connected or disconnected: its EVSEs become UNKNOWN while it is offline (§8.4.22 "also used when
    /// offline"), and show their last reported status again when it is back.
    /// </summary>
    public async Task<bool> OnConnectionChangedAsync(string chargerId, bool online, long timestampMs, CancellationToken cancellationToken)
    {
        bool any = false;
        foreach (LocationConfiguration location in _catalog.Configured)
        {
            if (!location.Publish || !location.Evses.Exists(e => string.Equals(e.ChargePointId, chargerId, StringComparison.Ordinal)))
            {
                continue;
            }

            OcpiLocation? built = online ? _catalog.Build(location.Id) : null;
            foreach (EvseConfiguration evse in location.Evses.Where(e => string.Equals(e.ChargePointId, chargerId, StringComparison.Ordinal)))
            {
                string status = built?.Evses?.Find(e => e.Uid == evse.Uid)?.Status ?? "UNKNOWN";
                await PatchAsync(location.Id, evse.Uid, status, DateTimeOffset.FromUnixTimeMilliseconds(timestampMs), cancellationToken).ConfigureAwait(false);
                any = true;
            }
        }

        return any;
    }

    private async Task PatchAsync(string locationId, string evseUid, string status, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        // §8.2.2.3: a PATCH carries last_updated; only the changed fields otherwise. The same body is a valid 2.1.1
        // EVSE PATCH (mod_locations §2.2.3, §3.2: status and last_updated alike).
        var patch = new JsonObject { ["status"] = status, ["last_updated"] = OcpiDates.Format(OcpiDates.Truncate(lastUpdated)) };
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(patch, OcpiJsonContext.Default.JsonNode);
        string path = LocationPath(locationId) + "/" + Uri.EscapeDataString(evseUid);
        await _order.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (OcpiPartner partner in _partners.Registered.Where(IsTarget).ToList())
            {
                bool waitsForPut;
                lock (_unsynced)
                {
                    waitsForPut = _unsynced.TryGetValue(partner.Id, out HashSet<string>? pending) && pending.Contains(locationId);
                }

                if (!waitsForPut)
                {
                    await _outbox.EnqueueAsync(partner.Id, "locations", HttpMethod.Patch, path, body, "locations" + path, lastUpdated, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _order.Release();
        }
    }

    private string LocationPath(string locationId) =>
        "/" + Uri.EscapeDataString(_options.CountryCode) + "/" + Uri.EscapeDataString(_options.PartyId) + "/" + Uri.EscapeDataString(locationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCPI initial locations sync to {PartnerId} could not be queued")]
    private static partial void LogSyncFailed(ILogger logger, string partnerId, Exception error);
}

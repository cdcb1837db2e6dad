using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>What a location write did.</summary>
public enum LocationWriteOutcome
{
    /// <summary>A new object (HTTP 201).</summary>
    Created,

    /// <summary>An existing object changed (HTTP 200).</summary>
    Updated,

    /// <summary>PATCH of an object we do not have, or a child of a location we do not have (404).</summary>
    NotFound,

    /// <summary>The body is not a valid object for this URL (2001).</summary>
    Invalid,
}

/// <summary>The outcome and, when it failed, why.</summary>
public readonly record struct LocationWriteResult(LocationWriteOutcome Outcome, string? Error);

/// <summary>
/// Locations received as eMSP, stored whole (JSON) per location so that a GET, a partial PATCH and the child updates
/// of OCPI 2.2.1 §8.2.2 all work on one document. Input is validated leniently: required fields and ids are checked,
/// overlong free-text fields are kept as sent (they are the CPO's data; §4.1.7 asks receivers to process what they can).
/// </summary>
public sealed class LocationReceiverStore
{
    private readonly ClientOwnedObjectStore _store;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Creates the store.</summary>
    public LocationReceiverStore(StorageEngine storage) => _store = new ClientOwnedObjectStore(storage, LocationReceiverEndpoints.Collection);

    /// <summary>The underlying object store (read API).</summary>
    public ClientOwnedObjectStore Objects => _store;

    /// <summary>The stored location as JSON.</summary>
    public JsonObject? GetJson(string countryCode, string partyId, string locationId) =>
        _store.Get(countryCode, partyId, locationId) is { } stored ? JsonNode.Parse(stored.Json) as JsonObject : null;

    /// <summary>The stored location in the 2.1.1 form it was received in, when a 2.1.1 CPO pushed it.</summary>
    public JsonObject? GetReceivedJson(string countryCode, string partyId, string locationId) =>
        _store.Get(countryCode, partyId, locationId) is { ReceivedJson: { } received } ? JsonNode.Parse(received) as JsonObject : null;

    /// <summary>A JSON node as an element to serve.</summary>
    public static JsonElement ToElement(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using JsonDocument document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>The location itself, one EVSE of it, or one connector of that EVSE (ids are CiString).</summary>
    public static JsonObject? Navigate(JsonObject location, string? evseUid, string? connectorId)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (evseUid is null)
        {
            return location;
        }

        JsonObject? evse = FindChild(location["evses"] as JsonArray, "uid", evseUid);
        return connectorId is null || evse is null ? evse : FindChild(evse["connectors"] as JsonArray, "id", connectorId);
    }

    /// <summary>
    /// PUT or PATCH of a location (<paramref name="evseUid"/> null), an EVSE, or a connector. PATCH must carry
    /// last_updated (§8.2.2.3, 2001 otherwise) and the object must exist (404). PUT of a location must carry its id,
    /// country_code and party_id equal to the URL's (2001, §4.1.8.1). A child write sets the parents' last_updated to
    /// the child's when that is later (so date_from pulls see the change).
    /// </summary>
    public Task<LocationWriteResult> WriteAsync(
        string partnerId, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, JsonObject body, bool patch, CancellationToken cancellationToken) =>
        WriteAsync(partnerId, countryCode, partyId, locationId, evseUid, connectorId, body, patch, OcpiVersionNumber.V221, cancellationToken);

    /// <summary>
    /// The same write in the form of <paramref name="version"/>. A 2.1.1 write (2.1.1 §2.2.2, §2.2.3) applies to the
    /// location as received at 2.1.1 (<see cref="StoredObject.ReceivedJson"/>), checks it against 2.1.1's required
    /// fields (<see cref="Ocpi211Objects.ValidateLocation"/>) and stores its 2.2.1 conversion as the location
    /// (country_code/party_id from the URL, publish=true). A 2.1.1 PATCH needs no last_updated (2.1.1 transport
    /// "PATCH": only the fields to update); one without it is stamped with the time we received it.
    /// </summary>
    public async Task<LocationWriteResult> WriteAsync(
        string partnerId, string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, JsonObject body, bool patch,
        OcpiVersionNumber version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        bool v211 = version == OcpiVersionNumber.V211;
        if (v211 && patch && body["last_updated"] is null)
        {
            body["last_updated"] = OcpiDates.Format(OcpiDates.Truncate(DateTimeOffset.UtcNow));
        }

        if (!ReadLastUpdated(body, out DateTimeOffset lastUpdated, out string? dateError))
        {
            return new LocationWriteResult(LocationWriteOutcome.Invalid, dateError);
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            JsonObject? location = v211 ? GetReceivedJson(countryCode, partyId, locationId) : GetJson(countryCode, partyId, locationId);
            bool created;
            if (evseUid is null)
            {
                if (patch)
                {
                    if (location is null)
                    {
                        return new LocationWriteResult(LocationWriteOutcome.NotFound, $"Unknown location '{locationId}': PUT it first.");
                    }

                    if (!SameId(body, "id", locationId) || !SameId(body, "country_code", countryCode) || !SameId(body, "party_id", partyId))
                    {
                        return new LocationWriteResult(LocationWriteOutcome.Invalid, "A PATCH may not change id, country_code or party_id.");
                    }

                    Merge(location, body);
                    created = false;
                }
                else
                {
                    if (!body.ContainsKey("id") || !SameId(body, "id", locationId) || !SameId(body, "country_code", countryCode) || !SameId(body, "party_id", partyId))
                    {
                        return new LocationWriteResult(LocationWriteOutcome.Invalid, "id, country_code and party_id must equal the URL's.");
                    }

                    created = location is null;
                    location = body;
                }
            }
            else
            {
                if (location is null)
                {
                    return new LocationWriteResult(LocationWriteOutcome.NotFound, $"Unknown location '{locationId}': PUT the location first.");
                }

                JsonArray evses = location["evses"] as JsonArray ?? [];
                location["evses"] = evses;
                JsonObject? evse = FindChild(evses, "uid", evseUid);
                if (connectorId is null)
                {
                    if (!SameId(body, "uid", evseUid) || (!patch && !body.ContainsKey("uid")))
                    {
                        return new LocationWriteResult(LocationWriteOutcome.Invalid, "uid must equal the URL's EVSE uid.");
                    }

                    created = evse is null;
                    if (patch && evse is null)
                    {
                        return new LocationWriteResult(LocationWriteOutcome.NotFound, $"Unknown EVSE '{evseUid}': PUT it first.");
                    }

                    if (patch)
                    {
                        Merge(evse!, body);
                    }
                    else
                    {
                        Replace(evses, evse, body);
                    }
                }
                else
                {
                    if (evse is null)
                    {
                        return new LocationWriteResult(LocationWriteOutcome.NotFound, $"Unknown EVSE '{evseUid}': PUT it first.");
                    }

                    if (!SameId(body, "id", connectorId) || (!patch && !body.ContainsKey("id")))
                    {
                        return new LocationWriteResult(LocationWriteOutcome.Invalid, "id must equal the URL's connector id.");
                    }

                    JsonArray connectors = evse["connectors"] as JsonArray ?? [];
                    evse["connectors"] = connectors;
                    JsonObject? connector = FindChild(connectors, "id", connectorId);
                    created = connector is null;
                    if (patch && connector is null)
                    {
                        return new LocationWriteResult(LocationWriteOutcome.NotFound, $"Unknown connector '{connectorId}': PUT it first.");
                    }

                    if (patch)
                    {
                        Merge(connector!, body);
                    }
                    else
                    {
                        Replace(connectors, connector, body);
                    }

                    Bump(evse, lastUpdated);
                }

                Bump(location, lastUpdated);
            }

            // What we store must still be a Location (required fields present and typed right).
            string? invalid = v211 ? Ocpi211Objects.ValidateLocation(location) : Validate(location);
            if (invalid is not null)
            {
                return new LocationWriteResult(LocationWriteOutcome.Invalid, invalid);
            }

            ReadLastUpdated(location, out DateTimeOffset locationUpdated, out _);
            await _store.PutAsync(
                new StoredObject
                {
                    Json = Encoding.UTF8.GetBytes((v211 ? Ocpi211Objects.LocationTo221(location, countryCode, partyId) : location).ToJsonString()),
                    ReceivedJson = v211 ? Encoding.UTF8.GetBytes(location.ToJsonString()) : null,
                    ReceivedVersion = v211 ? OcpiVersions.V211 : null,
                    LastUpdatedMs = locationUpdated.ToUnixTimeMilliseconds(),
                    PartnerId = partnerId,
                    CountryCode = countryCode,
                    PartyId = partyId,
                    Id = locationId,
                },
                cancellationToken).ConfigureAwait(false);
            return new LocationWriteResult(created ? LocationWriteOutcome.Created : LocationWriteOutcome.Updated, null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Checks a whole location against the property tables of OCPI 2.2.1 §8.3 (<see cref="OcpiSchemas"/>); null when fine.</summary>
    public static string? Validate(JsonObject location) => OcpiSchemas.V221.Check("Location", location) is { } error ? "Location: " + error : null;

    private static bool ReadLastUpdated(JsonObject body, out DateTimeOffset value, out string? error)
    {
        value = default;
        error = null;
        if (body["last_updated"] is not JsonValue node || !node.TryGetValue(out string? text) || !OcpiDates.TryParse(text, out value))
        {
            error = "last_updated is required (an RFC 3339 date-time).";
            return false;
        }

        return true;
    }

    private static bool SameId(JsonObject body, string property, string expected) =>
        body[property] is not JsonValue value || (value.TryGetValue(out string? text) && string.Equals(text, expected, StringComparison.OrdinalIgnoreCase));

    private static JsonObject? FindChild(JsonArray? array, string idProperty, string id)
    {
        if (array is null)
        {
            return null;
        }

        foreach (JsonNode? node in array)
        {
            if (node is JsonObject child && child[idProperty] is JsonValue value && value.TryGetValue(out string? text)
                && string.Equals(text, id, StringComparison.OrdinalIgnoreCase))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>PATCH: every top-level field in the patch replaces the stored one (lists included, §4.1.7).</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach ((string name, JsonNode? value) in patch.ToList())
        {
            patch.Remove(name);
            target[name] = value;
        }
    }

    private static void Replace(JsonArray array, JsonObject? existing, JsonObject replacement)
    {
        if (existing is null)
        {
            array.Add(replacement);
            return;
        }

        int index = array.IndexOf(existing);
        array[index] = replacement;
    }

    private static void Bump(JsonObject parent, DateTimeOffset childUpdated)
    {
        if (!ReadLastUpdated(parent, out DateTimeOffset current, out _) || childUpdated > current)
        {
            parent["last_updated"] = OcpiDates.Format(childUpdated);
        }
    }
}

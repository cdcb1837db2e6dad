using System.Collections.Concurrent;
using System.Text.Json;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Cdr.Pipeline;

// OCPI and storage field records: each type is documented with its specification reference; the members carry the spec's own names.
#pragma warning disable CS1591

/// <summary>
/// Tariffs (OCPI 2.2.1 JSON, document collection <c>tariffs</c>) and which one applies where (collection
/// <c>tariff-assignments</c>). The most specific assignment wins: token, then connector, then charger, then location,
/// then the default.
/// </summary>
public sealed class TariffStore
{
    public const string TariffCollection = "tariffs";
    public const string AssignmentCollection = "tariff-assignments";

    /// <summary>Key of the default assignment.</summary>
    public const string DefaultScope = "default";

    private readonly ConcurrentDictionary<string, Tariff> _tariffs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _assignments = new(StringComparer.Ordinal);

    /// <summary>Compiled tariffs, by instance: a tariff is compiled once, not once per CDR (~3 KB and the restriction setup each time).</summary>
    private readonly ConcurrentDictionary<Tariff, TariffPricer> _pricers = new(ReferenceEqualityComparer.Instance);
    private readonly StorageEngine _storage;

    /// <summary>Loads the stored tariffs and assignments.</summary>
    public TariffStore(StorageEngine storage)
    {
        _storage = storage;
        foreach ((string id, byte[] json) in storage.Documents.List(TariffCollection))
        {
            _tariffs[id] = Parse(json);
        }

        foreach ((string scope, byte[] tariffId) in storage.Documents.List(AssignmentCollection))
        {
            _assignments[scope] = System.Text.Encoding.UTF8.GetString(tariffId);
        }
    }

    /// <summary>Every tariff, ordered by id.</summary>
    public IReadOnlyList<Tariff> All => [.. _tariffs.Values.OrderBy(t => t.Id, StringComparer.Ordinal)];

    /// <summary>Every assignment (scope → tariff id), ordered by scope.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Assignments => [.. _assignments.OrderBy(a => a.Key, StringComparer.Ordinal)];

    public Tariff? Get(string id) => _tariffs.GetValueOrDefault(id);

    /// <summary>The compiled pricer of a tariff (thread-safe; reused across CDRs).</summary>
    public TariffPricer PricerFor(Tariff tariff) => _pricers.GetOrAdd(tariff, static t => new TariffPricer(t));

    /// <summary>Parses OCPI 2.2.1 tariff JSON.</summary>
    /// <exception cref="JsonException">Not a tariff.</exception>
    public static Tariff Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, OcpiTariffJsonContext.Default.Tariff) ?? throw new JsonException("A tariff object is required.");

    /// <summary>Stores a tariff durably (it prices every CDR built afterwards).</summary>
    public async ValueTask SaveAsync(Tariff tariff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        CheckNumbers(tariff);

        // Stored as sent: OCPI DateTime carries at most milliseconds.
        tariff = tariff with { LastUpdated = OcpiDateTimeConverter.Truncate(tariff.LastUpdated) };
        _ = new TariffPricer(tariff); // NOTE: refuse a tariff the pricer cannot compile before it is stored.
        await _storage.PutDocumentAsync(TariffCollection, tariff.Id, JsonSerializer.SerializeToUtf8Bytes(tariff, OcpiTariffJsonContext.Default.Tariff), cancellationToken).ConfigureAwait(false);
        if (_tariffs.TryGetValue(tariff.Id, out Tariff? replaced))
        {
            _pricers.TryRemove(replaced, out _);
        }

        _tariffs[tariff.Id] = tariff;
    }

    /// <summary>
    /// Refuses numbers OCPI cannot carry (types "number": at most 4 decimals): the JSON we store and push rounds to 4,
    /// so a price of 0.12345 would be billed here and published as 0.1235.
    /// </summary>
    /// <exception cref="ArgumentException">A number with more than 4 decimals.</exception>
    private static void CheckNumbers(Tariff tariff)
    {
        var numbers = new List<(string Name, decimal? Value)>
        {
            ("min_price.excl_vat", tariff.MinPrice?.ExclVat), ("min_price.incl_vat", tariff.MinPrice?.InclVat),
            ("max_price.excl_vat", tariff.MaxPrice?.ExclVat), ("max_price.incl_vat", tariff.MaxPrice?.InclVat),
        };
        foreach (TariffElement element in tariff.Elements)
        {
            foreach (PriceComponent component in element.PriceComponents)
            {
                numbers.Add(("price", component.Price));
                numbers.Add(("vat", component.Vat));
            }

            if (element.Restrictions is { } r)
            {
                numbers.AddRange([("min_kwh", r.MinKwh), ("max_kwh", r.MaxKwh), ("min_current", r.MinCurrent), ("max_current", r.MaxCurrent), ("min_power", r.MinPower), ("max_power", r.MaxPower)]);
            }
        }

        foreach ((string name, decimal? value) in numbers)
        {
            if (value is { } v && v != Math.Round(v, OcpiNumberConverter.MaxDecimals))
            {
                throw new ArgumentException($"{name} {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} has more than {OcpiNumberConverter.MaxDecimals} decimals (OCPI number).", nameof(tariff));
            }
        }
    }

    /// <summary>Deletes a tariff; false when unknown or still assigned.</summary>
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!_tariffs.ContainsKey(id) || _assignments.Values.Contains(id, StringComparer.Ordinal))
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(TariffCollection, id, cancellationToken).ConfigureAwait(false);
        if (_tariffs.TryRemove(id, out Tariff? removed))
        {
            _pricers.TryRemove(removed, out _);
            return true;
        }

        return false;
    }

    /// <summary>Assigns a tariff to a scope (see <see cref="Scope"/>), or removes the assignment with null.</summary>
    public async ValueTask AssignAsync(string scope, string? tariffId, CancellationToken cancellationToken = default)
    {
        if (tariffId is null)
        {
            await _storage.DeleteDocumentAsync(AssignmentCollection, scope, cancellationToken).ConfigureAwait(false);
            _assignments.TryRemove(scope, out _);
            return;
        }

        await _storage.PutDocumentAsync(AssignmentCollection, scope, System.Text.Encoding.UTF8.GetBytes(tariffId), cancellationToken).ConfigureAwait(false);
        _assignments[scope] = tariffId;
    }

    /// <summary>
    /// Scope key: <c>default</c>, <c>location:&lt;id&gt;</c>, <c>charger:&lt;id&gt;</c>, <c>connector:&lt;id&gt;:&lt;n&gt;</c> or
    /// <c>token:&lt;idTag&gt;</c>.
    /// </summary>
    public static string Scope(string? chargerId = null, int? connectorId = null, string? idTag = null, string? locationId = null) =>
        idTag is not null ? "token:" + idTag
        : locationId is not null ? "location:" + locationId
        : chargerId is not null && connectorId is not null ? "connector:" + chargerId + ":" + connectorId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : chargerId is not null ? "charger:" + chargerId
        : DefaultScope;

    /// <summary>The tariff for a session: token, then connector, then charger, then location, then default assignment.</summary>
    public Tariff? Resolve(string chargerId, int connectorId, string? idTag, string? locationId = null)
    {
        foreach (string? scope in new[] { idTag is null ? null : Scope(idTag: idTag), Scope(chargerId, connectorId), Scope(chargerId), locationId is null ? null : Scope(locationId: locationId), DefaultScope })
        {
            if (scope is not null && _assignments.TryGetValue(scope, out string? id) && _tariffs.TryGetValue(id, out Tariff? tariff))
            {
                return tariff;
            }
        }

        return null;
    }
}

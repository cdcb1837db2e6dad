using EvCloud.Fast.Tariffs.V211;
using System.Text.Json;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Ocpi.V211;

namespace EvCloud.Fast.Ocpi.Tariffs;

/// <summary>
/// CPO Tariffs module, sending side (OCPI 2.2.1 §11.2.1 and §11.2.2): our tariffs from the <see cref="TariffStore"/>
/// — only those whose country_code and party_id are ours, since a CPO publishes its own tariffs — listed for GET and
/// pushed to every registered 2.2.1 or 2.1.1 eMSP with a Tariffs receiver: PUT on each change, DELETE when removed.
/// A 2.1.1 eMSP gets the 2.1.1 Tariff (<see cref="Tariff211Mapper.ToV211"/>) on the same paths (2.1.1 mod_tariffs §2.2:
/// <c>{tariffs}/{country_code}/{party_id}/{tariff_id}</c>); a tariff with no 2.1.1 form is not PUT to it.
/// </summary>
/// <remarks>Changes are seen on the event log (the store's document writes), so a change made while a partner is
/// unreachable is still delivered, by the outbox, later.</remarks>
public sealed class TariffSender
{
    private readonly TariffStore _tariffs;
    private readonly PushOutbox _outbox;
    private readonly PartnerRegistry _partners;
    private readonly OcpiOptions _options;
    private readonly HashSet<string> _ours = new(StringComparer.Ordinal);

    /// <summary>Creates the sender.</summary>
    public TariffSender(TariffStore tariffs, PushOutbox outbox, PartnerRegistry partners, OcpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(tariffs);
        _tariffs = tariffs;
        _outbox = outbox;
        _partners = partners;
        _options = options;
        foreach (Tariff tariff in tariffs.All.Where(IsOurs))
        {
            _ours.Add(tariff.Id);
        }
    }

    /// <summary>Our tariffs, by id.</summary>
    public IReadOnlyList<Tariff> Ours() => [.. _tariffs.All.Where(IsOurs)];

    /// <summary>Whether a tariff is published under our party (§11.3.1 country_code/party_id of the CPO).</summary>
    public bool IsOurs(Tariff tariff) =>
        tariff is not null && string.Equals(tariff.CountryCode, _options.CountryCode, StringComparison.OrdinalIgnoreCase)
        && string.Equals(tariff.PartyId, _options.PartyId, StringComparison.OrdinalIgnoreCase);

    /// <summary>A tariff document was written (<paramref name="json"/>) or deleted (null); true when one of ours changed.</summary>
    public async Task<bool> OnChangedAsync(string tariffId, byte[]? json, CancellationToken cancellationToken)
    {
        Tariff? tariff = null;
        if (json is not null)
        {
            try
            {
                tariff = TariffStore.Parse(json);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        if (tariff is not null && IsOurs(tariff))
        {
            _ours.Add(tariffId);
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(tariff, OcpiTariffJsonContext.Default.Tariff);
            byte[]? body211 = Tariff211Mapper.ToV211(tariff) is { } mapped ? JsonSerializer.SerializeToUtf8Bytes(mapped, Ocpi211JsonContext.Default.Tariff211) : null;
            await EnqueueAsync(HttpMethod.Put, tariffId, body, body211, tariff.LastUpdated == default ? DateTimeOffset.UtcNow : tariff.LastUpdated, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Deleted, or moved out of our party: partners must forget it (§11.2.2.2 DELETE).
        if (_ours.Remove(tariffId))
        {
            await EnqueueAsync(HttpMethod.Delete, tariffId, null, null, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>Queues the request for every eMSP: <paramref name="body"/> to 2.2.1 ones, <paramref name="body211"/> to 2.1.1 ones.</summary>
    private async Task EnqueueAsync(HttpMethod method, string tariffId, byte[]? body, byte[]? body211, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        string path = "/" + Uri.EscapeDataString(_options.CountryCode) + "/" + Uri.EscapeDataString(_options.PartyId) + "/" + Uri.EscapeDataString(tariffId);
        foreach (OcpiPartner partner in _partners.Registered.Where(p => p.Version is OcpiVersionNumber.V221 or OcpiVersionNumber.V211 && p.HasRole("EMSP") && p.EndpointUrl("tariffs", "RECEIVER") is not null).ToList())
        {
            bool v211 = partner.Version == OcpiVersionNumber.V211;
            if (v211 && method == HttpMethod.Put && body211 is null)
            {
                continue; // no 2.1.1 form (see Tariff211Mapper.ToV211)
            }

            await _outbox.EnqueueAsync(partner.Id, "tariffs", method, path, v211 ? body211 : body, "tariffs" + path, lastUpdated, cancellationToken).ConfigureAwait(false);
        }
    }
}

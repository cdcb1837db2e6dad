using System.Text.Json;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Cdr.Tariffs;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;

namespace EvCloud.Fast.Ocpi.Tariffs;

/// <summary>
/// CPO Tariffs module, sending side (OCPI 2.2.1 §11.2.1 and §11.2.2): our tariffs from the <see cref="TariffStore"/>
/// — only those whose country_code and party_id are ours, since a CPO publishes its own tariffs — listed for GET and
/// pushed to every registered 2.2.1 eMSP with a Tariffs receiver: PUT on each change, DELETE when removed.
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
            await EnqueueAsync(HttpMethod.Put, tariffId, body, tariff.LastUpdated == default ? DateTimeOffset.UtcNow : tariff.LastUpdated, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Deleted, or moved out of our party: partners must forget it (§11.2.2.2 DELETE).
        if (_ours.Remove(tariffId))
        {
            await EnqueueAsync(HttpMethod.Delete, tariffId, null, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task EnqueueAsync(HttpMethod method, string tariffId, byte[]? body, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        string path = "/" + Uri.EscapeDataString(_options.CountryCode) + "/" + Uri.EscapeDataString(_options.PartyId) + "/" + Uri.EscapeDataString(tariffId);
        foreach (OcpiPartner partner in _partners.Registered.Where(p => p.Version == OcpiVersionNumber.V221 && p.HasRole("EMSP") && p.EndpointUrl("tariffs", "RECEIVER") is not null).ToList())
        {
            await _outbox.EnqueueAsync(partner.Id, "tariffs", method, path, body, "tariffs" + path, lastUpdated, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Text.Json;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>The outcome of pushing one object to one partner.</summary>
/// <param name="PartnerId">The partner.</param>
/// <param name="Delivered">Whether it answered 1000.</param>
/// <param name="Detail">HTTP and OCPI status when not.</param>
public sealed record PushOutcome(string PartnerId, bool Delivered, string? Detail);

/// <summary>
/// Pushes our tokens to the Tokens Receiver of every registered CPO partner (OCPI 2.2.1 §12.2.2.2, PUT
/// <c>{tokens}/{country_code}/{party_id}/{uid}?type=</c>), once, now.
/// </summary>
/// <remarks>
/// Push outbox seam: this is the one place that sends client-owned objects to partners. A durable per-partner outbox
/// (retried, coalesced by object key, drained in order) replaces the direct <see cref="OcpiClient"/> call in
/// <see cref="PushAsync"/> with an enqueue; Sessions, CDRs and Tariffs pushes go through the same outbox. Partners that
/// miss a push catch up by pulling (GET with date_from), which OCPI requires of them anyway (§4.1.5).
/// </remarks>
public sealed class TokenPush
{
    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly OcpiOptions _options;

    /// <summary>Creates the pusher.</summary>
    public TokenPush(PartnerRegistry partners, OcpiClient client, OcpiOptions options)
    {
        _partners = partners;
        _client = client;
        _options = options;
    }

    /// <summary>PUTs <paramref name="token"/> to every registered CPO partner with a Tokens Receiver.</summary>
    public async Task<List<PushOutcome>> PushAsync(OcpiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var outcomes = new List<PushOutcome>();
        foreach (OcpiPartner partner in _partners.Registered.Where(p => p.HasRole("CPO")).ToList())
        {
            string? endpoint = partner.EndpointUrl("tokens", "RECEIVER");
            if (endpoint is null)
            {
                continue;
            }

            string url = endpoint.TrimEnd('/') + "/" + Uri.EscapeDataString(_options.CountryCode) + "/" + Uri.EscapeDataString(_options.PartyId) + "/"
                + Uri.EscapeDataString(token.Uid!) + "?type=" + Uri.EscapeDataString(token.Type!);
            OcpiClientResponse<JsonElement> response = partner.Version == OcpiVersionNumber.V211
                ? await _client.SendAsync(OcpiTarget.For(partner, "CPO"), HttpMethod.Put, url, TokenValidation.To211(token), OcpiJsonContext.Default.OcpiToken211, OcpiJsonContext.Default.JsonElement, routed: false, cancellationToken).ConfigureAwait(false)
                : await _client.SendAsync(OcpiTarget.For(partner, "CPO"), HttpMethod.Put, url, token, OcpiJsonContext.Default.OcpiToken, OcpiJsonContext.Default.JsonElement, routed: true, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new PushOutcome(partner.Id, response.IsSuccess, response.IsSuccess ? null : $"HTTP {response.HttpStatus} / {response.StatusCode}: {response.Message}"));
        }

        return outcomes;
    }
}

using System.Text.Json;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>The outcome of pushing one object to one partner.</summary>
/// <param name="PartnerId">The partner.</param>
/// <param name="Delivered">Whether it answered 1000 within the wait.</param>
/// <param name="Detail">Why not: the dead-letter reason, or the last error while it is still being retried.</param>
public sealed record PushOutcome(string PartnerId, bool Delivered, string? Detail);

/// <summary>
/// Pushes our tokens to the Tokens Receiver of every registered CPO partner (OCPI 2.2.1 §12.2.2.2, PUT
/// <c>{tokens}/{country_code}/{party_id}/{uid}?type=</c>; a 2.1.1 partner, whose endpoints carry no role, gets a 2.1.1
/// Token at <c>{tokens}/{country_code}/{party_id}/{uid}</c>, mod_tokens §2.1.2) through the <see cref="PushOutbox"/>: durable, retried,
/// a newer version of a token replacing a queued older one.
/// </summary>
public sealed class TokenPush
{
    private readonly PartnerRegistry _partners;
    private readonly PushOutbox _outbox;
    private readonly OcpiOptions _options;

    /// <summary>Creates the pusher.</summary>
    public TokenPush(PartnerRegistry partners, PushOutbox outbox, OcpiOptions options)
    {
        _partners = partners;
        _outbox = outbox;
        _options = options;
    }

    /// <summary>How long <see cref="PushAsync"/> waits for each partner's answer before reporting the push as pending.</summary>
    public TimeSpan ReportWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Queues a PUT of <paramref name="token"/> for every registered CPO partner with a Tokens Receiver, then waits up
    /// to <see cref="ReportWait"/> for each so the operator sees at once whether it arrived (a pending push keeps being
    /// retried after the answer).
    /// </summary>
    public async Task<List<PushOutcome>> PushAsync(OcpiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var queued = new List<(string PartnerId, long Seq)>();
        foreach (OcpiPartner partner in _partners.Registered.Where(p => p.HasRole("CPO")).ToList())
        {
            if (partner.EndpointUrl("tokens", "RECEIVER") is null)
            {
                continue;
            }

            // 2.1.1 (mod_tokens §2.1.2) has no type parameter, and its body's type may differ from ours (APP_USER and
            // AD_HOC_USER are OTHER there), so a type in the URL would contradict the body.
            bool v211 = partner.Version == OcpiVersionNumber.V211;
            string path = "/" + Uri.EscapeDataString(_options.CountryCode) + "/" + Uri.EscapeDataString(_options.PartyId) + "/"
                + Uri.EscapeDataString(token.Uid!) + (v211 ? "" : "?type=" + Uri.EscapeDataString(token.Type!));
            byte[] body = v211
                ? JsonSerializer.SerializeToUtf8Bytes(TokenValidation.To211(token), OcpiJsonContext.Default.OcpiToken211)
                : JsonSerializer.SerializeToUtf8Bytes(token, OcpiJsonContext.Default.OcpiToken);
            long seq = await _outbox.EnqueueAsync(partner.Id, "tokens", HttpMethod.Put, path, body, "tokens" + path, token.LastUpdated!.Value, cancellationToken).ConfigureAwait(false);
            queued.Add((partner.Id, seq));
        }

        var outcomes = new List<PushOutcome>(queued.Count);
        foreach ((string partnerId, long seq) in queued)
        {
            DeliveryState state = seq < 0 ? DeliveryState.Delivered : await _outbox.WaitAsync(partnerId, seq, ReportWait, cancellationToken).ConfigureAwait(false);
            string? detail = state switch
            {
                DeliveryState.Delivered => null,
                DeliveryState.Dead => _outbox.DeadLetters(partnerId).LastOrDefault(d => d.Seq == seq)?.DeadReason ?? "dead-lettered",
                _ => "Queued, being retried: " + (_outbox.Find(partnerId, seq)?.LastError ?? "not answered yet"),
            };
            outcomes.Add(new PushOutcome(partnerId, state == DeliveryState.Delivered, detail));
        }

        return outcomes;
    }
}

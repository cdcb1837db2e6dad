using System.Diagnostics.Metrics;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;
using MessagePack;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>
/// Sessions that could not be priced: held for review (no CDR, nothing announced or pushed), priced again when a
/// tariff or an assignment changes or an operator asks.
/// </summary>
/// <remarks>
/// A tariff that fails while pricing (outside its validity window, an amount beyond the decimal range, a time zone
/// the host does not know...) must not turn into a final CDR at zero cost under the session's real id: that CDR would
/// be announced, pushed to the eMSP as final and could never be re-issued under its id. The session is kept instead as
/// a <see cref="HeldSession"/> document (its write is a <c>cdr.held</c> event on the application API's stream, and the
/// <c>evcloud.cdr.held</c> metric counts what waits). Pricing it again writes its one CDR, with the id it would have had (<see cref="CdrOptions.CdrIdOf"/>),
/// exactly as the pipeline would have; the store writes an id once, so a replay racing a retry still gives one CDR.
/// </remarks>
public sealed partial class CdrPipeline
{
    /// <summary>Sessions waiting for review (up/down counter: held minus released).</summary>
    public const string HeldName = "evcloud.cdr.held";

    private static readonly UpDownCounter<long> HeldGauge = Meter.CreateUpDownCounter<long>(
        HeldName, "{session}", "Ended sessions held for review because they could not be priced");

    private static readonly Counter<long> HeldTotal = Meter.CreateCounter<long>(
        "evcloud.cdr.pricing_failures", "{attempt}", "Pricing attempts that failed (a session was held or stayed held)");

    /// <summary>Sessions held for review, oldest first.</summary>
    public IReadOnlyList<HeldSession> HeldSessions() =>
        [.. _storage.Documents.List(HeldSession.Collection).Select(d => MessagePackSerializer.Deserialize<HeldSession>(d.Value)).OrderBy(h => h.HeldMs).ThenBy(h => h.TransactionId)];

    /// <summary>
    /// Prices held sessions again with the tariff that applies now (all of them, or the one of <paramref name="transactionId"/>):
    /// each that prices gets its CDR written and announced and is released; the others stay held with the new reason.
    /// </summary>
    public async Task<IReadOnlyList<HeldRetryResult>> RetryHeldAsync(int? transactionId = null, CancellationToken cancellationToken = default)
    {
        await _settlementGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var results = new List<HeldRetryResult>();
            foreach (HeldSession held in HeldSessions())
            {
                if (transactionId is { } only && held.TransactionId != only)
                {
                    continue;
                }

                results.Add(await RetryOneAsync(held, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }
        finally
        {
            _settlementGate.Release();
        }
    }

    private async Task<HeldRetryResult> RetryOneAsync(HeldSession held, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_store.Contains(held.CdrId))
        {
            await ReleaseAsync(held.CdrId, cancellationToken).ConfigureAwait(false);
            return new HeldRetryResult(held.CdrId, held.TransactionId, true, null);
        }

        TrackedSession session = held.ToSession();
        (StoredCdr? cdr, Tariff? tariff, Exception? error) = TryPrice(session, now);
        if (cdr is null)
        {
            await HoldAsync(session, tariff?.Id, error!, now, cancellationToken).ConfigureAwait(false);
            return new HeldRetryResult(held.CdrId, held.TransactionId, false, error!.Message);
        }

        IReadOnlyList<StoredCdr> written = await _store.AddAsync([cdr], cancellationToken).ConfigureAwait(false);
        Created.Add(written.Count);
        Notify(written);
        await ReleaseAsync(held.CdrId, cancellationToken).ConfigureAwait(false);
        return new HeldRetryResult(held.CdrId, held.TransactionId, true, null);
    }

    /// <summary>Prices an ended session into its stored CDR, or says why it cannot be priced.</summary>
    private (StoredCdr? Cdr, Tariff? Tariff, Exception? Error) TryPrice(TrackedSession session, DateTimeOffset now)
    {
        Tariff? tariff = null;
        try
        {
            tariff = _tariffs.Resolve(session.ChargerId, session.ConnectorId, session.IdTag, _builder.LocationOf(session.ChargerId).LocationId);
            BuiltCdr built = _builder.Build(session, tariff, tariff is null ? null : _tariffs.PricerFor(tariff), now);
            return (Store(built.Cdr, session.TransactionId, session.ChargerId, session.ConnectorId, session.IdTag, tariff?.Id, built.Priced, built.Usage, _builder.LocationOf(session.ChargerId).TimeZone, now), tariff, null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // NOTE: any failure of the tariff engine holds the session: pricing is pure computation over stored data, so
            // no exception here is transient, and none may escape into the pipeline's loop and stop CDRs for everyone.
            return (null, tariff, error);
        }
    }

    /// <summary>Stores (or updates) the held session durably; the document write is the <c>cdr.held</c> event.</summary>
    private async Task HoldAsync(TrackedSession session, string? tariffId, Exception error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string cdrId = _options.CdrIdOf(session.TransactionId);
        if (_store.Contains(cdrId))
        {
            return; // priced meanwhile (a retry raced a replay): the CDR stands
        }

        LogHeld(_logger, session.TransactionId, session.ChargerId, error);
        HeldTotal.Add(1);
        HeldSession? existing = _storage.Documents.TryGet(HeldSession.Collection, cdrId, out byte[]? saved) ? MessagePackSerializer.Deserialize<HeldSession>(saved) : null;
        HeldSession held = HeldSession.Of(session, cdrId);
        held.Reason = error.GetType().Name + ": " + error.Message;
        held.TariffId = tariffId;
        held.HeldMs = existing?.HeldMs ?? now.ToUnixTimeMilliseconds();
        held.Attempts = (existing?.Attempts ?? 0) + 1;
        held.LastAttemptMs = now.ToUnixTimeMilliseconds();
        await _storage.PutDocumentAsync(HeldSession.Collection, cdrId, MessagePackSerializer.Serialize(held), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            HeldGauge.Add(1);
        }
    }

    /// <summary>Forgets a held session once its CDR is durable.</summary>
    private async Task ReleaseAsync(string cdrId, CancellationToken cancellationToken)
    {
        if (_storage.Documents.TryGet(HeldSession.Collection, cdrId, out _))
        {
            await _storage.DeleteDocumentAsync(HeldSession.Collection, cdrId, cancellationToken).ConfigureAwait(false);
            HeldGauge.Add(-1);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Transaction {TransactionId} at {ChargerId} could not be priced; it is held for review (GET /api/v1/cdrs/held), no CDR is written until it prices")]
    private static partial void LogHeld(ILogger logger, int transactionId, string chargerId, Exception error);
}

using System.Text.Json;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>What a correction wrote: the credit (null when it completed an interrupted correction) and the replacement.</summary>
/// <param name="Credit">The credit CDR cancelling <paramref name="Credited"/>.</param>
/// <param name="Replacement">The CDR now in force for the session.</param>
/// <param name="Credited">The id of the CDR the credit cancels (the one that was in force).</param>
public sealed record CdrCorrectionResult(StoredCdr? Credit, StoredCdr Replacement, string Credited);

/// <summary>Corrections: a credit CDR cancelling the CDR in force and a replacement priced again from the same usage.</summary>
public sealed partial class CdrPipeline
{
    /// <summary>
    /// One writer at a time for corrections and re-pricing of held sessions: rare administrative writes, so one gate for
    /// the whole server is simpler than one per session and costs nothing measurable.
    /// </summary>
    private readonly SemaphoreSlim _settlementGate = new(1, 1);

    /// <summary>
    /// Corrects the billing of the session a CDR belongs to: writes a credit CDR that cancels the CDR <b>currently in
    /// force</b> for that session (the original, or the latest replacement) and a replacement priced with
    /// <paramref name="tariff"/> (or the tariff that applies now) from the stored usage. Returns what was stored, or
    /// null when the CDR is unknown or is itself a credit.
    /// </summary>
    /// <remarks>
    /// <para>Corrections are serialised (one at a time), so two requests for the same session never credit the same CDR:
    /// the second credits the first one's replacement. Naming any non-credit CDR of the session (the original or an
    /// older replacement) corrects what is in force, which is what settlement expects: after any sequence of
    /// corrections the session's CDR totals add up to the last replacement.</para>
    /// <para>Ids: the n-th correction of <c>CDR-1</c> writes <c>CDR-1-Cn</c> (its <c>credit_reference_id</c> is the CDR
    /// in force, <c>CDR-1</c> or <c>CDR-1-R(n-1)</c>) and <c>CDR-1-Rn</c>. The two are separate store entries: if the
    /// process dies after the credit is durable but before the replacement is, the session has a credit and no CDR in
    /// force, and the next correction request completes it with the replacement only.</para>
    /// </remarks>
    public async Task<CdrCorrectionResult?> CorrectAsync(string cdrId, Tariff? tariff, CancellationToken cancellationToken = default)
    {
        await _settlementGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CorrectLockedAsync(cdrId, tariff, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _settlementGate.Release();
        }
    }

    private async Task<CdrCorrectionResult?> CorrectLockedAsync(string cdrId, Tariff? tariff, CancellationToken cancellationToken)
    {
        if (_store.Find(cdrId) is not { Credit: false } named)
        {
            return null;
        }

        IReadOnlyList<CdrSummary> chain = _store.OfTransaction(named.TransactionId);
        CdrSummary root = chain.First(c => !c.Credit);
        var credited = new HashSet<string>(chain.Where(c => c.Credit && c.CreditReferenceId is not null).Select(c => c.CreditReferenceId!), StringComparer.Ordinal);
        int credits = chain.Count(c => c.Credit);
        CdrSummary? inForce = chain.LastOrDefault(c => !c.Credit && !credited.Contains(c.Id));

        // The CDR the usage is read from: the one in force, or (an interrupted correction) the one the last credit cancelled.
        string sourceId = inForce?.Id ?? chain.Last(c => c.Credit).CreditReferenceId!;
        StoredCdr source = await _store.ReadAsync(sourceId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("CDR " + sourceId + " is indexed but cannot be read.");

        DateTimeOffset now = _time.GetUtcNow();
        int n = inForce is null ? credits : credits + 1;
        SessionUsage usage = StoredUsage(source);
        var session = new TrackedSession(source.TransactionId, source.ChargerId, source.ConnectorId, null, source.IdTag, 0, source.StartMs, source.Points.Length > 0 ? source.Points[0].EnergyMilliWh : 0, -1);
        tariff ??= _tariffs.Resolve(source.ChargerId, source.ConnectorId, source.IdTag, _builder.LocationOf(source.ChargerId).LocationId);
        BuiltCdr replacement = _builder.Build(session, usage, tariff, tariff is null ? null : _tariffs.PricerFor(tariff), CdrIds.Replacement(root.Id, n), now);
        StoredCdr storedReplacement = Store(replacement.Cdr, source.TransactionId, source.ChargerId, source.ConnectorId, source.IdTag, tariff?.Id, replacement.Priced, usage, source.TimeZone, now);

        List<StoredCdr> toWrite = [];
        StoredCdr? storedCredit = null;
        if (inForce is not null)
        {
            Cdrs.Cdr sourceCdr = JsonSerializer.Deserialize(source.CdrJson, OcpiCdrJsonContext.Default.Cdr)!;
            Cdrs.Cdr credit = CdrBuilder.CreditFor(sourceCdr, CdrIds.Credit(root.Id, n), now);
            storedCredit = Store(credit, source.TransactionId, source.ChargerId, source.ConnectorId, source.IdTag, source.TariffId, null, usage, source.TimeZone, now);
            storedCredit.CreditReferenceId = source.Id;
            storedCredit.Credit = true;
            toWrite.Add(storedCredit);
        }

        toWrite.Add(storedReplacement);
        IReadOnlyList<StoredCdr> written = await _store.AddAsync(toWrite, cancellationToken).ConfigureAwait(false);

        // NOTE: under the gate the ids are new; anything else means another writer bypassed it, and answering with
        // objects that were not stored would be worse than failing.
        if (written.Count != toWrite.Count)
        {
            throw new InvalidOperationException("Correction " + n + " of " + root.Id + " was already written by another writer.");
        }

        Notify(written);
        return new CdrCorrectionResult(storedCredit is null ? null : written[0], written[^1], source.Id);
    }

    /// <summary>The usage a stored CDR was priced from.</summary>
    private static SessionUsage StoredUsage(StoredCdr stored)
    {
        var builder = new SessionUsageBuilder(DateTimeOffset.FromUnixTimeMilliseconds(stored.StartMs), TimeZoneInfo.FindSystemTimeZoneById(stored.TimeZone));
        foreach (StoredPoint point in stored.Points)
        {
            builder.Add(DateTimeOffset.FromUnixTimeMilliseconds(point.TimeMs), point.EnergyMilliWh / 1_000_000m, point.Charging);
        }

        return builder.Build(DateTimeOffset.FromUnixTimeMilliseconds(stored.EndMs));
    }
}

using System.Text.Json;
using EvCloud.Fast.Api.OpenApi;
using EvCloud.Fast.Cdr.Sessions;

namespace EvCloud.Fast.Api.Contracts;

/// <summary>A CDR in a list (the whole OCPI CDR is at <c>GET /cdrs/{id}</c>).</summary>
/// <param name="TotalEnergyKwh">Energy delivered.</param>
/// <param name="TotalExclVat">total_cost.excl_vat.</param>
/// <param name="Credit">A credit CDR cancelling <paramref name="CreditReferenceId"/>.</param>
/// <param name="Id">The CDR id (unique per installation).</param>
/// <param name="TransactionId">The server's transaction id the CDR bills.</param>
/// <param name="ChargerId">The charger the session ran on.</param>
/// <param name="ConnectorId">The connector (1.6) or EVSE (2.x).</param>
/// <param name="IdTag">The token that authorized the session, if any.</param>
/// <param name="Start">Session start.</param>
/// <param name="End">Session end.</param>
/// <param name="Currency">ISO 4217 currency of the amounts.</param>
/// <param name="TotalInclVat">total_cost.incl_vat, when the tariff names VAT.</param>
/// <param name="TariffId">The tariff it was priced with.</param>
/// <param name="CreditReferenceId">For a credit CDR: the id of the CDR it cancels.</param>
/// <param name="Created">When the CDR was written.</param>
public sealed record CdrListItem(
    string Id,
    int TransactionId,
    string ChargerId,
    int ConnectorId,
    string? IdTag,
    DateTimeOffset Start,
    DateTimeOffset End,
    decimal TotalEnergyKwh,
    string Currency,
    decimal TotalExclVat,
    decimal? TotalInclVat,
    string? TariffId,
    bool Credit,
    string? CreditReferenceId,
    DateTimeOffset Created);

/// <summary>A page of CDRs; pass <c>cursor</c> back to get the next page (keyset pagination, stable while CDRs are added).</summary>
/// <param name="Items">The CDRs of this page.</param>
/// <param name="Cursor">Pass back as cursor for the next page; absent on the last page.</param>
/// <param name="Next">The URL of the next page; absent on the last page.</param>
public sealed record CdrPage(IReadOnlyList<CdrListItem> Items, string? Cursor, string? Next);

/// <summary>One CDR: the OCPI 2.2.1 CDR object, and the explanation of its price.</summary>
/// <param name="Cdr">The OCPI CDR, as sent to roaming partners.</param>
/// <param name="Breakdown">One line per (tariff element, dimension): quantity, billed quantity after step_size, unit price, amounts, why it applied.</param>
/// <param name="BreakdownText">The same as a plain-text table.</param>
public sealed record CdrDetail(JsonElement Cdr, JsonElement? Breakdown, string? BreakdownText);

/// <summary>Body of <c>POST /cdrs/{id}/corrections</c>: re-price with this tariff (default: the one that applies now).</summary>
/// <param name="TariffId">The tariff to price with; absent: the one that applies now.</param>
public sealed record CdrCorrection(string? TariffId);

/// <summary>The CDRs a correction wrote, as stored: the credit that cancels the CDR that was in force, and its replacement.</summary>
/// <param name="Credit">The credit CDR (null only when the correction completed one a crash interrupted after its credit).</param>
/// <param name="Replacement">The CDR now in force for the session.</param>
/// <param name="Credited">The id of the CDR the credit cancels: the one in force before, whichever CDR of the session was named.</param>
public sealed record CdrCorrected(CdrDetail? Credit, CdrDetail Replacement, string Credited);

/// <summary>An ended session held for review because it could not be priced: no CDR exists for it yet.</summary>
/// <param name="CdrId">The id its CDR will get.</param>
/// <param name="EnergyKwh">Energy delivered.</param>
/// <param name="Reason">Why the last pricing attempt failed.</param>
/// <param name="TariffId">The tariff that failed, when one applied.</param>
/// <param name="Attempts">Pricing attempts so far.</param>
/// <param name="TransactionId">The server's transaction id.</param>
/// <param name="ChargerId">The charger the session ran on.</param>
/// <param name="ConnectorId">The connector (1.6) or EVSE (2.x).</param>
/// <param name="IdTag">The token that authorized the session, if any.</param>
/// <param name="Start">Session start.</param>
/// <param name="End">Session end.</param>
/// <param name="Held">When it was first held.</param>
/// <param name="LastAttempt">When pricing was last attempted.</param>
public sealed record HeldSessionView(
    string CdrId,
    int TransactionId,
    string ChargerId,
    int ConnectorId,
    string? IdTag,
    DateTimeOffset Start,
    DateTimeOffset End,
    decimal EnergyKwh,
    string Reason,
    string? TariffId,
    int Attempts,
    DateTimeOffset Held,
    DateTimeOffset LastAttempt);

/// <summary>The outcome of pricing a held session again.</summary>
/// <param name="Priced">True when its CDR is now written; false when it is still held (see <paramref name="Reason"/>).</param>
/// <param name="CdrId">The id its CDR gets.</param>
/// <param name="TransactionId">The server's transaction id.</param>
/// <param name="Reason">Why it is still held, when it is.</param>
public sealed record HeldRetryView(string CdrId, int TransactionId, bool Priced, string? Reason);

/// <summary>Body of <c>PUT /tariff-assignments</c>: which tariff applies where (most specific wins: token, connector, charger, location, default).</summary>
/// <param name="LocationId">Every charger of this location (Cdr:Locations:&lt;id&gt;:LocationId).</param>
/// <param name="ChargerId">With <paramref name="ConnectorId"/>: one connector/EVSE; alone: the whole charger.</param>
/// <param name="IdTag">Every session of this token, wherever it charges.</param>
/// <param name="TariffId">The tariff; null removes the assignment.</param>
/// <param name="ConnectorId">A connector (1.6) or EVSE (2.x) of ChargerId.</param>
public sealed record TariffAssignment(string? ChargerId, int? ConnectorId, string? IdTag, string? TariffId, string? LocationId = null);

/// <summary>An assignment as stored: the scope key and the tariff.</summary>
/// <param name="Scope">Where the tariff applies: the scope key (token, connector, charger, location, or default).</param>
/// <param name="TariffId">The tariff that applies there.</param>
public sealed record TariffAssignmentView(string Scope, string TariffId);

/// <summary>A charging session in progress, priced as if it ended now.</summary>
/// <param name="EnergyKwh">Delivered so far.</param>
/// <param name="TransactionId">The server's transaction id.</param>
/// <param name="ChargerId">The charger the session runs on.</param>
/// <param name="ConnectorId">The connector (1.6) or EVSE (2.x).</param>
/// <param name="IdTag">The token that authorized the session, if any.</param>
/// <param name="Start">Session start.</param>
/// <param name="LastReadingAt">When the latest meter reading was taken.</param>
/// <param name="TariffId">The tariff that applies, if any.</param>
/// <param name="Currency">ISO 4217 currency of the cost.</param>
/// <param name="CostSoFarExclVat">total_cost.excl_vat so far under the applicable tariff (absent when none applies).</param>
/// <param name="CostSoFarInclVat">total_cost.incl_vat so far, when the tariff names VAT.</param>
public sealed record SessionView(
    int TransactionId,
    string ChargerId,
    int ConnectorId,
    string? IdTag,
    DateTimeOffset Start,
    decimal EnergyKwh,
    DateTimeOffset? LastReadingAt,
    string? TariffId,
    string? Currency,
    decimal? CostSoFarExclVat,
    decimal? CostSoFarInclVat);

/// <summary>
/// A stop that could not become a CDR (<c>GET /cdrs/unbillable</c>): every stop a charger sent ends as exactly one CDR
/// or exactly one of these.
/// </summary>
/// <param name="ChargerId">The charger that sent the stop.</param>
/// <param name="TransactionId">The transaction id it named.</param>
/// <param name="Reason"><c>UnknownTransaction</c> (no session of this charger with that id: never started here, or open
/// longer than <c>Cdr:MaxOpenSession</c> across a restart) or <c>ForeignTransaction</c> (another charger's session).</param>
/// <param name="Stop">The stop time the charger reported.</param>
/// <param name="MeterStopWh">The register at the stop.</param>
/// <param name="IdTag">The stop's token, if any.</param>
/// <param name="StopReason">The charger's stop reason.</param>
/// <param name="ReceivedAt">When the server received the stop.</param>
/// <param name="LogAddress">Where the stop is in the event log (the record's identity).</param>
public sealed record UnbillableView(
    string ChargerId,
    int TransactionId,
    [property: StringValues(typeof(UnbillableReason))] string Reason,
    DateTimeOffset Stop,
    decimal MeterStopWh,
    string? IdTag,
    string? StopReason,
    DateTimeOffset ReceivedAt,
    long LogAddress);

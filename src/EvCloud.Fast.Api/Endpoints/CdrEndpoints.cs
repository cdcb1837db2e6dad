using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Http;
using EvCloud.Fast.Tariffs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>Tariffs and their assignments, live sessions, and the CDRs the pipeline writes (query, export, corrections).</summary>
internal static class CdrEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder tariffs = api.MapGroup("/tariffs").WithTags("Tariffs");
        tariffs.MapGet("/", (TariffStore store) => TypedResults.Ok(store.All.Select(ToJson).ToArray()))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListTariffs").WithSummary("Every tariff (OCPI 2.2.1 Tariff objects)")
            .Produces<JsonElement[]>();
        tariffs.MapGet("/{tariffId}", (string tariffId, TariffStore store) =>
                store.Get(tariffId) is { } tariff ? TypedResults.Ok(ToJson(tariff)) : ApiProblem.NotFound("Tariff '" + tariffId + "'"))
            .RequireAuthorization(ApiPolicies.Read).WithName("GetTariff").WithSummary("One tariff")
            .Produces<JsonElement>().ProducesProblem(StatusCodes.Status404NotFound);
        tariffs.MapPut("/{tariffId}", PutTariffAsync)
            .RequireAuthorization(ApiPolicies.Admin).WithName("PutTariff")
            .WithSummary("Create or replace a tariff from its OCPI 2.2.1 JSON (validated; prices CDRs built from now on)")
            .Accepts<JsonElement>("application/json").Produces<JsonElement>().ProducesValidationProblem();
        tariffs.MapDelete("/{tariffId}", async (string tariffId, TariffStore store, CancellationToken ct) =>
                await store.DeleteAsync(tariffId, ct).ConfigureAwait(false) ? Results.NoContent()
                    : store.Get(tariffId) is null ? ApiProblem.NotFound("Tariff '" + tariffId + "'")
                    : ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Tariff in use", "Remove its assignments first."))
            .RequireAuthorization(ApiPolicies.Admin).WithName("DeleteTariff").WithSummary("Delete an unassigned tariff")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        RouteGroupBuilder assignments = api.MapGroup("/tariff-assignments").WithTags("Tariffs");
        assignments.MapGet("/", (TariffStore store) => TypedResults.Ok(store.Assignments.Select(a => new TariffAssignmentView(a.Key, a.Value)).ToArray()))
            .RequireAuthorization(ApiPolicies.Read).WithName("ListTariffAssignments").WithSummary("Which tariff applies where")
            .Produces<TariffAssignmentView[]>();
        assignments.MapPut("/", AssignAsync)
            .RequireAuthorization(ApiPolicies.Admin).WithName("PutTariffAssignment")
            .WithSummary("Assign a tariff to a token, a connector, a charger, a location, or as the default (no ids); tariffId null removes it")
            .Accepts<TariffAssignment>("application/json").Produces<TariffAssignmentView[]>().ProducesValidationProblem();

        RouteGroupBuilder sessions = api.MapGroup("/sessions").WithTags("Sessions").RequireAuthorization(ApiPolicies.Read);
        sessions.MapGet("/", (CdrPipeline pipeline, TariffStore store) => TypedResults.Ok(pipeline.OpenSessions().Select(s => SessionOf(s.TransactionId, pipeline)).OfType<SessionView>().ToArray()))
            .WithName("ListSessions").WithSummary("Charging sessions in progress, with energy and cost so far")
            .Produces<SessionView[]>();
        sessions.MapGet("/{transactionId:int}", (int transactionId, CdrPipeline pipeline) =>
                SessionOf(transactionId, pipeline) is { } view ? TypedResults.Ok(view) : ApiProblem.NotFound("An open session for transaction " + transactionId.ToString(CultureInfo.InvariantCulture)))
            .WithName("GetSession").WithSummary("One session in progress, priced as if it ended now")
            .Produces<SessionView>().ProducesProblem(StatusCodes.Status404NotFound);

        RouteGroupBuilder cdrs = api.MapGroup("/cdrs").WithTags("CDRs").RequireAuthorization(ApiPolicies.Read);
        cdrs.MapGet("/", ListCdrs)
            .WithName("ListCdrs").WithSummary("CDRs in creation order; from/to bound the session end (from inclusive, to exclusive)")
            .Produces<CdrPage>().ProducesValidationProblem();
        cdrs.MapGet("/unbillable", (CdrPipeline pipeline, string? chargerId) => TypedResults.Ok(pipeline.Unbillable()
                .Where(u => chargerId is null || u.ChargerId == chargerId).Select(ToView).ToArray()))
            .WithName("ListUnbillable")
            .WithSummary("Stops that could not become a CDR (unknown transaction id, or another charger's), with the reason; oldest first")
            .Produces<UnbillableView[]>();
        cdrs.MapGet("/export", ExportAsync)
            .WithName("ExportCdrs").WithSummary("Every matching CDR as CSV (format=csv) or JSON lines of OCPI CDRs (format=jsonl)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();
        cdrs.MapGet("/{cdrId}", async (string cdrId, CdrStore store, CancellationToken ct) =>
                await store.ReadAsync(cdrId, ct).ConfigureAwait(false) is { } cdr ? TypedResults.Ok(Detail(cdr)) : ApiProblem.NotFound("CDR '" + cdrId + "'"))
            .WithName("GetCdr").WithSummary("One CDR: the OCPI object and the breakdown of its price")
            .Produces<CdrDetail>().ProducesProblem(StatusCodes.Status404NotFound);
        cdrs.MapPost("/{cdrId}/corrections", CorrectAsync)
            .RequireAuthorization(ApiPolicies.Admin).WithName("CorrectCdr")
            .WithSummary("Correct a session's billing: a credit CDR cancels the CDR in force and a replacement is priced from the same usage (corrections run one at a time)")
            .Accepts<CdrCorrection>("application/json").Produces<CdrCorrected>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound);
        cdrs.MapGet("/held", (CdrPipeline pipeline) => TypedResults.Ok(pipeline.HeldSessions().Select(HeldView).ToArray()))
            .WithName("ListHeldSessions").WithSummary("Ended sessions held for review because they could not be priced (no CDR yet)")
            .Produces<HeldSessionView[]>();
        cdrs.MapPost("/held/retry", async (CdrPipeline pipeline, CancellationToken ct) => TypedResults.Ok(RetryView(await pipeline.RetryHeldAsync(null, ct).ConfigureAwait(false))))
            .RequireAuthorization(ApiPolicies.Admin).WithName("RetryHeldSessions").WithSummary("Price every held session again with the tariff that applies now")
            .Produces<HeldRetryView[]>();
        cdrs.MapPost("/held/{transactionId:int}/retry", async (int transactionId, CdrPipeline pipeline, CancellationToken ct) =>
                await pipeline.RetryHeldAsync(transactionId, ct).ConfigureAwait(false) is { Count: > 0 } results
                    ? TypedResults.Ok(RetryView(results))
                    : ApiProblem.NotFound("A held session for transaction " + transactionId.ToString(CultureInfo.InvariantCulture)))
            .RequireAuthorization(ApiPolicies.Admin).WithName("RetryHeldSession").WithSummary("Price one held session again with the tariff that applies now")
            .Produces<HeldRetryView[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static UnbillableView ToView(UnbillableTransaction u) => new(
        u.ChargerId, u.TransactionId, u.Reason.ToString(), DateTimeOffset.FromUnixTimeMilliseconds(u.StopMs), u.MeterStopMilliWh / 1000m,
        u.IdTag, u.StopReason, DateTimeOffset.FromUnixTimeMilliseconds(u.ReceivedMs), u.Address);

    private static JsonElement ToJson(Tariff tariff) => JsonSerializer.SerializeToElement(tariff, OcpiTariffJsonContext.Default.Tariff);

    private static async Task<IResult> PutTariffAsync(HttpContext context, string tariffId, TariffStore store, CdrPipeline pipeline)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        Tariff tariff;
        try
        {
            tariff = TariffStore.Parse(body.ToArray());
        }
        catch (JsonException error)
        {
            return ApiProblem.Validation("body", "Not an OCPI 2.2.1 tariff: " + error.Message);
        }

        if (tariff.Id != tariffId)
        {
            return ApiProblem.Validation("id", "The tariff's id must be the one in the path.");
        }

        try
        {
            await store.SaveAsync(tariff with { LastUpdated = tariff.LastUpdated == default ? DateTimeOffset.UtcNow : tariff.LastUpdated }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException error)
        {
            return ApiProblem.Validation("body", error.Message);
        }

        // A fixed tariff is what held sessions wait for: price them again now (those still failing stay held).
        await pipeline.RetryHeldAsync(null, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(ToJson(store.Get(tariffId)!));
    }

    private static async Task<IResult> AssignAsync(TariffAssignment? body, TariffStore store, CdrPipeline pipeline, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiProblem.Validation("body", "An assignment is required.");
        }

        if (body.ConnectorId is not null && body.ChargerId is null)
        {
            return ApiProblem.Validation("connectorId", "A connector is named with its chargerId.");
        }

        if ((body.IdTag is not null ? 1 : 0) + (body.ChargerId is not null ? 1 : 0) + (body.LocationId is not null ? 1 : 0) > 1)
        {
            return ApiProblem.Validation("idTag", "Assign to one of: a token, a charger/connector, a location (or none for the default).");
        }

        if (body.TariffId is not null && store.Get(body.TariffId) is null)
        {
            return ApiProblem.Validation("tariffId", "Tariff '" + body.TariffId + "' does not exist.");
        }

        await store.AssignAsync(TariffStore.Scope(body.ChargerId, body.ConnectorId, body.IdTag, body.LocationId), body.TariffId, cancellationToken).ConfigureAwait(false);
        await pipeline.RetryHeldAsync(null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(store.Assignments.Select(a => new TariffAssignmentView(a.Key, a.Value)).ToArray());
    }

    private static SessionView? SessionOf(int transactionId, CdrPipeline pipeline)
    {
        if (pipeline.PriceSoFar(transactionId) is not { } priced)
        {
            return null;
        }

        TrackedSession s = priced.Session;
        EnergyReading last = s.Readings[^1];
        return new SessionView(
            s.TransactionId, s.ChargerId, s.ConnectorId, s.IdTag, DateTimeOffset.FromUnixTimeMilliseconds(s.StartMs),
            (last.EnergyMilliWh - s.MeterStartMilliWh) / 1_000_000m, DateTimeOffset.FromUnixTimeMilliseconds(last.TimeMs),
            priced.Priced?.TariffId, priced.Priced?.Currency, priced.Priced?.TotalCost.ExclVat, priced.Priced?.TotalCost.InclVat);
    }

    private static IResult ListCdrs(HttpContext context, CdrStore store, ApiOptions options, DateTimeOffset? from, DateTimeOffset? to, string? chargerId, string? idTag, string? cursor, int? limit)
    {
        int count = limit ?? Paging.DefaultLimit;
        if (count < 1 || count > options.MaxPageSize)
        {
            return ApiProblem.Validation("limit", $"limit must be between 1 and {options.MaxPageSize}.");
        }

        long after = -1;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return ApiProblem.Validation("cursor", "cursor must be a value a previous page returned.");
        }

        IReadOnlyList<CdrSummary> page = store.Query(from, to, chargerId, idTag, after, count + 1);
        bool more = page.Count > count;
        CdrListItem[] items = [.. page.Take(count).Select(Item)];
        string? nextCursor = more ? page[count - 1].Address.ToString(CultureInfo.InvariantCulture) : null;
        string? next = null;
        if (nextCursor is not null)
        {
            var query = context.Request.Query.Where(q => q.Key != "cursor").SelectMany(q => q.Value.Select(v => q.Key + "=" + Uri.EscapeDataString(v ?? "")));
            next = context.Request.Scheme + "://" + context.Request.Host + context.Request.PathBase + context.Request.Path + "?" + string.Join('&', query.Append("cursor=" + nextCursor));
            context.Response.Headers.Link = "<" + next + ">; rel=\"next\"";
        }

        return TypedResults.Ok(new CdrPage(items, nextCursor, next));
    }

    private static async Task<IResult> ExportAsync(HttpContext context, CdrStore store, string? format, DateTimeOffset? from, DateTimeOffset? to, string? chargerId, string? idTag)
    {
        format ??= "csv";
        if (format is not ("csv" or "jsonl"))
        {
            return ApiProblem.Validation("format", "format must be csv or jsonl.");
        }

        context.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"cdrs." + format + "\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await CdrExport.WriteAsync(store, writer, format, from, to, chargerId, idTag, context.RequestAborted).ConfigureAwait(false);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static async Task<IResult> CorrectAsync(string cdrId, CdrCorrection? body, CdrPipeline pipeline, TariffStore tariffs, CancellationToken cancellationToken)
    {
        Tariff? tariff = null;
        if (body?.TariffId is { } tariffId && (tariff = tariffs.Get(tariffId)) is null)
        {
            return ApiProblem.Validation("tariffId", "Tariff '" + tariffId + "' does not exist.");
        }

        if (await pipeline.CorrectAsync(cdrId, tariff, cancellationToken).ConfigureAwait(false) is not { } corrected)
        {
            return ApiProblem.NotFound("A CDR '" + cdrId + "' that can be corrected");
        }

        return TypedResults.Created(
            "/api/v1/cdrs/" + corrected.Replacement.Id,
            new CdrCorrected(corrected.Credit is null ? null : Detail(corrected.Credit), Detail(corrected.Replacement), corrected.Credited));
    }

    private static HeldSessionView HeldView(HeldSession h) => new(
        h.CdrId, h.TransactionId, h.ChargerId, h.ConnectorId, h.IdTag, DateTimeOffset.FromUnixTimeMilliseconds(h.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(h.EndMs),
        (h.MeterStopMilliWh - h.MeterStartMilliWh) / 1_000_000m, h.Reason, h.TariffId, h.Attempts,
        DateTimeOffset.FromUnixTimeMilliseconds(h.HeldMs), DateTimeOffset.FromUnixTimeMilliseconds(h.LastAttemptMs));

    private static HeldRetryView[] RetryView(IReadOnlyList<HeldRetryResult> results) =>
        [.. results.Select(r => new HeldRetryView(r.CdrId, r.TransactionId, r.Priced, r.Reason))];

    private static CdrListItem Item(CdrSummary c) => new(
        c.Id, c.TransactionId, c.ChargerId, c.ConnectorId, c.IdTag, DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
        c.TotalEnergyKwh, c.Currency, c.TotalExclVat, c.TotalInclVat, c.TariffId, c.Credit, c.CreditReferenceId, DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedMs));

    private static CdrDetail Detail(StoredCdr cdr)
    {
        using JsonDocument document = JsonDocument.Parse(cdr.CdrJson);
        JsonElement? breakdown = null;
        if (cdr.BreakdownJson is { } json)
        {
            using JsonDocument lines = JsonDocument.Parse(json);
            breakdown = lines.RootElement.Clone();
        }

        string? text = null;
        if (cdr.BreakdownJson is { } linesJson && JsonSerializer.Deserialize(linesJson, CdrBreakdownJsonContext.Default.IReadOnlyListPricingLine) is { } parsed)
        {
            text = PricedSession.FormatBreakdown(
                cdr.TariffId ?? "", cdr.Currency, DateTimeOffset.FromUnixTimeMilliseconds(cdr.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(cdr.EndMs), parsed,
                cdr.MinPriceApplied, cdr.MaxPriceApplied,
                new Price(decimal.Parse(cdr.TotalExclVat, CultureInfo.InvariantCulture), cdr.TotalInclVat is null ? null : decimal.Parse(cdr.TotalInclVat, CultureInfo.InvariantCulture)));
        }

        return new CdrDetail(document.RootElement.Clone(), breakdown, text);
    }
}

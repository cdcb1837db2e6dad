using System.Globalization;
using System.Text.Json;
using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Http;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// Pricing as a service: any session in the OCPI CDR form priced under any tariff (<c>POST /pricing</c>), and a quote
/// before charging (<c>POST /tariffs/{id}/quote</c>). Bad input is a 400 problem naming the field, never a 500.
/// </summary>
internal static class PricingEndpoints
{
    /// <summary>More periods than any real CDR has (one a minute for a week is ~10k); bounds the work one request can ask for.</summary>
    private const int MaxPeriods = 20_000;

    /// <summary>A session longer than a year is not a charging session; bounds the time-of-day cuts one request can ask for.</summary>
    private static readonly TimeSpan s_maxSession = TimeSpan.FromDays(366);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/pricing", PriceAsync)
            .WithTags("Pricing").RequireAuthorization(ApiPolicies.Read).WithName("PriceSession")
            .WithSummary("Price a session given as an OCPI CDR (start/end, charging periods with authoritative volumes) under a tariff: inline, held here by id, or the CDR's own")
            .WithDescription("Returns every OCPI cost total and quantity, the charging periods as priced, and a breakdown per tariff element and dimension " +
                "(quantity, billed quantity after step_size, unit price, amount, reason). 'reading' chooses how OCPI is read where it leaves room " +
                "(step_size, rounding, min/max price); absent members take the server's Cdr:Pricing. A 400 problem names the field at fault.")
            .Accepts<PricingRequest>("application/json").Produces<PricingResult>().ProducesValidationProblem();
        api.MapPost("/tariffs/{tariffId}/quote", QuoteAsync)
            .WithTags("Pricing").RequireAuthorization(ApiPolicies.Read).WithName("QuoteTariff")
            .WithSummary("Quote a tariff before charging: at a charger (connector) or location, from now or a given time, for an amount of energy, charging minutes and parking minutes")
            .WithDescription("The place decides the time zone and which tariff the CDR pipeline would select there (token, connector, charger, location, default); " +
                "the answer says whether that is this tariff (tariff_applies, selected_tariff_id).")
            .Accepts<QuoteRequest>("application/json").Produces<PricingResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> PriceAsync(HttpContext context, TariffStore store, CdrOptions options)
    {
        PricingRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJsonContext.Default.PricingRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            return Malformed(error, "");
        }

        if (body is null)
        {
            return ApiProblem.Validation("body", "A pricing request is required.");
        }

        if (Reading(body.Reading, options) is not { } reading)
        {
            return ReadingProblem(body.Reading!);
        }

        if (body.StartDateTime is not { } start)
        {
            return ApiProblem.Validation("start_date_time", "start_date_time is required.");
        }

        if (body.EndDateTime is not { } end)
        {
            return ApiProblem.Validation("end_date_time", "end_date_time is required.");
        }

        if (OutOfRange(start) || OutOfRange(end))
        {
            return ApiProblem.Validation(OutOfRange(start) ? "start_date_time" : "end_date_time", "A date between 1970 and 9999 is required.");
        }

        if (end - start > s_maxSession)
        {
            return ApiProblem.Validation("end_date_time", "A session is priced over at most 366 days.");
        }

        if (body.ChargingPeriods is not { } periods)
        {
            return ApiProblem.Validation("charging_periods", "charging_periods is required.");
        }

        if (periods.Count > MaxPeriods)
        {
            return ApiProblem.Validation("charging_periods", $"At most {MaxPeriods} charging periods.");
        }

        var converted = new ChargingPeriod[periods.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            if (Period(periods[i], i, out IResult? problem) is not { } period)
            {
                return problem!;
            }

            converted[i] = period;
        }

        (Tariff? tariff, IResult? tariffProblem, string tariffField) = ChooseTariff(body, store);
        if (tariff is null)
        {
            return tariffProblem!;
        }

        string zoneId = body.TimeZone ?? options.DefaultLocation.TimeZone;
        if (Zone(zoneId, "time_zone", out IResult? zoneProblem) is not { } zone)
        {
            return zoneProblem!;
        }

        return Price(tariff, tariffField, reading, zoneId, () => SessionUsage.FromChargingPeriods(start, end, zone, converted), null);
    }

    private static async Task<IResult> QuoteAsync(string tariffId, HttpContext context, TariffStore store, CdrOptions options, TimeProvider time)
    {
        if (store.Get(tariffId) is not { } tariff)
        {
            return ApiProblem.NotFound("Tariff '" + tariffId + "'");
        }

        QuoteRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJsonContext.Default.QuoteRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            return Malformed(error, "");
        }

        if (body is null)
        {
            return ApiProblem.Validation("body", "A quote request is required.");
        }

        if (Reading(body.Reading, options) is not { } reading)
        {
            return ReadingProblem(body.Reading!);
        }

        if (body.ConnectorId is not null && body.ChargerId is null)
        {
            return ApiProblem.Validation("connector_id", "A connector is named with its charger_id.");
        }

        if (body.ChargerId is not null && body.LocationId is not null)
        {
            return ApiProblem.Validation("location_id", "Name a charger (and connector) or a location, not both.");
        }

        foreach ((string field, decimal? value) in new[] { ("energy_kwh", body.EnergyKwh), ("charging_minutes", body.ChargingMinutes), ("parking_minutes", body.ParkingMinutes), ("power_kw", body.PowerKw), ("current_a", body.CurrentA) })
        {
            if (value < 0)
            {
                return ApiProblem.Validation(field, field + " is not negative.");
            }
        }

        decimal charging = body.ChargingMinutes ?? 0m;
        decimal parking = body.ParkingMinutes ?? 0m;
        decimal maxMinutes = (decimal)s_maxSession.TotalMinutes;
        if (charging > maxMinutes || parking > maxMinutes - charging)
        {
            return ApiProblem.Validation(charging > maxMinutes ? "charging_minutes" : "parking_minutes", "A session is quoted over at most 366 days.");
        }

        // Where: the charger's own Cdr:Locations entry (its location id selects location tariffs), a location's, or the default.
        CdrLocationOptions place = body.ChargerId is { } chargerId ? options.LocationOf(chargerId)
            : body.LocationId is { } locationId ? options.Locations.Values.FirstOrDefault(l => l.LocationId == locationId) ?? options.DefaultLocation
            : options.DefaultLocation;
        string? placeLocationId = body.LocationId ?? (body.ChargerId is null ? null : place.LocationId);
        if (Zone(place.TimeZone, "charger_id", out IResult? zoneProblem) is not { } zone)
        {
            return zoneProblem!;
        }

        DateTimeOffset start = body.StartDateTime ?? time.GetUtcNow();
        if (OutOfRange(start))
        {
            return ApiProblem.Validation("start_date_time", "A date between 1970 and 9999 is required.");
        }

        DateTimeOffset parkFrom = start + TimeSpan.FromTicks((long)(charging * TimeSpan.TicksPerMinute));
        DateTimeOffset end = parkFrom + TimeSpan.FromTicks((long)(parking * TimeSpan.TicksPerMinute));
        var dimensions = new List<CdrDimension> { new(CdrDimensionType.Energy, body.EnergyKwh ?? 0m), new(CdrDimensionType.Time, charging / 60m) };
        if (body.CurrentA is { } current)
        {
            dimensions.Add(new CdrDimension(CdrDimensionType.MinCurrent, current));
            dimensions.Add(new CdrDimension(CdrDimensionType.MaxCurrent, current));
        }

        if (body.PowerKw is { } power)
        {
            dimensions.Add(new CdrDimension(CdrDimensionType.MinPower, power));
            dimensions.Add(new CdrDimension(CdrDimensionType.MaxPower, power));
        }

        var periods = new List<ChargingPeriod> { new() { StartDateTime = start, Dimensions = dimensions } };
        if (parking > 0)
        {
            periods.Add(new ChargingPeriod { StartDateTime = parkFrom, Dimensions = [new CdrDimension(CdrDimensionType.ParkingTime, parking / 60m)] });
        }

        Tariff? selected = store.Resolve(body.ChargerId ?? "", body.ConnectorId ?? 0, body.IdTag, placeLocationId);
        return Price(tariff, "", reading, place.TimeZone, () => SessionUsage.FromChargingPeriods(start, end, zone, periods), selected?.Id ?? "");
    }

    /// <summary>Prices, turning every refusal of the engine into a 400 naming the field.</summary>
    /// <param name="tariff">The tariff to price under.</param>
    /// <param name="tariffField">Where the tariff came from in the body, for problems that name it ("" when it was looked up).</param>
    /// <param name="reading">The engine's readings for this request.</param>
    /// <param name="zoneId">The IANA time zone of the place.</param>
    /// <param name="session">Builds the session from the body; its refusals become problems naming the field.</param>
    /// <param name="selectedTariffId">For a quote: the tariff the pipeline would select ("" for none); null for a pricing request.</param>
    private static IResult Price(Tariff tariff, string tariffField, TariffPricingOptions reading, string zoneId, Func<SessionUsage> session, string? selectedTariffId)
    {
        TariffPricer pricer;
        try
        {
            pricer = new TariffPricer(tariff, reading);
        }
        catch (PricingInputException error)
        {
            return ApiProblem.Validation(Join(tariffField, error.Field), error.Message);
        }

        PricedSession priced;
        try
        {
            priced = pricer.Price(session());
        }
        catch (PricingInputException error)
        {
            return ApiProblem.Validation(error.Field, error.Message);
        }
        catch (TariffNotValidException error)
        {
            return ApiProblem.Validation("start_date_time", error.Message);
        }
        catch (OverflowException)
        {
            return ApiProblem.Validation("charging_periods", "The amounts are beyond what a price can be (decimal range).");
        }
        catch (ArgumentException error)
        {
            // NOTE: dates at the edge of the calendar fail inside time-zone conversion; they are input, not a server fault.
            return ApiProblem.Validation(error.ParamName ?? "start_date_time", error.Message);
        }

        PricingResult result = ToResult(priced, reading, zoneId);
        return TypedResults.Ok(selectedTariffId is null ? result : result with
        {
            SelectedTariffId = selectedTariffId.Length == 0 ? null : selectedTariffId,
            TariffApplies = selectedTariffId == tariff.Id,
        });
    }

    private static (Tariff? Tariff, IResult? Problem, string Field) ChooseTariff(PricingRequest body, TariffStore store)
    {
        if (body.Tariff is { ValueKind: not JsonValueKind.Null } inline)
        {
            return ParseTariff(inline, "tariff");
        }

        if (body.TariffId is { } id)
        {
            return store.Get(id) is { } held ? (held, null, "tariff") : (null, ApiProblem.Validation("tariff_id", "Tariff '" + id + "' does not exist."), "");
        }

        if (body.Tariffs is { Count: > 0 } embedded)
        {
            // The CDR's own tariffs: the one its periods name (OCPI ChargingPeriod tariff_id), else the only one.
            string? named = null;
            for (int i = 0; i < (body.ChargingPeriods?.Count ?? 0); i++)
            {
                if (body.ChargingPeriods![i]?.TariffId is { } periodTariff)
                {
                    if (named is not null && named != periodTariff)
                    {
                        return (null, ApiProblem.Validation($"charging_periods[{i}].tariff_id", "The periods name more than one tariff; price each under its own with tariff or tariff_id."), "");
                    }

                    named = periodTariff;
                }
            }

            for (int i = 0; i < embedded.Count; i++)
            {
                (Tariff? candidate, IResult? problem, string field) = ParseTariff(embedded[i], $"tariffs[{i}]");
                if (candidate is null)
                {
                    return (null, problem, field);
                }

                if (named is null ? embedded.Count == 1 : candidate.Id == named)
                {
                    return (candidate, null, field);
                }
            }

            return (null, ApiProblem.Validation("tariffs", named is null
                ? "The CDR carries several tariffs and its periods name none; choose one with tariff_id or tariff."
                : "None of the CDR's tariffs is '" + named + "', the tariff its periods name."), "");
        }

        return (null, ApiProblem.Validation("tariff", "A tariff is required: tariff (inline), tariff_id, or the CDR's tariffs."), "");
    }

    private static (Tariff? Tariff, IResult? Problem, string Field) ParseTariff(JsonElement json, string field)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OcpiTariffJsonContext.Default.Tariff) is { } tariff
                ? (tariff, null, field)
                : (null, ApiProblem.Validation(field, "An OCPI 2.2.1 Tariff object is required."), field);
        }
        catch (JsonException error)
        {
            return (null, Malformed(error, field), field);
        }
    }

    private static ChargingPeriod? Period(PricingPeriod? period, int index, out IResult? problem)
    {
        string at = $"charging_periods[{index}]";
        problem = null;
        if (period is null)
        {
            problem = ApiProblem.Validation(at, "A charging period is required.");
            return null;
        }

        if (period.StartDateTime is not { } start)
        {
            problem = ApiProblem.Validation(at + ".start_date_time", "start_date_time is required.");
            return null;
        }

        if (period.Dimensions is not { Count: > 0 } dimensions)
        {
            problem = ApiProblem.Validation(at + ".dimensions", "A charging period has at least one dimension.");
            return null;
        }

        var converted = new CdrDimension[dimensions.Count];
        for (int d = 0; d < converted.Length; d++)
        {
            string field = $"{at}.dimensions[{d}]";
            if (dimensions[d] is not { Type: { } type, Volume: { } volume })
            {
                problem = ApiProblem.Validation(field, "A dimension has a type and a volume.");
                return null;
            }

            converted[d] = new CdrDimension(type, volume);
        }

        return new ChargingPeriod { StartDateTime = start, Dimensions = converted, TariffId = period.TariffId };
    }

    /// <summary>Outside 1970..9998: time-zone conversion and the year of slack a session needs would leave the calendar.</summary>
    private static bool OutOfRange(DateTimeOffset at) => at.Year is < 1970 or > 9998;

    private static TimeZoneInfo? Zone(string id, string field, out IResult? problem)
    {
        problem = null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            problem = ApiProblem.Validation(field, "Unknown time zone '" + id + "' (an IANA id such as Europe/Amsterdam).");
            return null;
        }
    }

    /// <summary>The request's readings over the server's; null when a value is not one of the documented names.</summary>
    private static TariffPricingOptions? Reading(PricingReading? reading, CdrOptions options)
    {
        TariffPricingOptions defaults = options.Pricing.ToTariffPricingOptions();
        if (reading is null)
        {
            return defaults;
        }

        StepSizeRule? step = reading.StepSize switch
        {
            null => defaults.StepSize,
            "session_total_with_last_component" => StepSizeRule.SessionTotalWithLastComponent,
            "combined_time_with_last_component" => StepSizeRule.CombinedTimeWithLastComponent,
            "each_component_separately" => StepSizeRule.EachComponentSeparately,
            "ignore" => StepSizeRule.Ignore,
            _ => null,
        };
        MoneyRounding? rounding = reading.Rounding switch
        {
            null => defaults.Rounding,
            "currency_minor_unit" => MoneyRounding.CurrencyMinorUnit,
            "none" => MoneyRounding.None,
            _ => null,
        };
        if (step is null || rounding is null)
        {
            return null;
        }

        return defaults with
        {
            StepSize = step.Value,
            Rounding = rounding.Value,
            RoundTimeAndParkingSeparately = reading.RoundTimeAndParkingSeparately ?? defaults.RoundTimeAndParkingSeparately,
            ApplyPriceLimits = reading.ApplyPriceLimits ?? defaults.ApplyPriceLimits,
            EnforceValidityWindow = reading.EnforceValidityWindow ?? defaults.EnforceValidityWindow,
        };
    }

    private static IResult ReadingProblem(PricingReading reading) =>
        reading.Rounding is not (null or "currency_minor_unit" or "none")
            ? ApiProblem.Validation("reading.rounding", "rounding is currency_minor_unit or none.")
            : ApiProblem.Validation("reading.step_size", "step_size is session_total_with_last_component, combined_time_with_last_component, each_component_separately or ignore.");

    /// <summary>A body System.Text.Json refused, named by the JSON path of the member it stopped at.</summary>
    private static IResult Malformed(JsonException error, string prefix)
    {
        string path = error.Path is { Length: > 1 } p && p.StartsWith('$') ? p.TrimStart('$').TrimStart('.') : "";
        return ApiProblem.Validation(path.Length == 0 && prefix.Length == 0 ? "body" : Join(prefix, path), error.Message);
    }

    private static string Join(string prefix, string field) =>
        prefix.Length == 0 ? field : field.Length == 0 ? prefix : field.StartsWith('[') ? prefix + field : prefix + "." + field;

    private static string StepName(StepSizeRule rule) => rule switch
    {
        StepSizeRule.SessionTotalWithLastComponent => "session_total_with_last_component",
        StepSizeRule.CombinedTimeWithLastComponent => "combined_time_with_last_component",
        StepSizeRule.EachComponentSeparately => "each_component_separately",
        _ => "ignore",
    };

    private static MoneyView Money(Price price) => new(price.ExclVat, price.InclVat);

    private static PricingResult ToResult(PricedSession priced, TariffPricingOptions reading, string zoneId) => new()
    {
        TariffId = priced.TariffId,
        Currency = priced.Currency,
        Reading = new PricingReadingView(StepName(reading.StepSize), reading.RoundTimeAndParkingSeparately,
            reading.Rounding == MoneyRounding.None ? "none" : "currency_minor_unit", reading.ApplyPriceLimits, reading.EnforceValidityWindow),
        TimeZone = zoneId,
        StartDateTime = priced.StartDateTime,
        EndDateTime = priced.EndDateTime,
        TotalCost = Money(priced.TotalCost),
        TotalCostBeforeLimits = Money(priced.TotalCostBeforeLimits),
        TotalFixedCost = Money(priced.TotalFixedCost),
        TotalEnergyCost = Money(priced.TotalEnergyCost),
        TotalTimeCost = Money(priced.TotalTimeCost),
        TotalParkingCost = Money(priced.TotalParkingCost),
        TotalReservationCost = Money(priced.TotalReservationCost),
        TotalEnergy = priced.TotalEnergy,
        TotalTime = priced.TotalTime,
        TotalParkingTime = priced.TotalParkingTime,
        TotalReservationTime = priced.TotalReservationTime,
        MinPriceApplied = priced.MinPriceApplied,
        MaxPriceApplied = priced.MaxPriceApplied,
        ChargingPeriods = [.. priced.ChargingPeriods.Select(p => new PricingPeriodView(p.StartDateTime, [.. p.Dimensions.Select(d => new PricingDimensionView(d.Type, d.Volume))], p.TariffId))],
        Breakdown = [.. priced.Breakdown.Select(l => new PricingLineView(
            l.ElementIndex, l.Phase == PricingPhase.Reservation ? "RESERVATION" : "SESSION", l.Dimension, l.Quantity, l.BilledQuantity, l.Unit,
            l.UnitPrice, l.AmountExclVat, l.VatPercent, l.AmountInclVat, l.Reason))],
        BreakdownText = priced.ToBreakdownText(),
    };
}

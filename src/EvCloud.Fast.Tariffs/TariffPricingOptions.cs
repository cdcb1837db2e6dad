namespace EvCloud.Fast.Tariffs;

/// <summary>How <c>step_size</c> turns consumed quantities into billed ones.</summary>
public enum StepSizeRule
{
    /// <summary>
    /// OCPI 2.2.1 mod_cdrs "step_size" (as clarified on release-2.2.1-bugfixes): the total of a dimension over the
    /// session is rounded up once, with the step of the last price component that billed it, and the extra is billed
    /// at that component's price. TIME and PARKING_TIME count as one: only the one billed last is rounded.
    /// </summary>
    SessionTotalWithLastComponent,

    /// <summary>
    /// Each (element, dimension) line rounds its own quantity with its own step, a reading of 2.2.1 before the errata
    /// that some partners still bill by. Bills at least as much as <see cref="SessionTotalWithLastComponent"/>.
    /// </summary>
    EachComponentSeparately,

    /// <summary>No rounding: quantities are billed exactly as measured (the OCPI 3.0 direction, 2.2.1 step_size note).</summary>
    Ignore,
}

/// <summary>How money amounts in totals are rounded.</summary>
public enum MoneyRounding
{
    /// <summary>
    /// Totals rounded to the currency's minor unit (ISO 4217: 2 for EUR, 0 for JPY, 3 for KWD), half away from zero:
    /// each component total (energy, time, parking, fixed, reservation; excl. and incl. VAT separately) is rounded,
    /// total_cost is the sum of those rounded totals, then min_price and after it max_price bound it. So the component
    /// totals of a CDR add up to its total_cost unless a bound applied. OCPI leaves rounding to law and contract
    /// (mod_tariffs Tariff object note), so this is a default, not a rule.
    /// </summary>
    CurrencyMinorUnit,

    /// <summary>Exact decimal amounts, for a billing system that rounds itself.</summary>
    None,
}

/// <summary>Choices the pricer makes where OCPI 2.2.1 is silent or ambiguous.</summary>
public sealed record TariffPricingOptions
{
    /// <summary>The defaults: spec step_size rule, TIME and PARKING_TIME rounded as one, totals rounded to the minor unit.</summary>
    public static TariffPricingOptions Default { get; } = new();

    /// <summary>How step_size applies; default <see cref="StepSizeRule.SessionTotalWithLastComponent"/>.</summary>
    public StepSizeRule StepSize { get; init; } = StepSizeRule.SessionTotalWithLastComponent;

    /// <summary>
    /// With <see cref="StepSizeRule.SessionTotalWithLastComponent"/>: false (default, mod_cdrs "step_size": "once for
    /// PARKING_TIME and TIME combined") rounds only the time dimension billed last; true rounds the TIME total and the
    /// PARKING_TIME total each with their own last component.
    /// </summary>
    public bool RoundTimeAndParkingSeparately { get; init; }

    /// <summary>Rounding of the totals; breakdown lines always show exact amounts so a rounded total can be explained.</summary>
    public MoneyRounding Rounding { get; init; } = MoneyRounding.CurrencyMinorUnit;

    /// <summary>
    /// When true (default), pricing a session that starts outside the tariff's start_date_time / end_date_time throws
    /// <see cref="TariffNotValidException"/>: the driver accepts the tariff valid at session start (mod_tariffs note).
    /// </summary>
    public bool EnforceValidityWindow { get; init; } = true;
}

/// <summary>The tariff is not valid at the start of the session being priced.</summary>
public sealed class TariffNotValidException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TariffNotValidException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TariffNotValidException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TariffNotValidException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

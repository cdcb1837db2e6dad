using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Cdr;

// OCPI and storage field records: each type is documented with its specification reference; the members carry the spec's own names.
#pragma warning disable CS1591

/// <summary>The CDR pipeline (configuration section <c>Cdr</c>).</summary>
public sealed class CdrOptions
{
    /// <summary>
    /// Whether this process runs the pipeline. A gateway-only process turns it off; the events wait in the log and
    /// the pipeline of the next process that runs it picks them up from its saved position.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Our OCPI country code (ISO 3166-1 alpha-2), written into every CDR.</summary>
    public string CountryCode { get; set; } = "NL";

    /// <summary>Our OCPI party id (3 characters), written into every CDR.</summary>
    public string PartyId { get; set; } = "EVC";

    /// <summary>Prefix of CDR ids; the rest is the installation id and the transaction id.</summary>
    public string IdPrefix { get; set; } = "CDR-";

    /// <summary>
    /// This data directory's installation id (see <see cref="Pipeline.CdrInstallation"/>), set when the pipeline is
    /// composed; empty for a data directory whose CDRs predate it. Not configuration: a copy of another installation's
    /// id would reissue that installation's CDR ids.
    /// </summary>
    public string? InstallationId { get; internal set; }

    /// <summary>
    /// The CDR id of a transaction: <c>{IdPrefix}{InstallationId}-{transactionId}</c> (e.g. <c>CDR-7K2M9QXA-42</c>, at most
    /// 23 characters with the default prefix; OCPI CiString(39)), or <c>{IdPrefix}{transactionId}</c> without an installation id.
    /// </summary>
    public string CdrIdOf(int transactionId) => string.IsNullOrEmpty(InstallationId)
        ? Cdrs.CdrIds.For(IdPrefix, transactionId)
        : Cdrs.CdrIds.For(IdPrefix + InstallationId + "-", transactionId);

    /// <summary>Currency of the zero-priced CDR of a session that no tariff applies to.</summary>
    public string DefaultCurrency { get; set; } = "EUR";

    /// <summary>Where chargers stand, unless a charger has its own entry in <see cref="Locations"/>.</summary>
    public CdrLocationOptions DefaultLocation { get; set; } = new();

    /// <summary>Per charge point id: location data for CDRs and the time zone tariff restrictions are evaluated in.</summary>
    public Dictionary<string, CdrLocationOptions> Locations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where <paramref name="chargerId"/> stands: its own entry of <see cref="Locations"/>, else <see cref="DefaultLocation"/>.</summary>
    public CdrLocationOptions LocationOf(string chargerId) =>
        Locations.TryGetValue(chargerId, out CdrLocationOptions? own) ? own : DefaultLocation;

    /// <summary>Sessions that stay open longer than this no longer hold back the pipeline's restart position.</summary>
    public TimeSpan MaxOpenSession { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How tariffs are read where OCPI leaves room (section <c>Cdr:Pricing</c>): for CDRs and the pricing API's defaults.</summary>
    public CdrPricingOptions Pricing { get; set; } = new();
}

/// <summary>
/// The server's readings of OCPI 2.2.1 where it is silent or changed between the release and its errata (section
/// <c>Cdr:Pricing</c>); each value is documented, with the spec text it follows, on <see cref="TariffPricingOptions"/>.
/// </summary>
public sealed class CdrPricingOptions
{
    /// <summary>
    /// <c>SessionTotalWithLastComponent</c> (default, release-2.2.1-bugfixes), <c>CombinedTimeWithLastComponent</c> (the
    /// 2.2.1 release's mod_tariffs examples), <c>EachComponentSeparately</c> or <c>Ignore</c>.
    /// </summary>
    public StepSizeRule StepSize { get; set; } = StepSizeRule.SessionTotalWithLastComponent;

    /// <summary>With the default step_size reading, round TIME and PARKING_TIME each with their own last component.</summary>
    public bool RoundTimeAndParkingSeparately { get; set; }

    /// <summary><c>CurrencyMinorUnit</c> (default: half away from zero) or <c>None</c> (exact decimals).</summary>
    public MoneyRounding Rounding { get; set; } = MoneyRounding.CurrencyMinorUnit;

    /// <summary>Whether min_price and max_price bound total_cost (default true).</summary>
    public bool ApplyPriceLimits { get; set; } = true;

    /// <summary>Refuse to price a session that starts outside the tariff's validity window (default true).</summary>
    public bool EnforceValidityWindow { get; set; } = true;

    /// <summary>The engine's options for these settings.</summary>
    public TariffPricingOptions ToTariffPricingOptions() => new()
    {
        StepSize = StepSize,
        RoundTimeAndParkingSeparately = RoundTimeAndParkingSeparately,
        Rounding = Rounding,
        ApplyPriceLimits = ApplyPriceLimits,
        EnforceValidityWindow = EnforceValidityWindow,
    };
}

/// <summary>Location data of a charger (OCPI CdrLocation fields) and its time zone.</summary>
public sealed class CdrLocationOptions
{
    /// <summary>OCPI location id; default: the charge point id.</summary>
    public string? LocationId { get; set; }

    public string? Name { get; set; }

    public string Address { get; set; } = "";

    public string City { get; set; } = "";

    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-3.</summary>
    public string Country { get; set; } = "NLD";

    public string Latitude { get; set; } = "0.000000";

    public string Longitude { get; set; } = "0.000000";

    /// <summary>IANA time zone of the location: time-of-day and day-of-week restrictions are local time here.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>eMI3 EVSE id prefix (e.g. NL*EVC*E); the connector id is appended.</summary>
    public string? EvseIdPrefix { get; set; }

    public string ConnectorStandard { get; set; } = "IEC_62196_T2";

    public string ConnectorFormat { get; set; } = "SOCKET";

    public string ConnectorPowerType { get; set; } = "AC_3_PHASE";
}

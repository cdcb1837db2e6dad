using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Cdr.Cdrs;

/// <summary>A CDR with the explanation of its price and the usage it was priced from.</summary>
public sealed record BuiltCdr(Cdr Cdr, PricedSession? Priced, SessionUsage Usage);

/// <summary>
/// Builds OCPI 2.2.1 CDRs from ended sessions: identity and token from the transaction, location from
/// configuration, periods and totals from the tariff engine. Pure.
/// </summary>
public sealed class CdrBuilder
{
    private readonly CdrOptions _options;
    private readonly ICdrRoamingResolver? _roaming;

    /// <summary>Creates the builder; <paramref name="roaming"/> fills in token owner and OCPI location of roaming sessions.</summary>
    public CdrBuilder(CdrOptions options, ICdrRoamingResolver? roaming = null)
    {
        _options = options;
        _roaming = roaming;
    }

    /// <summary>The configured location of a charger (its own entry, else the default).</summary>
    public CdrLocationOptions LocationOf(string chargerId) => _options.LocationOf(chargerId);

    /// <summary>The time zone restrictions are evaluated in at this charger.</summary>
    public TimeZoneInfo TimeZoneOf(string chargerId) => TimeZoneInfo.FindSystemTimeZoneById(LocationOf(chargerId).TimeZone);

    /// <summary>
    /// Prices <paramref name="session"/> (ended) with <paramref name="tariff"/> and builds its CDR; without a tariff
    /// the CDR carries the energy and times at zero cost, with a remark saying so.
    /// </summary>
    /// <remarks><paramref name="pricer"/> is the compiled <paramref name="tariff"/> (compiled once per tariff and reused), or null to compile it here.</remarks>
    public BuiltCdr Build(TrackedSession session, Tariff? tariff, TariffPricer? pricer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        SessionUsage usage = SessionUsageFactory.Create(session, session.EndMs, TimeZoneOf(session.ChargerId));
        return Build(session, usage, tariff, pricer, _options.CdrIdOf(session.TransactionId), now);
    }

    /// <summary>Builds a CDR with a given id from an already assembled usage (replacement CDRs re-price the stored usage).</summary>
    public BuiltCdr Build(TrackedSession session, SessionUsage usage, Tariff? tariff, TariffPricer? pricer, string id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(usage);
        PricedSession? priced = tariff is null ? null : (pricer ?? new TariffPricer(tariff)).Price(usage);
        decimal totalEnergy = (usage.Points.Length == 0 ? 0 : usage.Points[^1].EnergyKwh - usage.Points[0].EnergyKwh);
        decimal totalTime = (decimal)(usage.End - usage.Start).TotalHours;
        var zero = new Price(0m, 0m);
        CdrRoaming? roaming = _roaming?.Resolve(session.TransactionId, session.ChargerId, session.ConnectorId, session.IdTag);
        var cdr = new Cdr
        {
            CountryCode = _options.CountryCode,
            PartyId = _options.PartyId,
            Id = id,
            StartDateTime = OcpiDateTimeConverter.Truncate(usage.Start),
            EndDateTime = OcpiDateTimeConverter.Truncate(usage.End),
            SessionId = session.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            CdrToken = roaming?.Token ?? new CdrToken(_options.CountryCode, _options.PartyId, session.IdTag ?? "", "RFID", session.IdTag ?? ""),
            AuthMethod = roaming?.AuthMethod ?? "WHITELIST",
            AuthorizationReference = roaming?.AuthorizationReference,
            CdrLocation = roaming?.Location ?? Location(session),
            Currency = priced?.Currency ?? tariff?.Currency ?? _options.DefaultCurrency,
            Tariffs = tariff is null ? null : [tariff],
            ChargingPeriods = priced?.ChargingPeriods ?? [],
            TotalCost = priced?.TotalCost ?? zero,
            TotalFixedCost = priced?.TotalFixedCost,
            TotalEnergy = priced?.TotalEnergy ?? totalEnergy,
            TotalEnergyCost = priced?.TotalEnergyCost,
            TotalTime = priced?.TotalTime ?? totalTime,
            TotalTimeCost = priced?.TotalTimeCost,
            TotalParkingTime = priced?.TotalParkingTime,
            TotalParkingCost = priced?.TotalParkingCost,
            TotalReservationCost = priced is { TotalReservationTime: > 0 } ? priced.TotalReservationCost : null,
            Remark = tariff is null ? "No tariff applies to this charger, connector or token: priced at zero." : null,
            LastUpdated = OcpiDateTimeConverter.Truncate(now),
        };
        return new BuiltCdr(cdr, priced, usage);
    }

    /// <summary>The credit CDR that cancels <paramref name="original"/> (OCPI mod_cdrs "Credit CDRs"): same data, negated amounts.</summary>
    public static Cdr CreditFor(Cdr original, string id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(original);
        return original with
        {
            Id = id,
            TotalCost = Negate(original.TotalCost)!,
            TotalFixedCost = Negate(original.TotalFixedCost),
            TotalEnergyCost = Negate(original.TotalEnergyCost),
            TotalTimeCost = Negate(original.TotalTimeCost),
            TotalParkingCost = Negate(original.TotalParkingCost),
            TotalReservationCost = Negate(original.TotalReservationCost),
            Credit = true,
            CreditReferenceId = original.Id,
            Remark = "Credit for CDR " + original.Id,
            LastUpdated = OcpiDateTimeConverter.Truncate(now),
        };
    }

    private static Price? Negate(Price? price) => price is null ? null : new Price(-price.ExclVat, -price.InclVat);

    private CdrLocation Location(TrackedSession session) => Location(LocationOf(session.ChargerId), session.ChargerId, session.ConnectorId);

    /// <summary>
    /// The CdrLocation written for a CDR of <paramref name="chargerId"/>'s connector <paramref name="connectorId"/> when
    /// no roaming location applies: the configured place (<see cref="CdrOptions.LocationOf"/>), EVSE uid
    /// <c>{charger}*{connector}</c>, EVSE id from the place's prefix, connector "1".
    /// </summary>
    public static CdrLocation Location(CdrLocationOptions location, string chargerId, int connectorId)
    {
        ArgumentNullException.ThrowIfNull(location);
        string connector = connectorId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CdrLocation
        {
            Id = location.LocationId ?? chargerId,
            Name = location.Name,
            Address = location.Address,
            City = location.City,
            PostalCode = location.PostalCode,
            Country = location.Country,
            Coordinates = new GeoLocation(location.Latitude, location.Longitude),
            EvseUid = chargerId + "*" + connector,
            EvseId = (location.EvseIdPrefix ?? chargerId + "*") + connector,
            ConnectorId = "1",
            ConnectorStandard = location.ConnectorStandard,
            ConnectorFormat = location.ConnectorFormat,
            ConnectorPowerType = location.ConnectorPowerType,
        };
    }
}

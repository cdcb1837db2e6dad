using System.Globalization;
using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Tariffs;
using EvCloud.Fast.Tariffs.V211;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Sessions;
using CdrModel = EvCloud.Fast.Cdr.Cdrs.Cdr;
using GeoLocation = EvCloud.Fast.Ocpi.Locations.GeoLocation;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// Our OCPI 2.2.1 objects in their OCPI 2.1.1 form, for the CPO's 2.1.1 Sender interfaces and pushes. What 2.1.1
/// cannot say is dropped or narrowed here, one documented rule per field, so the 2.1.1 output of every module is
/// made in one place.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Location <c>type</c> (required in 2.1.1, §4.16) from the configured 2.2.1 <c>parking_type</c>: ON_STREET,
/// PARKING_GARAGE, UNDERGROUND_GARAGE and PARKING_LOT as is; ALONG_MOTORWAY and ON_DRIVEWAY are OTHER; none is UNKNOWN
/// (the enum's "default").</item>
/// <item>Coordinates are written with the six decimals of the 2.1.1 regex (§4.12). <c>postal_code</c> is required in
/// 2.1.1 and optional in our configuration: an unset one is sent as "".</item>
/// <item>Connector: <c>max_voltage</c>/<c>max_amperage</c> become <c>voltage</c>/<c>amperage</c>; of the
/// <c>tariff_ids</c> the first is the <c>tariff_id</c>; AC_2_PHASE and AC_2_PHASE_SPLIT (not in 2.1.1 §4.18) are
/// AC_1_PHASE, the one 2.1.1 value that does not overstate the phases.</item>
/// <item>Capabilities, facilities and parking restrictions keep only the values 2.1.1 defines.</item>
/// <item>auth_method COMMAND (2.2.1 only) is AUTH_REQUEST: a START_SESSION is the eMSP's authorization.
/// <c>auth_id</c> is the token's contract_id (2.1.1 Token.auth_id), its uid when there is none.</item>
/// <item>Money: 2.1.1 prices and totals exclude VAT (mod_sessions §3.1, mod_cdrs §3.1, mod_tariffs §4.2), so every
/// amount is the 2.2.1 <c>excl_vat</c>. A credit CDR keeps its negated amounts and its remark ("Credit for CDR …"):
/// 2.1.1 has no credit fields and no other way to cancel a CDR.</item>
/// <item>Charging periods keep the 2.1.1 dimensions (ENERGY, MAX_CURRENT, MIN_CURRENT, PARKING_TIME, TIME); a CDR with
/// a fixed cost gets 2.1.1's FLAT dimension (volume 1) in its first period.</item>
/// <item>Tariffs: <c>type</c>, <c>min_price</c>, <c>max_price</c>, the validity window and <c>vat</c> have no 2.1.1
/// field and are left out (CDR totals still include their effect); an element restricted to reservations or by
/// current is left out, because without its restriction it would claim to apply to every charge; a tariff left with
/// no element has no 2.1.1 form.</item>
/// </list>
/// </remarks>
public static class Ocpi211Mapper
{
    private static readonly HashSet<string> LocationTypes = new(StringComparer.Ordinal) { "ON_STREET", "PARKING_GARAGE", "UNDERGROUND_GARAGE", "PARKING_LOT" };

    private static readonly HashSet<string> Capabilities = new(StringComparer.Ordinal)
    {
        "CHARGING_PROFILE_CAPABLE", "CREDIT_CARD_PAYABLE", "REMOTE_START_STOP_CAPABLE", "RESERVABLE", "RFID_READER", "UNLOCK_CAPABLE",
    };

    private static readonly HashSet<string> Facilities = new(StringComparer.Ordinal)
    {
        "HOTEL", "RESTAURANT", "CAFE", "MALL", "SUPERMARKET", "SPORT", "RECREATION_AREA", "NATURE", "MUSEUM", "BUS_STOP", "TAXI_STAND",
        "TRAIN_STATION", "AIRPORT", "CARPOOL_PARKING", "FUEL_STATION", "WIFI",
    };

    private static readonly HashSet<string> ParkingRestrictions = new(StringComparer.Ordinal) { "EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES" };

    /// <summary>The session fields of 2.2.1 PATCHes by their 2.1.1 names (the others are spelt alike).</summary>
    private static readonly Dictionary<string, string> SessionFieldNames = new(StringComparer.Ordinal)
    {
        ["start_date_time"] = "start_datetime",
        ["end_date_time"] = "end_datetime",
    };

    /// <summary>LocationType of 2.1.1 for a 2.2.1 parking_type.</summary>
    public static string LocationType(string? parkingType) => parkingType switch
    {
        null or "" => "UNKNOWN",
        _ when LocationTypes.Contains(parkingType) => parkingType,
        _ => "OTHER",
    };

    /// <summary>The 2.1.1 PowerType for a 2.2.1 one.</summary>
    public static string PowerType(string? powerType) => powerType switch
    {
        "AC_2_PHASE" or "AC_2_PHASE_SPLIT" => "AC_1_PHASE",
        _ => powerType ?? "",
    };

    /// <summary>The 2.1.1 AuthMethod for a 2.2.1 one.</summary>
    public static string AuthMethod(string? authMethod) => authMethod == "WHITELIST" ? "WHITELIST" : "AUTH_REQUEST";

    /// <summary>A decimal degree with the six decimals of the 2.1.1 GeoLocation regex.</summary>
    public static string Coordinate(string? value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed)
            ? Math.Round(parsed, 6, MidpointRounding.AwayFromZero).ToString("0.000000", CultureInfo.InvariantCulture)
            : "0.000000";

    /// <summary>The name of a 2.2.1 Session field in 2.1.1.</summary>
    public static string SessionField(string name) => SessionFieldNames.GetValueOrDefault(name, name);

    /// <summary>A location with all its EVSEs.</summary>
    public static Location211 Location(OcpiLocation location, string? operatorName)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new Location211
        {
            Id = location.Id ?? "",
            Type = LocationType(location.ParkingType),
            Name = location.Name,
            Address = location.Address ?? "",
            City = location.City ?? "",
            PostalCode = location.PostalCode ?? "",
            Country = location.Country ?? "",
            Coordinates = new GeoLocation { Latitude = Coordinate(location.Coordinates?.Latitude), Longitude = Coordinate(location.Coordinates?.Longitude) },
            Evses = location.Evses?.Select(Evse).ToList(),
            Operator = string.IsNullOrEmpty(operatorName) ? null : new BusinessDetails211 { Name = operatorName.Length > 100 ? operatorName[..100] : operatorName },
            Facilities = Only(location.Facilities, Facilities),
            TimeZone = location.TimeZone,
            ChargingWhenClosed = location.ChargingWhenClosed,
            LastUpdated = location.LastUpdated ?? default,
        };
    }

    /// <summary>An EVSE with all its connectors.</summary>
    public static Evse211 Evse(OcpiEvse evse)
    {
        ArgumentNullException.ThrowIfNull(evse);
        return new Evse211
        {
            Uid = evse.Uid ?? "",
            EvseId = evse.EvseId,
            Status = evse.Status ?? "UNKNOWN",
            Capabilities = Only(evse.Capabilities, Capabilities),
            Connectors = evse.Connectors?.Select(Connector).ToList() ?? [],
            FloorLevel = evse.FloorLevel,
            PhysicalReference = evse.PhysicalReference,
            ParkingRestrictions = Only(evse.ParkingRestrictions, ParkingRestrictions),
            LastUpdated = evse.LastUpdated ?? default,
        };
    }

    /// <summary>A connector.</summary>
    public static Connector211 Connector(OcpiConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return new Connector211
        {
            Id = connector.Id ?? "",
            Standard = connector.Standard ?? "",
            Format = connector.Format ?? "",
            PowerType = PowerType(connector.PowerType),
            Voltage = connector.MaxVoltage ?? 0,
            Amperage = connector.MaxAmperage ?? 0,
            TariffId = connector.TariffIds is { Count: > 0 } ids ? ids[0] : null,
            TermsAndConditions = connector.TermsAndConditions,
            LastUpdated = connector.LastUpdated ?? default,
        };
    }

    /// <summary>
    /// The location of a session or CDR (mod_sessions §3.1 "including only the relevant EVSE and connector"): null when
    /// <paramref name="location"/> has no EVSE <paramref name="evseUid"/>. An unknown connector id keeps the EVSE's first.
    /// </summary>
    public static Location211? LocationOfSession(OcpiLocation location, string? operatorName, string evseUid, string connectorId)
    {
        ArgumentNullException.ThrowIfNull(location);
        OcpiEvse? evse = location.Evses?.Find(e => string.Equals(e.Uid, evseUid, StringComparison.OrdinalIgnoreCase));
        if (evse?.Connectors is not { Count: > 0 } connectors)
        {
            return null;
        }

        OcpiConnector connector = connectors.Find(c => string.Equals(c.Id, connectorId, StringComparison.OrdinalIgnoreCase)) ?? connectors[0];
        Location211 mapped = Location(location, operatorName);
        Evse211 used = Evse(evse);
        used.Connectors = [Connector(connector)];
        mapped.Evses = [used];
        return mapped;
    }

    /// <summary>
    /// The location of a session or CDR at a charger that is in no configured location: the CDR pipeline's
    /// CdrLocation. Status, voltage and amperage are not known there: UNKNOWN and 0.
    /// </summary>
    public static Location211 LocationOfSession(CdrLocation location, DateTimeOffset lastUpdated)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new Location211
        {
            Id = location.Id,
            Type = "UNKNOWN",
            Name = location.Name,
            Address = location.Address,
            City = location.City,
            PostalCode = location.PostalCode ?? "",
            Country = location.Country,
            Coordinates = new GeoLocation { Latitude = Coordinate(location.Coordinates.Latitude), Longitude = Coordinate(location.Coordinates.Longitude) },
            Evses =
            [
                new Evse211
                {
                    Uid = location.EvseUid,
                    EvseId = location.EvseId,
                    Status = "UNKNOWN",
                    Connectors =
                    [
                        new Connector211
                        {
                            Id = location.ConnectorId,
                            Standard = location.ConnectorStandard,
                            Format = location.ConnectorFormat,
                            PowerType = PowerType(location.ConnectorPowerType),
                            LastUpdated = lastUpdated,
                        },
                    ],
                    LastUpdated = lastUpdated,
                },
            ],
            LastUpdated = lastUpdated,
        };
    }

    /// <summary>A session, at <paramref name="location"/> (see <see cref="LocationOfSession(OcpiLocation, string?, string, string)"/>).</summary>
    public static Session211 Session(OcpiSession session, Location211 location)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new Session211
        {
            Id = session.Id,
            StartDatetime = session.StartDateTime,
            EndDatetime = session.EndDateTime,
            Kwh = session.Kwh,
            AuthId = AuthId(session.CdrToken),
            AuthMethod = AuthMethod(session.AuthMethod),
            Location = location,
            MeterId = session.MeterId,
            Currency = session.Currency,
            ChargingPeriods = session.ChargingPeriods is null ? null : ChargingPeriods(session.ChargingPeriods),
            TotalCost = session.TotalCost?.ExclVat,
            Status = session.Status == "RESERVATION" ? "PENDING" : session.Status,
            LastUpdated = session.LastUpdated,
        };
    }

    /// <summary>A CDR, at <paramref name="location"/>.</summary>
    public static Cdr211 Cdr(CdrModel cdr, Location211 location)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        List<ChargingPeriod211> periods = ChargingPeriods(cdr.ChargingPeriods);
        if (periods.Count == 0)
        {
            // mod_cdrs §3.1: charging_periods is "+"; a CDR whose periods held only 2.2.1 dimensions gets one period
            // with its totals.
            decimal parking = cdr.TotalParkingTime ?? 0;
            periods.Add(new ChargingPeriod211
            {
                StartDateTime = cdr.StartDateTime,
                Dimensions = [new CdrDimension211("ENERGY", cdr.TotalEnergy), new CdrDimension211("TIME", Math.Max(0, cdr.TotalTime - parking))],
            });
        }

        if (cdr.TotalFixedCost is { ExclVat: not 0 })
        {
            periods[0].Dimensions.Insert(0, new CdrDimension211("FLAT", 1));
        }

        List<Tariff211>? tariffs = cdr.Tariffs?.Select(Tariff211Mapper.ToV211).OfType<Tariff211>().ToList();
        return new Cdr211
        {
            Id = cdr.Id,
            StartDateTime = cdr.StartDateTime,
            StopDateTime = cdr.EndDateTime,
            AuthId = AuthId(cdr.CdrToken),
            AuthMethod = AuthMethod(cdr.AuthMethod),
            Location = location,
            MeterId = cdr.MeterId,
            Currency = cdr.Currency,
            Tariffs = tariffs is { Count: > 0 } ? tariffs : null,
            ChargingPeriods = periods,
            TotalCost = cdr.TotalCost.ExclVat,
            TotalEnergy = cdr.TotalEnergy,
            TotalTime = cdr.TotalTime,
            TotalParkingTime = cdr.TotalParkingTime,
            Remark = cdr.Remark is { Length: > 255 } remark ? remark[..255] : cdr.Remark,
            LastUpdated = cdr.LastUpdated,
        };
    }

    /// <summary>The charging periods with the dimensions 2.1.1 defines; a period left with none is dropped.</summary>
    public static List<ChargingPeriod211> ChargingPeriods(IEnumerable<ChargingPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var result = new List<ChargingPeriod211>();
        foreach (ChargingPeriod period in periods)
        {
            var dimensions = new List<CdrDimension211>();
            foreach (CdrDimension dimension in period.Dimensions)
            {
                if (DimensionName(dimension.Type) is { } name)
                {
                    dimensions.Add(new CdrDimension211(name, dimension.Volume));
                }
            }

            if (dimensions.Count > 0)
            {
                result.Add(new ChargingPeriod211 { StartDateTime = period.StartDateTime, Dimensions = dimensions });
            }
        }

        return result;
    }

    /// <summary>The 2.1.1 CdrDimensionType (mod_cdrs §4.3) of a 2.2.1 one; null when 2.1.1 has none.</summary>
    public static string? DimensionName(CdrDimensionType type) => type switch
    {
        CdrDimensionType.Energy => "ENERGY",
        CdrDimensionType.MaxCurrent => "MAX_CURRENT",
        CdrDimensionType.MinCurrent => "MIN_CURRENT",
        CdrDimensionType.ParkingTime => "PARKING_TIME",
        CdrDimensionType.Time => "TIME",
        _ => null,
    };

    private static string AuthId(CdrToken token) => string.IsNullOrEmpty(token.ContractId) ? token.Uid : token.ContractId;

    private static List<string>? Only(List<string>? values, HashSet<string> allowed)
    {
        List<string>? kept = values?.FindAll(allowed.Contains);
        return kept is { Count: > 0 } ? kept : null;
    }
}

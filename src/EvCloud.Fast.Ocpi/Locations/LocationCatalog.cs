using System.Text.RegularExpressions;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>
/// The CPO's locations (OCPI 2.2.1 §8): static data from <c>Ocpi:Locations</c>, EVSE status and last_updated from the
/// live state of the OCPP connectors each EVSE maps to. Built on demand, so a GET always shows the current status.
/// </summary>
/// <remarks>
/// Field lengths are checked strictly when the configuration is loaded (the Sender must never send an overlong
/// field), so every object built here fits the spec.
/// </remarks>
public sealed partial class LocationCatalog
{
    private static readonly string[] ConnectorFormats = ["SOCKET", "CABLE"];
    private static readonly string[] PowerTypes = ["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"];

    private readonly OcpiOptions _options;
    private readonly StorageEngine _storage;
    private readonly DateTimeOffset _started;
    private readonly Dictionary<string, LocationConfiguration> _byId = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Validates the configuration (throws on the first fault) and indexes it.</summary>
    public LocationCatalog(OcpiOptions options, StorageEngine storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _storage = storage;
        _started = OcpiDatesUtc(time.GetUtcNow());
        foreach (LocationConfiguration location in options.Locations)
        {
            Validate(location);
            if (!_byId.TryAdd(location.Id, location))
            {
                throw new InvalidOperationException($"Ocpi:Locations: location id '{location.Id}' appears twice.");
            }
        }
    }

    /// <summary>Every location (published or not).</summary>
    public IReadOnlyCollection<LocationConfiguration> Configured => _byId.Values;

    /// <summary>The configured location with this id (CiString: case-insensitive).</summary>
    public LocationConfiguration? Find(string locationId) => _byId.TryGetValue(locationId, out LocationConfiguration? location) ? location : null;

    /// <summary>The EVSE of a location (case-insensitive uid).</summary>
    public static EvseConfiguration? FindEvse(LocationConfiguration location, string evseUid)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Evses.Find(e => string.Equals(e.Uid, evseUid, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The location and EVSE a charger's connector (1.6) or EVSE (2.x) is configured as, if any.</summary>
    public (LocationConfiguration Location, EvseConfiguration Evse)? FindByCharger(string chargePointId, int connectorId)
    {
        foreach (LocationConfiguration location in _byId.Values)
        {
            foreach (EvseConfiguration evse in location.Evses)
            {
                if (evse.ConnectorId == connectorId && string.Equals(evse.ChargePointId, chargePointId, StringComparison.Ordinal))
                {
                    return (location, evse);
                }
            }
        }

        return null;
    }

    /// <summary>Published locations built with live status, in configuration order (stable for pagination).</summary>
    public List<OcpiLocation> BuildAll()
    {
        Dictionary<string, ChargerSnapshot> chargers = Chargers();
        var result = new List<OcpiLocation>(_options.Locations.Count);
        foreach (LocationConfiguration location in _options.Locations)
        {
            if (location.Publish)
            {
                result.Add(Build(location, chargers));
            }
        }

        return result;
    }

    /// <summary>One location built with live status; null when unknown or unpublished.</summary>
    public OcpiLocation? Build(string locationId)
    {
        LocationConfiguration? location = Find(locationId);
        return location is { Publish: true } ? Build(location, Chargers()) : null;
    }

    private Dictionary<string, ChargerSnapshot> Chargers()
    {
        var chargers = new Dictionary<string, ChargerSnapshot>(StringComparer.Ordinal);
        foreach (LocationConfiguration location in _options.Locations)
        {
            foreach (EvseConfiguration evse in location.Evses)
            {
                if (!chargers.ContainsKey(evse.ChargePointId) && _storage.State.GetCharger(evse.ChargePointId) is { } charger)
                {
                    chargers[evse.ChargePointId] = charger;
                }
            }
        }

        return chargers;
    }

    private OcpiLocation Build(LocationConfiguration location, Dictionary<string, ChargerSnapshot> chargers)
    {
        DateTimeOffset baseline = location.LastUpdated is { } configured ? OcpiDatesUtc(configured) : _started;
        DateTimeOffset locationUpdated = baseline;
        var evses = new List<OcpiEvse>(location.Evses.Count);
        foreach (EvseConfiguration evse in location.Evses)
        {
            string status = "UNKNOWN";
            DateTimeOffset evseUpdated = baseline;
            if (chargers.TryGetValue(evse.ChargePointId, out ChargerSnapshot? charger))
            {
                ConnectorSnapshot? connector = null;
                foreach (ConnectorSnapshot c in charger.Connectors)
                {
                    if (c.ConnectorId == evse.ConnectorId)
                    {
                        connector = c;
                        break;
                    }
                }

                status = EvseStatusMapping.Map(connector is null ? ConnectorStatus.Unknown : (ConnectorStatus)connector.Status, charger.Online);
                if (connector is { StatusTimestampMs: > 0 })
                {
                    // The charger's clock may run ahead; last_updated must never be in our future.
                    long ms = Math.Min(connector.StatusTimestampMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    DateTimeOffset statusTime = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    if (statusTime > evseUpdated)
                    {
                        evseUpdated = statusTime;
                    }
                }
            }

            var connectors = evse.Connectors.Select(c => new OcpiConnector
            {
                Id = c.Id,
                Standard = c.Standard,
                Format = c.Format,
                PowerType = c.PowerType,
                MaxVoltage = c.MaxVoltage,
                MaxAmperage = c.MaxAmperage,
                MaxElectricPower = c.MaxElectricPower,
                TariffIds = c.TariffIds.Count > 0 ? c.TariffIds : null,
                TermsAndConditions = c.TermsAndConditions,
                LastUpdated = baseline,
            }).ToList();

            // §8.3.2: an EVSE's last_updated covers its connectors; a location's covers its EVSEs.
            evses.Add(new OcpiEvse
            {
                Uid = evse.Uid,
                EvseId = evse.EvseId,
                Status = status,
                Capabilities = evse.Capabilities.Count > 0 ? evse.Capabilities : null,
                Connectors = connectors,
                FloorLevel = evse.FloorLevel,
                PhysicalReference = evse.PhysicalReference,
                ParkingRestrictions = evse.ParkingRestrictions.Count > 0 ? evse.ParkingRestrictions : null,
                LastUpdated = evseUpdated,
            });
            if (evseUpdated > locationUpdated)
            {
                locationUpdated = evseUpdated;
            }
        }

        return new OcpiLocation
        {
            CountryCode = _options.CountryCode,
            PartyId = _options.PartyId,
            Id = location.Id,
            Publish = location.Publish,
            Name = location.Name,
            Address = location.Address,
            City = location.City,
            PostalCode = location.PostalCode,
            State = location.State,
            Country = location.Country,
            Coordinates = new GeoLocation { Latitude = location.Latitude, Longitude = location.Longitude },
            ParkingType = location.ParkingType,
            Evses = evses,
            Facilities = location.Facilities.Count > 0 ? location.Facilities : null,
            TimeZone = location.TimeZone,
            ChargingWhenClosed = location.ChargingWhenClosed,
            LastUpdated = locationUpdated,
        };
    }

    private static DateTimeOffset OcpiDatesUtc(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    /// <summary>Strict output limits of OCPI 2.2.1 §8.3 for everything configured.</summary>
    private static void Validate(LocationConfiguration location)
    {
        string where = "Ocpi:Locations '" + location.Id + "'";
        Require(location.Id, 36, where + " Id");
        Require(location.Address, 45, where + " Address");
        Require(location.City, 45, where + " City");
        Optional(location.Name, 255, where + " Name");
        Optional(location.PostalCode, 10, where + " PostalCode");
        Optional(location.State, 20, where + " State");
        Require(location.TimeZone, 255, where + " TimeZone");
        if (location.Country.Length != 3)
        {
            throw new InvalidOperationException(where + " Country must be an ISO 3166-1 alpha-3 code.");
        }

        if (!LatitudeRegex().IsMatch(location.Latitude) || !LongitudeRegex().IsMatch(location.Longitude))
        {
            throw new InvalidOperationException(where + " Latitude/Longitude must match -?[0-9]{1,2}\\.[0-9]{5,7} / -?[0-9]{1,3}\\.[0-9]{5,7} (OCPI GeoLocation).");
        }

        var uids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (EvseConfiguration evse in location.Evses)
        {
            string evseWhere = where + " EVSE '" + evse.Uid + "'";
            Require(evse.Uid, 36, evseWhere + " Uid");
            Optional(evse.EvseId, 48, evseWhere + " EvseId");
            Optional(evse.FloorLevel, 4, evseWhere + " FloorLevel");
            Optional(evse.PhysicalReference, 16, evseWhere + " PhysicalReference");
            Require(evse.ChargePointId, 48, evseWhere + " ChargePointId");
            if (!uids.Add(evse.Uid) || evse.ConnectorId < 1 || evse.Connectors.Count == 0)
            {
                throw new InvalidOperationException(evseWhere + ": Uid must be unique, ConnectorId at least 1, and one connector at least is required.");
            }

            foreach (ConnectorConfiguration connector in evse.Connectors)
            {
                string connectorWhere = evseWhere + " connector '" + connector.Id + "'";
                Require(connector.Id, 36, connectorWhere + " Id");
                Require(connector.Standard, 255, connectorWhere + " Standard");
                if (!ConnectorFormats.Contains(connector.Format) || !PowerTypes.Contains(connector.PowerType) || connector.MaxVoltage <= 0 || connector.MaxAmperage <= 0)
                {
                    throw new InvalidOperationException(connectorWhere + ": Format (SOCKET/CABLE), PowerType (AC_1_PHASE…DC), MaxVoltage and MaxAmperage are required.");
                }
            }
        }
    }

    private static void Require(string? value, int max, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > max)
        {
            throw new InvalidOperationException($"{what} is required, at most {max} characters.");
        }
    }

    private static void Optional(string? value, int max, string what)
    {
        if (value is not null && value.Length > max)
        {
            throw new InvalidOperationException($"{what} has at most {max} characters.");
        }
    }

    [GeneratedRegex(@"^-?[0-9]{1,2}\.[0-9]{5,7}$")]
    private static partial Regex LatitudeRegex();

    [GeneratedRegex(@"^-?[0-9]{1,3}\.[0-9]{5,7}$")]
    private static partial Regex LongitudeRegex();
}

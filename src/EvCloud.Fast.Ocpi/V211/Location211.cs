using System.Text.Json.Serialization;
using EvCloud.Fast.Ocpi.Locations;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// Location object of OCPI 2.1.1 (mod_locations §3.1): no country_code, party_id or publish (the CPO is the partner
/// the object comes from), <c>type</c> required, <c>postal_code</c> required.
/// </summary>
public sealed class Location211
{
    /// <summary>string(39).</summary>
    public string Id { get; set; } = "";

    /// <summary>LocationType (§4.16): ON_STREET, PARKING_GARAGE, UNDERGROUND_GARAGE, PARKING_LOT, OTHER, UNKNOWN.</summary>
    public string Type { get; set; } = "UNKNOWN";

    /// <summary>string(255).</summary>
    public string? Name { get; set; }

    /// <summary>string(45).</summary>
    public string Address { get; set; } = "";

    /// <summary>string(45).</summary>
    public string City { get; set; } = "";

    /// <summary>string(10); required in 2.1.1.</summary>
    public string PostalCode { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-3.</summary>
    public string Country { get; set; } = "";

    /// <summary>GeoLocation (§4.12): six decimals in 2.1.1.</summary>
    public GeoLocation Coordinates { get; set; } = new();

    /// <summary>EVSEs (card. *).</summary>
    public List<Evse211>? Evses { get; set; }

    /// <summary>BusinessDetails of the operator.</summary>
    public BusinessDetails211? Operator { get; set; }

    /// <summary>Facility values of 2.1.1 (§4.11).</summary>
    public List<string>? Facilities { get; set; }

    /// <summary>IANA time zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Charging allowed outside opening hours.</summary>
    public bool? ChargingWhenClosed { get; set; }

    /// <summary>Last change of the location or any of its EVSEs or connectors.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

/// <summary>BusinessDetails class of 2.1.1 (mod_locations §4.1).</summary>
public sealed class BusinessDetails211
{
    /// <summary>string(100).</summary>
    public string Name { get; set; } = "";
}

/// <summary>EVSE object of 2.1.1 (mod_locations §3.2).</summary>
public sealed class Evse211
{
    /// <summary>string(39).</summary>
    public string Uid { get; set; } = "";

    /// <summary>string(48).</summary>
    public string? EvseId { get; set; }

    /// <summary>Status (§4.20): the same values as 2.2.1.</summary>
    public string Status { get; set; } = "UNKNOWN";

    /// <summary>Capability values of 2.1.1 (§4.2).</summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>Connectors (card. +).</summary>
    public List<Connector211> Connectors { get; set; } = [];

    /// <summary>string(4).</summary>
    public string? FloorLevel { get; set; }

    /// <summary>string(16).</summary>
    public string? PhysicalReference { get; set; }

    /// <summary>ParkingRestriction values (§4.17).</summary>
    public List<string>? ParkingRestrictions { get; set; }

    /// <summary>Last change of the EVSE or any of its connectors.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

/// <summary>Connector object of 2.1.1 (mod_locations §3.3): <c>voltage</c>/<c>amperage</c> and one <c>tariff_id</c>.</summary>
public sealed class Connector211
{
    /// <summary>string(36).</summary>
    public string Id { get; set; } = "";

    /// <summary>ConnectorType (§4.4).</summary>
    public string Standard { get; set; } = "";

    /// <summary>SOCKET or CABLE.</summary>
    public string Format { get; set; } = "";

    /// <summary>AC_1_PHASE, AC_3_PHASE or DC (§4.18).</summary>
    public string PowerType { get; set; } = "";

    /// <summary>Volts (line to neutral for AC_3_PHASE).</summary>
    [JsonPropertyName("voltage")]
    public int Voltage { get; set; }

    /// <summary>Amperes.</summary>
    [JsonPropertyName("amperage")]
    public int Amperage { get; set; }

    /// <summary>string(36): the one tariff of the connector.</summary>
    public string? TariffId { get; set; }

    /// <summary>URL.</summary>
    public string? TermsAndConditions { get; set; }

    /// <summary>Last change of the connector.</summary>
    public DateTimeOffset LastUpdated { get; set; }
}

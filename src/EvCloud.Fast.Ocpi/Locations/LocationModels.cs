using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Locations;

/// <summary>Location object (OCPI 2.2.1 §8.3.1): the fields this bridge sends and reads.</summary>
public sealed class OcpiLocation
{
    /// <summary>CiString(2).</summary>
    public string? CountryCode { get; set; }

    /// <summary>CiString(3).</summary>
    public string? PartyId { get; set; }

    /// <summary>CiString(36).</summary>
    public string? Id { get; set; }

    /// <summary>Whether the location may be published.</summary>
    public bool? Publish { get; set; }

    /// <summary>string(255).</summary>
    public string? Name { get; set; }

    /// <summary>string(45).</summary>
    public string? Address { get; set; }

    /// <summary>string(45).</summary>
    public string? City { get; set; }

    /// <summary>string(10).</summary>
    public string? PostalCode { get; set; }

    /// <summary>string(20).</summary>
    public string? State { get; set; }

    /// <summary>ISO 3166-1 alpha-3, string(3).</summary>
    public string? Country { get; set; }

    /// <summary>GeoLocation.</summary>
    public GeoLocation? Coordinates { get; set; }

    /// <summary>ParkingType.</summary>
    public string? ParkingType { get; set; }

    /// <summary>EVSEs.</summary>
    public List<OcpiEvse>? Evses { get; set; }

    /// <summary>Facility values.</summary>
    public List<string>? Facilities { get; set; }

    /// <summary>IANA time zone, string(255).</summary>
    public string? TimeZone { get; set; }

    /// <summary>Charging allowed outside opening hours.</summary>
    public bool? ChargingWhenClosed { get; set; }

    /// <summary>Last change of the location or any of its EVSEs or connectors.</summary>
    public DateTimeOffset? LastUpdated { get; set; }
}

/// <summary>GeoLocation class (2.2.1 §8.4.13).</summary>
public sealed class GeoLocation
{
    /// <summary>string(10).</summary>
    public string? Latitude { get; set; }

    /// <summary>string(11).</summary>
    public string? Longitude { get; set; }
}

/// <summary>EVSE object (2.2.1 §8.3.2).</summary>
public sealed class OcpiEvse
{
    /// <summary>CiString(36).</summary>
    public string? Uid { get; set; }

    /// <summary>CiString(48).</summary>
    public string? EvseId { get; set; }

    /// <summary>Status enum.</summary>
    public string? Status { get; set; }

    /// <summary>Capability values.</summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>Connectors (card. +).</summary>
    public List<OcpiConnector>? Connectors { get; set; }

    /// <summary>string(4).</summary>
    public string? FloorLevel { get; set; }

    /// <summary>string(16).</summary>
    public string? PhysicalReference { get; set; }

    /// <summary>ParkingRestriction values.</summary>
    public List<string>? ParkingRestrictions { get; set; }

    /// <summary>Last change of the EVSE or any of its connectors.</summary>
    public DateTimeOffset? LastUpdated { get; set; }
}

/// <summary>Connector object (2.2.1 §8.3.3).</summary>
public sealed class OcpiConnector
{
    /// <summary>CiString(36).</summary>
    public string? Id { get; set; }

    /// <summary>ConnectorType.</summary>
    public string? Standard { get; set; }

    /// <summary>ConnectorFormat.</summary>
    public string? Format { get; set; }

    /// <summary>PowerType.</summary>
    public string? PowerType { get; set; }

    /// <summary>Volts.</summary>
    public int? MaxVoltage { get; set; }

    /// <summary>Amperes.</summary>
    public int? MaxAmperage { get; set; }

    /// <summary>Watts.</summary>
    public int? MaxElectricPower { get; set; }

    /// <summary>CiString(36) each.</summary>
    public List<string>? TariffIds { get; set; }

    /// <summary>URL.</summary>
    public string? TermsAndConditions { get; set; }

    /// <summary>Last change of the connector.</summary>
    public DateTimeOffset? LastUpdated { get; set; }
}

using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi;

/// <summary>The OCPI bridge (configuration section <c>Ocpi</c>).</summary>
public sealed class OcpiOptions
{
    /// <summary>Whether <c>/ocpi</c> is served at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The roles this platform plays: <c>CPO</c>, <c>EMSP</c> or both. Decides which module endpoints the version
    /// details list (OCPI 2.2.1 §6.2) and which roles the credentials object carries (§7.3.1). Empty means CPO;
    /// <c>--Ocpi:Roles=CPO,EMSP</c> (comma-separated) works too.
    /// </summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Our ISO 3166 alpha-2 country code, as sent in credentials roles and owned objects (CiString(2)).</summary>
    public string CountryCode { get; set; } = "NL";

    /// <summary>Our party id (ISO 15118 operator/provider id, CiString(3)).</summary>
    public string PartyId { get; set; } = "EVC";

    /// <summary>BusinessDetails.name in our credentials (string(100)).</summary>
    public string BusinessName { get; set; } = "EvCloud.Fast";

    /// <summary>BusinessDetails.website, when set.</summary>
    public string? Website { get; set; }

    /// <summary>
    /// The absolute base URL partners reach us at, e.g. <c>https://ocpi.example.com</c> (no trailing slash). Every
    /// URL we hand out (versions, endpoints, <c>response_url</c>) starts with it. When empty, the scheme and host of
    /// the request being answered are used, which is right behind no proxy and wrong behind most.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Partners that may register with us, each with the <c>CREDENTIALS_TOKEN_A</c> we gave them out of band
    /// (§7.1.1). The admin API issues more at run time.
    /// </summary>
    public List<ConfiguredPartner> Partners { get; set; } = [];

    /// <summary>CPO role: our locations, mapped onto the chargers and connectors of the OCPP gateway.</summary>
    public List<LocationConfiguration> Locations { get; set; } = [];

    /// <summary>
    /// CommandResponse.timeout we promise (OCPI 2.2.1 §13.3.2): how long the partner should wait for the asynchronous
    /// CommandResult. It must exceed the OCPP call timeout, since the result follows the charger's answer.
    /// </summary>
    public TimeSpan CommandResultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a START_SESSION authorizes its token at our chargers when the token is not on the whitelist (the
    /// eMSP authorized it by sending the command, §13.1; the charger's OCPP Authorize/StartTransaction follows).
    /// </summary>
    public TimeSpan StartSessionGrant { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether a token no eMSP pushed to us is authorized by asking each registered eMSP (OCPI 2.2.1 §12.2.1.2) rather
    /// than refused. Tokens pushed with whitelist ALLOWED_OFFLINE or NEVER are always asked about.
    /// </summary>
    public bool RealTimeAuthorization { get; set; }

    /// <summary>
    /// How long a charger's Authorize or transaction start waits for the eMSP's real-time answer before the token's
    /// whitelist decides (ALLOWED_OFFLINE accepts, NEVER refuses). The request goes on, and its answer serves the next use.
    /// </summary>
    public TimeSpan RealTimeAuthorizationWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an eMSP's real-time answer stands for the same token before it is asked again: long enough for an
    /// Authorize and the transaction start that follows it, short enough that a block reaches the next tap.
    /// </summary>
    public TimeSpan RealTimeAnswerReuse { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Default page size of our paginated GETs when the partner asks for none.</summary>
    public int DefaultPageLimit { get; set; } = 100;

    /// <summary>Largest page we return (X-Limit, §4.1.6.2).</summary>
    public int MaxPageLimit { get; set; } = 1000;

    /// <summary>Timeout of each request we make to a partner (connect, send, and reading the whole answer).</summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest answer body we read from a partner; a larger one fails the request. 16 MiB holds a page of 1000 full
    /// Locations several times over; a partner's answer is not allowed to take the process's memory.
    /// </summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most pages a pull follows (<c>Link rel="next"</c>), so a partner whose pages never end cannot keep us busy.</summary>
    public int MaxPages { get; set; } = 1000;

    /// <summary>
    /// Whether partner URLs (versions, endpoints, <c>response_url</c>) may point at loopback, link-local or private
    /// addresses. Off in production: a partner chooses those URLs. On for partners inside the same network, and for two
    /// instances on one machine.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// Per partner host: the circuit opens when at least half of at least 10 requests in 30 s failed (5xx, 408, 429,
    /// connection failures, timeouts), and requests to that host then fail at once for this long.
    /// </summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The push outbox and the Sessions sender's update rate.</summary>
    public PushOptions Push { get; set; } = new();

    /// <summary>Whether this platform plays <paramref name="role"/> (<c>CPO</c> or <c>EMSP</c>, case-insensitive).</summary>
    public bool HasRole(string role) => Roles.Exists(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How objects are pushed to partners (configuration section <c>Ocpi:Push</c>).</summary>
public sealed class PushOptions
{
    /// <summary>First retry delay after a failed push; doubled per attempt (with ±20 % jitter so partners coming back are not hit by every queue at once).</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest retry delay: a partner down for a day is still retried every few minutes.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts after which a request that only ever failed with server errors or timeouts is dead-lettered (0: never).</summary>
    public int MaxAttempts { get; set; } = 500;

    /// <summary>
    /// Sessions sender: at most one PATCH per session per this interval while it charges (meter values in between are
    /// coalesced into the next); a status change is pushed at once. OCPI 2.2.1 §9.2.2 leaves the rate to the CPO.
    /// </summary>
    public TimeSpan SessionUpdateInterval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>A partner seeded from configuration, allowed to register with the token A we gave it.</summary>
public sealed class ConfiguredPartner
{
    /// <summary>Our name for the partner (unique; used in the admin API).</summary>
    public string Id { get; set; } = "";

    /// <summary>The CREDENTIALS_TOKEN_A the partner registers with (printable ASCII, no whitespace, at most 64).</summary>
    public string TokenA { get; set; } = "";

    /// <summary>How to send the credentials token in the Authorization header; default follows the version.</summary>
    public TokenEncoding? TokenEncoding { get; set; }

    /// <summary>
    /// The parties the partner may register (e.g. <c>Ocpi:Partners:0:Parties:0:CountryCode=DE</c>, <c>PartyId=EMS</c>,
    /// optional <c>Role=EMSP</c>); empty: any party no other partner holds.
    /// </summary>
    public List<ConfiguredParty> Parties { get; set; } = [];
}

/// <summary>One party a configured partner is bound to.</summary>
public sealed class ConfiguredParty
{
    /// <summary>CPO, EMSP, HUB…; empty: any role.</summary>
    public string? Role { get; set; }

    /// <summary>ISO 3166 alpha-2 country code.</summary>
    public string CountryCode { get; set; } = "";

    /// <summary>Party id (3 characters).</summary>
    public string PartyId { get; set; } = "";
}

/// <summary>One OCPI Location (OCPI 2.2.1 §8.3.1) built from configuration plus live charger state.</summary>
public sealed class LocationConfiguration
{
    /// <summary>Location.id, CiString(36).</summary>
    public string Id { get; set; } = "";

    /// <summary>Location.publish; unpublished locations are hidden from the Locations sender.</summary>
    public bool Publish { get; set; } = true;

    /// <summary>Location.name, string(255).</summary>
    public string? Name { get; set; }

    /// <summary>Location.address, string(45).</summary>
    public string Address { get; set; } = "";

    /// <summary>Location.city, string(45).</summary>
    public string City { get; set; } = "";

    /// <summary>Location.postal_code, string(10).</summary>
    public string? PostalCode { get; set; }

    /// <summary>Location.state, string(20).</summary>
    public string? State { get; set; }

    /// <summary>Location.country, ISO 3166-1 alpha-3, string(3).</summary>
    public string Country { get; set; } = "";

    /// <summary>GeoLocation.latitude, string(10), regex <c>-?[0-9]{1,2}\.[0-9]{5,7}</c>.</summary>
    public string Latitude { get; set; } = "";

    /// <summary>GeoLocation.longitude, string(11), regex <c>-?[0-9]{1,3}\.[0-9]{5,7}</c>.</summary>
    public string Longitude { get; set; } = "";

    /// <summary>Location.parking_type (ParkingType enum), when known.</summary>
    public string? ParkingType { get; set; }

    /// <summary>Location.time_zone, IANA tzdata name, string(255). Required in 2.2.1.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Location.facilities (Facility enum values).</summary>
    public List<string> Facilities { get; set; } = [];

    /// <summary>Location.charging_when_closed; with no opening_times configured the location is open 24/7.</summary>
    public bool? ChargingWhenClosed { get; set; }

    /// <summary>
    /// The last time the static data above changed; the location's last_updated never goes below it. Default: the
    /// time the server started (partners filtering with date_from then see the location once more after a restart).
    /// </summary>
    public DateTimeOffset? LastUpdated { get; set; }

    /// <summary>The EVSEs.</summary>
    public List<EvseConfiguration> Evses { get; set; } = [];
}

/// <summary>One EVSE (OCPI 2.2.1 §8.3.2): one OCPP connector (1.6) or EVSE (2.x) of one charger.</summary>
public sealed class EvseConfiguration
{
    /// <summary>EVSE.uid, CiString(36), unique within the CPO.</summary>
    public string Uid { get; set; } = "";

    /// <summary>EVSE.evse_id (eMI3, e.g. <c>NL*EVC*E1234*1</c>), CiString(48).</summary>
    public string? EvseId { get; set; }

    /// <summary>The OCPP charge point id whose connector this EVSE is.</summary>
    public string ChargePointId { get; set; } = "";

    /// <summary>1.6 connectorId / 2.x evseId of this EVSE at the charger (at least 1).</summary>
    public int ConnectorId { get; set; } = 1;

    /// <summary>EVSE.capabilities (Capability enum values).</summary>
    public List<string> Capabilities { get; set; } = [];

    /// <summary>EVSE.floor_level, string(4).</summary>
    public string? FloorLevel { get; set; }

    /// <summary>EVSE.physical_reference, string(16).</summary>
    public string? PhysicalReference { get; set; }

    /// <summary>EVSE.parking_restrictions (ParkingRestriction enum values).</summary>
    public List<string> ParkingRestrictions { get; set; } = [];

    /// <summary>The connectors (at least one).</summary>
    public List<ConnectorConfiguration> Connectors { get; set; } = [];
}

/// <summary>One Connector (OCPI 2.2.1 §8.3.3).</summary>
public sealed class ConnectorConfiguration
{
    /// <summary>Connector.id, CiString(36), unique within the EVSE; 2.x chargers number connectors within the EVSE the same way.</summary>
    public string Id { get; set; } = "1";

    /// <summary>Connector.standard (ConnectorType enum), e.g. <c>IEC_62196_T2</c>, <c>IEC_62196_T2_COMBO</c>, <c>CHADEMO</c>.</summary>
    public string Standard { get; set; } = "";

    /// <summary>Connector.format: <c>SOCKET</c> or <c>CABLE</c>.</summary>
    public string Format { get; set; } = "";

    /// <summary>Connector.power_type: <c>AC_1_PHASE</c>, <c>AC_2_PHASE</c>, <c>AC_2_PHASE_SPLIT</c>, <c>AC_3_PHASE</c>, <c>DC</c>.</summary>
    public string PowerType { get; set; } = "";

    /// <summary>Connector.max_voltage in volts (line to neutral for AC_3_PHASE).</summary>
    public int MaxVoltage { get; set; }

    /// <summary>Connector.max_amperage in amperes.</summary>
    public int MaxAmperage { get; set; }

    /// <summary>Connector.max_electric_power in watts, when it is below voltage × amperage × phases.</summary>
    public int? MaxElectricPower { get; set; }

    /// <summary>Connector.tariff_ids (CiString(36) each).</summary>
    public List<string> TariffIds { get; set; } = [];

    /// <summary>Connector.terms_and_conditions URL.</summary>
    public string? TermsAndConditions { get; set; }
}

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EvCloud.Fast.Api.OpenApi;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Api.Contracts;

/// <summary>A page of a list; <c>next</c> is the URL of the next page, absent on the last one.</summary>
/// <param name="Items">The items of this page.</param>
/// <param name="Total">Matching items in all pages (also in X-Total-Count).</param>
/// <param name="Offset">Items skipped before this page.</param>
/// <param name="Limit">The page size asked for.</param>
/// <param name="Next">The URL of the next page; absent on the last one (also in Link rel="next").</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit, string? Next);

/// <summary>A charger in a list.</summary>
/// <param name="Id">The charge point id (the last path segment of its OCPP URL).</param>
/// <param name="Protocol">ocpp1.6, ocpp2.0.1 or ocpp2.1: the version of its last connection.</param>
/// <param name="Online">Whether it is connected to this server now.</param>
/// <param name="Registration">The answer to its last BootNotification: Accepted, Pending, Rejected or Unknown (never booted).</param>
/// <param name="LastSeen">The last time any message arrived from it.</param>
/// <param name="Connectors">Connectors (1.6) or EVSEs (2.x); id 0 is the charger as a whole.</param>
/// <param name="OpenTransactions">Transactions started and not yet ended.</param>
/// <param name="Vendor">chargePointVendor / vendorName from its last boot.</param>
/// <param name="Model">chargePointModel / model from its last boot.</param>
/// <param name="FirmwareVersion">Firmware version from its last boot.</param>
public sealed record ChargerSummary(
    string Id,
    [property: StringValues("ocpp1.6", "ocpp2.0.1", "ocpp2.1")] string Protocol,
    bool Online,
    [property: StringValues("Accepted", "Pending", "Rejected", "Unknown")] string Registration,
    DateTimeOffset? LastSeen,
    string? Vendor,
    string? Model,
    string? FirmwareVersion,
    IReadOnlyList<ConnectorView> Connectors,
    int OpenTransactions);

/// <summary>One charger with everything the server knows about it.</summary>
/// <param name="Id">The charge point id.</param>
/// <param name="Protocol">ocpp1.6, ocpp2.0.1 or ocpp2.1: the version of its last connection.</param>
/// <param name="Online">Whether it is connected to this server now.</param>
/// <param name="Registration">The answer to its last BootNotification: Accepted, Pending, Rejected or Unknown.</param>
/// <param name="LastSeen">The last time any message arrived from it.</param>
/// <param name="Boot">What it said in its last BootNotification.</param>
/// <param name="Connection">The live connection, when online.</param>
/// <param name="Connectors">Connectors (1.6) or EVSEs (2.x); id 0 is the charger as a whole.</param>
/// <param name="OpenTransactions">Transactions started and not yet ended.</param>
/// <param name="Operator">The operator's registration decision.</param>
/// <param name="Credentials">Its Basic credentials, without the secret.</param>
/// <param name="HasDeviceModel">Whether a 2.x device model was reported (GET .../device-model).</param>
public sealed record ChargerDetail(
    string Id,
    [property: StringValues("ocpp1.6", "ocpp2.0.1", "ocpp2.1")] string Protocol,
    bool Online,
    [property: StringValues("Accepted", "Pending", "Rejected", "Unknown")] string Registration,
    DateTimeOffset? LastSeen,
    BootInfo Boot,
    ConnectionView? Connection,
    IReadOnlyList<ConnectorView> Connectors,
    IReadOnlyList<TransactionView> OpenTransactions,
    RegistrationView Operator,
    CredentialsView Credentials,
    bool HasDeviceModel);

/// <summary>
/// What the charger said in its last BootNotification (the fields of <see cref="ChargerIdentity"/>, the type the OCPP
/// handler records and the state returns), with when and how often it booted. It extends the identity rather than
/// holding it, so the JSON keeps every field directly under <c>boot</c>.
/// </summary>
public sealed record BootInfo : ChargerIdentity
{
    /// <summary>The boot facts around <paramref name="identity"/>.</summary>
    public BootInfo(DateTimeOffset? lastBoot, int bootCount, int heartbeatIntervalSeconds, ChargerIdentity identity)
        : base(identity)
    {
        LastBoot = lastBoot;
        BootCount = bootCount;
        HeartbeatIntervalSeconds = heartbeatIntervalSeconds;
    }

    /// <summary>When the last BootNotification arrived; absent when the charger never booted.</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset? LastBoot { get; init; }

    /// <summary>How many BootNotifications the server has received from it.</summary>
    [JsonPropertyOrder(-1)]
    public int BootCount { get; init; }

    /// <summary>The heartbeat interval handed out in the last answer, in seconds.</summary>
    [JsonPropertyOrder(-1)]
    public int HeartbeatIntervalSeconds { get; init; }
}

/// <summary>The live connection of an online charger.</summary>
/// <param name="SecurityProfile">0 plain ws, 1 Basic over ws, 2 TLS + Basic, 3 TLS with client certificate.</param>
/// <param name="RemoteEndPoint">The peer address as seen by the server.</param>
/// <param name="ConnectedAt">When the connection opened.</param>
public sealed record ConnectionView(string? RemoteEndPoint, DateTimeOffset ConnectedAt, int SecurityProfile);

/// <summary>A connector (1.6) or EVSE (2.x) with its last reported status.</summary>
/// <param name="Id">1.6 connectorId / 2.x evseId; 0 is the whole charger.</param>
/// <param name="Status">Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, Finishing, Reserved, Unavailable, Faulted, Occupied, Unknown.</param>
/// <param name="ErrorCode">1.6 ChargePointErrorCode (NoError when fine).</param>
/// <param name="TransactionId">The open transaction on it, if any.</param>
/// <param name="LastMeterWh">The last energy register reading, in Wh.</param>
/// <param name="Info">Free text from the charger.</param>
/// <param name="VendorId">Vendor of a vendor-specific error.</param>
/// <param name="VendorErrorCode">Vendor-specific error code.</param>
/// <param name="StatusTimestamp">When the charger says the status began.</param>
/// <param name="LastMeterAt">When the last reading was taken.</param>
public sealed record ConnectorView(
    int Id,
    string Status,
    string ErrorCode,
    string? Info,
    string? VendorId,
    string? VendorErrorCode,
    DateTimeOffset? StatusTimestamp,
    int? TransactionId,
    decimal? LastMeterWh,
    DateTimeOffset? LastMeterAt);

/// <summary>A charging transaction with its meter data (energy in Wh, exact to the mWh).</summary>
/// <param name="Id">The server's transaction id (the 1.6 transactionId).</param>
/// <param name="ChargerTransactionId">2.x: the transactionId the charging station chose.</param>
/// <param name="Status">Open or Ended.</param>
/// <param name="Meter">Register readings and the energy delivered so far.</param>
/// <param name="ChargerId">The charger it runs or ran on.</param>
/// <param name="ConnectorId">The connector (1.6) or EVSE (2.x).</param>
/// <param name="IdTag">The token that authorized it, if any.</param>
/// <param name="Start">When it started.</param>
/// <param name="Stop">When it ended, once ended.</param>
/// <param name="StopReason">The charger's stop reason, once ended.</param>
/// <param name="ReservationId">The reservation it used, if any.</param>
public sealed record TransactionView(
    int Id,
    string ChargerId,
    int ConnectorId,
    [property: StringValues("Open", "Ended")] string Status,
    string? IdTag,
    string? ChargerTransactionId,
    DateTimeOffset Start,
    DateTimeOffset? Stop,
    string? StopReason,
    int? ReservationId,
    MeterView Meter);

/// <summary>One transaction with its register readings over time and, once it ended and was priced, its CDR.</summary>
/// <param name="Readings">The energy register over time (Wh): meter values as the session tracker kept them (out-of-order and
/// backwards readings dropped), from start to the last reading or the stop; for a priced CDR, the points it was priced from.</param>
/// <param name="CdrId">The CDR of the transaction, once written.</param>
/// <param name="Transaction">The transaction.</param>
public sealed record TransactionDetail(TransactionView Transaction, IReadOnlyList<MeterReadingView> Readings, string? CdrId);

/// <summary>An energy register reading: when, the register in Wh, and whether the EV was charging in the interval after it.</summary>
/// <param name="Time">When the reading was taken.</param>
/// <param name="EnergyWh">The energy register, in Wh.</param>
/// <param name="Charging">Whether the EV was charging in the interval after it, when known.</param>
public sealed record MeterReadingView(DateTimeOffset Time, decimal EnergyWh, bool? Charging);

/// <summary>Energy register readings of a transaction, in Wh.</summary>
/// <param name="StartWh">meterStart.</param>
/// <param name="LastWh">The highest register reading (a register that runs backwards is not believed); once ended, the
/// register the transaction ends at: the higher of the reported meterStop and every earlier reading.</param>
/// <param name="LastReadingAt">When the latest reading was taken.</param>
/// <param name="EnergyWh">Delivered so far: last − start, never negative; the number its CDR bills.</param>
/// <param name="StopWh">Once ended: meterStop exactly as the charger reported it.</param>
public sealed record MeterView(decimal StartWh, decimal LastWh, DateTimeOffset? LastReadingAt, decimal EnergyWh, decimal? StopWh = null);

/// <summary>An operator's registration decision about a charge point id.</summary>
/// <param name="Decision">None (the boot policy decides), Allowed or Blocked.</param>
/// <param name="Configured">Listed in Ocpp:Chargers:Known.</param>
/// <param name="BootPolicy">AutoAccept, KnownOnly or PendingUnknown.</param>
/// <param name="NextBootAnswer">What its next BootNotification will be answered: Accepted, Pending or Rejected.</param>
/// <param name="ChargerId">The charge point id.</param>
/// <param name="Note">The operator's note.</param>
/// <param name="Updated">When the decision was last changed.</param>
public sealed record RegistrationView(string ChargerId, [property: StringValues(typeof(RegistrationDecision))] string Decision, string? Note, DateTimeOffset? Updated, bool Configured, [property: StringValues(typeof(BootPolicy))] string BootPolicy, [property: StringValues("Accepted", "Pending", "Rejected")] string NextBootAnswer);

/// <summary>Body of <c>PUT /chargers/{id}/registration</c>.</summary>
/// <param name="Decision">Allowed or Blocked.</param>
/// <param name="Note">A note for other operators (why it is allowed or blocked).</param>
public sealed record RegistrationWrite([property: StringValues("Allowed", "Blocked")] string Decision, string? Note);

/// <summary>A charger's HTTP Basic credentials, without any secret.</summary>
/// <param name="RequiredProfile">The security profile it must connect with (0–3).</param>
/// <param name="ChargerId">The charge point id.</param>
/// <param name="HasPassword">Whether a Basic password is set.</param>
public sealed record CredentialsView(string ChargerId, bool HasPassword, int RequiredProfile);

/// <summary>Body of <c>PUT /chargers/{id}/credentials</c>: the password (16–40 characters; at most 20 for 1.6) and/or the required profile.</summary>
/// <param name="Password">The new Basic password (16–40 characters; at most 20 for 1.6); absent keeps the current one.</param>
/// <param name="RequiredProfile">The security profile it must connect with (0–3); absent keeps the current one.</param>
public sealed record CredentialsWrite(string? Password, int? RequiredProfile);

/// <summary>The result of a password rotation: the charger took the new password; the old one works until <paramref name="PreviousValidUntil"/>.</summary>
/// <param name="Status">The charger's answer (Accepted, or RebootRequired when it applies the password after a reboot).</param>
/// <param name="ChargerId">The charge point id.</param>
/// <param name="CommandId">The id of the command that sent the password.</param>
/// <param name="PreviousValidUntil">Until when the old password still works.</param>
public sealed record CredentialsRotated(string ChargerId, string CommandId, string Status, DateTimeOffset PreviousValidUntil);

/// <summary>A token of the local authorization store.</summary>
/// <param name="Status">Accepted, Blocked, Expired, Invalid, NoCredit, NotAllowedTypeEVSE, NotAtThisLocation, NotAtThisTime.</param>
/// <param name="Source">Configuration or Api.</param>
/// <param name="OpenTransactions">Transactions currently open with this token.</param>
/// <param name="IdTag">The token (idTag / idToken).</param>
/// <param name="ExpiryDate">When it stops being accepted, if ever.</param>
/// <param name="ParentIdTag">Its group (parentIdTag / groupIdToken).</param>
/// <param name="AllowConcurrentTransactions">Whether it may start a transaction while another is open.</param>
/// <param name="LastUpdated">When it was last changed.</param>
public sealed record TokenView(
    string IdTag,
    string Status,
    DateTimeOffset? ExpiryDate,
    string? ParentIdTag,
    bool? AllowConcurrentTransactions,
    string Source,
    DateTimeOffset? LastUpdated,
    int OpenTransactions);

/// <summary>Body of <c>PUT /tokens/{idTag}</c>; absent fields take their defaults (status Accepted, no expiry).</summary>
/// <param name="Status">Accepted, Blocked, Expired, Invalid, NoCredit, NotAllowedTypeEVSE, NotAtThisLocation or NotAtThisTime; default Accepted.</param>
/// <param name="ExpiryDate">When it stops being accepted; absent: never.</param>
/// <param name="ParentIdTag">Its group (parentIdTag / groupIdToken).</param>
/// <param name="AllowConcurrentTransactions">Whether it may start a transaction while another is open.</param>
public sealed record TokenWrite(string? Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, bool? AllowConcurrentTransactions);

/// <summary>An API key, without the key.</summary>
/// <param name="Id">The key's id (for DELETE).</param>
/// <param name="Name">The key's name: the audit source of what it does.</param>
/// <param name="Role">Reader, Operator or Admin.</param>
/// <param name="Created">When it was created through the API (absent for configured keys).</param>
/// <param name="Configured">Configured under Api:Keys (cannot be deleted through the API).</param>
public sealed record ApiKeyView(string Id, string Name, [property: StringValues(typeof(ApiRole))] string Role, DateTimeOffset? Created, bool Configured);

/// <summary>Body of <c>POST /api-keys</c>.</summary>
/// <param name="Role">Reader, Operator or Admin.</param>
/// <param name="Name">A name for the key: the audit source of what it does.</param>
public sealed record ApiKeyCreate(string Name, [property: StringValues(typeof(ApiRole))] string Role);

/// <summary>A created API key: <c>key</c> is shown only in this response.</summary>
/// <param name="Id">The key's id (for DELETE).</param>
/// <param name="Name">The key's name.</param>
/// <param name="Role">Reader, Operator or Admin.</param>
/// <param name="Key">The key itself, shown only here: send it as Authorization: Bearer or X-API-Key.</param>
public sealed record ApiKeyCreated(string Id, string Name, [property: StringValues(typeof(ApiRole))] string Role, string Key);

/// <summary>The 2.x device model assembled from NotifyReport (OCPP 2.x Part 1 §4).</summary>
/// <param name="ReportedAt">generatedAt of the last complete report.</param>
/// <param name="ChargerId">The charge point id.</param>
/// <param name="Variables">Every reported variable.</param>
public sealed record DeviceModelView(string ChargerId, DateTimeOffset ReportedAt, IReadOnlyList<DeviceModelVariableView> Variables);

/// <summary>One reported variable with its attributes (VariableAttributeType) and characteristics, as received.</summary>
/// <param name="Component">Component name.</param>
/// <param name="ComponentInstance">Component instance, if any.</param>
/// <param name="EvseId">The EVSE of the component, if any.</param>
/// <param name="ConnectorId">The connector of the component, if any.</param>
/// <param name="Variable">Variable name.</param>
/// <param name="VariableInstance">Variable instance, if any.</param>
/// <param name="Attributes">VariableAttribute objects as reported (type, value, mutability…).</param>
/// <param name="Characteristics">VariableCharacteristics as reported (unit, dataType, limits…).</param>
public sealed record DeviceModelVariableView(
    string Component,
    string? ComponentInstance,
    int? EvseId,
    int? ConnectorId,
    string Variable,
    string? VariableInstance,
    JsonArray Attributes,
    JsonObject? Characteristics);

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Api.Contracts;

/// <summary>A page of a list; <c>next</c> is the URL of the next page, absent on the last one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit, string? Next);

/// <summary>A charger in a list.</summary>
/// <param name="Id">The charge point id (the last path segment of its OCPP URL).</param>
/// <param name="Protocol">ocpp1.6, ocpp2.0.1 or ocpp2.1: the version of its last connection.</param>
/// <param name="Online">Whether it is connected to this server now.</param>
/// <param name="Registration">The answer to its last BootNotification: Accepted, Pending, Rejected or Unknown (never booted).</param>
/// <param name="LastSeen">The last time any message arrived from it.</param>
/// <param name="Connectors">Connectors (1.6) or EVSEs (2.x); id 0 is the charger as a whole.</param>
/// <param name="OpenTransactions">Transactions started and not yet ended.</param>
public sealed record ChargerSummary(
    string Id,
    string Protocol,
    bool Online,
    string Registration,
    DateTimeOffset? LastSeen,
    string? Vendor,
    string? Model,
    string? FirmwareVersion,
    IReadOnlyList<ConnectorView> Connectors,
    int OpenTransactions);

/// <summary>One charger with everything the server knows about it.</summary>
public sealed record ChargerDetail(
    string Id,
    string Protocol,
    bool Online,
    string Registration,
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
public sealed record ConnectionView(string? RemoteEndPoint, DateTimeOffset ConnectedAt, int SecurityProfile);

/// <summary>A connector (1.6) or EVSE (2.x) with its last reported status.</summary>
/// <param name="Id">1.6 connectorId / 2.x evseId; 0 is the whole charger.</param>
/// <param name="Status">Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, Finishing, Reserved, Unavailable, Faulted, Occupied, Unknown.</param>
/// <param name="ErrorCode">1.6 ChargePointErrorCode (NoError when fine).</param>
/// <param name="TransactionId">The open transaction on it, if any.</param>
/// <param name="LastMeterWh">The last energy register reading, in Wh.</param>
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
public sealed record TransactionView(
    int Id,
    string ChargerId,
    int ConnectorId,
    string Status,
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
public sealed record TransactionDetail(TransactionView Transaction, IReadOnlyList<MeterReadingView> Readings, string? CdrId);

/// <summary>An energy register reading: when, the register in Wh, and whether the EV was charging in the interval after it.</summary>
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
public sealed record RegistrationView(string ChargerId, string Decision, string? Note, DateTimeOffset? Updated, bool Configured, string BootPolicy, string NextBootAnswer);

/// <summary>Body of <c>PUT /chargers/{id}/registration</c>.</summary>
/// <param name="Decision">Allowed or Blocked.</param>
public sealed record RegistrationWrite(string Decision, string? Note);

/// <summary>A charger's HTTP Basic credentials, without any secret.</summary>
/// <param name="RequiredProfile">The security profile it must connect with (0–3).</param>
public sealed record CredentialsView(string ChargerId, bool HasPassword, int RequiredProfile);

/// <summary>Body of <c>PUT /chargers/{id}/credentials</c>: the password (16–40 characters; at most 20 for 1.6) and/or the required profile.</summary>
public sealed record CredentialsWrite(string? Password, int? RequiredProfile);

/// <summary>The result of a password rotation: the charger took the new password; the old one works until <paramref name="PreviousValidUntil"/>.</summary>
/// <param name="Status">The charger's answer (Accepted, or RebootRequired when it applies the password after a reboot).</param>
public sealed record CredentialsRotated(string ChargerId, string CommandId, string Status, DateTimeOffset PreviousValidUntil);

/// <summary>A token of the local authorization store.</summary>
/// <param name="Status">Accepted, Blocked, Expired, Invalid, NoCredit, NotAllowedTypeEVSE, NotAtThisLocation, NotAtThisTime.</param>
/// <param name="Source">Configuration or Api.</param>
/// <param name="OpenTransactions">Transactions currently open with this token.</param>
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
public sealed record TokenWrite(string? Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, bool? AllowConcurrentTransactions);

/// <summary>An API key, without the key.</summary>
public sealed record ApiKeyView(string Id, string Name, string Role, DateTimeOffset? Created, bool Configured);

/// <summary>Body of <c>POST /api-keys</c>.</summary>
/// <param name="Role">Reader, Operator or Admin.</param>
public sealed record ApiKeyCreate(string Name, string Role);

/// <summary>A created API key: <c>key</c> is shown only in this response.</summary>
public sealed record ApiKeyCreated(string Id, string Name, string Role, string Key);

/// <summary>The 2.x device model assembled from NotifyReport (OCPP 2.x Part 1 §4).</summary>
/// <param name="ReportedAt">generatedAt of the last complete report.</param>
public sealed record DeviceModelView(string ChargerId, DateTimeOffset ReportedAt, IReadOnlyList<DeviceModelVariableView> Variables);

/// <summary>One reported variable with its attributes (VariableAttributeType) and characteristics, as received.</summary>
public sealed record DeviceModelVariableView(
    string Component,
    string? ComponentInstance,
    int? EvseId,
    int? ConnectorId,
    string Variable,
    string? VariableInstance,
    JsonArray Attributes,
    JsonObject? Characteristics);

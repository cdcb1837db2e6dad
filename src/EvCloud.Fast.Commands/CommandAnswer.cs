
namespace EvCloud.Fast.Commands;

/// <summary>
/// A charger's answer to a command, the same shape for every OCPP version so the REST API and the event stream need
/// not know what the charger speaks. Built by <see cref="ChargerCommands.ReadAnswer"/>.
/// </summary>
/// <param name="Status">
/// The charger's <c>status</c> exactly as sent (<c>Accepted</c>, <c>Rejected</c>, <c>Scheduled</c>, <c>Unlocked</c>,
/// <c>NotSupported</c>, …). Answers without a status field get a summary instead: 1.6 GetConfiguration and 2.x
/// GetVariables <c>Accepted</c>; configuration changes <c>Accepted</c>, <c>RebootRequired</c>, <c>Rejected</c> or
/// <c>PartiallyAccepted</c> (see <see cref="ChargerCommands.ReadChangeConfigurationAnswers"/>).
/// </param>
/// <param name="Accepted">
/// Whether the charger took the command on: <c>Accepted</c> for every action, and also <c>Unlocked</c> for
/// UnlockConnector, <c>Scheduled</c> for Reset and ChangeAvailability (done once running transactions end), and
/// <c>RebootRequired</c> for configuration changes (stored, in force after a reboot).
/// </param>
public sealed record CommandAnswer(string Status, bool Accepted)
{
    /// <summary>2.x <c>statusInfo</c>: why the station answered as it did. 1.6 answers carry no reason.</summary>
    public CommandStatusInfo? StatusInfo { get; init; }

    /// <summary>2.x RequestStartTransaction <c>transactionId</c>, present when a transaction was already running on the EVSE.</summary>
    public string? TransactionId { get; init; }

    /// <summary>GetConfiguration: the keys the charger returned (1.6 <c>configurationKey</c>, 2.x accepted <c>getVariableResult</c>).</summary>
    public IReadOnlyList<ConfigurationSetting>? Settings { get; init; }

    /// <summary>
    /// GetConfiguration: keys the charger does not have (1.6 <c>unknownKey</c>; 2.x <c>attributeStatus</c>
    /// UnknownComponent, UnknownVariable or NotSupportedAttributeType).
    /// </summary>
    public IReadOnlyList<string>? UnknownKeys { get; init; }

    /// <summary>
    /// Per-key outcomes: for configuration changes every key; for GetConfiguration the keys a 2.x station refused to
    /// read (<c>attributeStatus</c> Rejected).
    /// </summary>
    public IReadOnlyList<ConfigurationKeyResult>? KeyResults { get; init; }
}

/// <summary>2.x <c>StatusInfoType</c>: a machine-readable <c>reasonCode</c> and optional free-text <c>additionalInfo</c>.</summary>
public sealed record CommandStatusInfo(string ReasonCode, string? AdditionalInfo);

/// <summary>One configuration value as read from the charger.</summary>
/// <param name="Key">1.6 <c>key</c>, or 2.x <c>Component.Variable[.Instance]</c> as in the request.</param>
/// <param name="Value">1.6 <c>value</c> / 2.x <c>attributeValue</c>; null when the charger sent none.</param>
/// <param name="ReadOnly">1.6 <c>readonly</c>; null for 2.x, where mutability is only in the device model report.</param>
public sealed record ConfigurationSetting(string Key, string? Value, bool? ReadOnly);

/// <summary>The outcome for one key of a configuration read or write.</summary>
/// <param name="Key">The key as the request wrote it.</param>
/// <param name="Status">
/// The charger's status for this key (1.6 ChangeConfiguration <c>status</c>, 2.x <c>attributeStatus</c>), or, when the
/// CALL itself failed, the <c>OcppCallStatus</c> name (<c>Timeout</c>, <c>Offline</c>, <c>CallError</c>, …).
/// </param>
/// <param name="Accepted">True for <c>Accepted</c> and <c>RebootRequired</c>.</param>
/// <param name="StatusInfo">2.x <c>attributeStatusInfo</c>, or the CALLERROR code and description of a failed CALL.</param>
public sealed record ConfigurationKeyResult(string Key, string Status, bool Accepted, CommandStatusInfo? StatusInfo = null);

using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Api.Events;

/// <summary>
/// The event types of <c>GET /api/v1/events</c>, one per domain event an application cares about. Applications
/// never see OCPP: a 1.6 StopTransaction and a 2.x TransactionEvent Ended are both <c>transaction.ended</c>.
/// </summary>
public static class ApiEventTypes
{
    /// <summary>A charger connected.</summary>
    public const string ChargerOnline = "charger.online";
    /// <summary>A charger disconnected.</summary>
    public const string ChargerOffline = "charger.offline";
    /// <summary>A charger sent a BootNotification and was answered.</summary>
    public const string ChargerBooted = "charger.booted";
    /// <summary>A connector (1.6) or EVSE (2.x) reported a new status.</summary>
    public const string ConnectorStatus = "connector.status";
    /// <summary>A charger asked whether a token may charge, and was answered.</summary>
    public const string TokenAuthorized = "token.authorized";
    /// <summary>A transaction started.</summary>
    public const string TransactionStarted = "transaction.started";
    /// <summary>A transaction changed (2.x TransactionEvent Updated).</summary>
    public const string TransactionUpdated = "transaction.updated";
    /// <summary>A transaction ended.</summary>
    public const string TransactionEnded = "transaction.ended";
    /// <summary>A charger reported meter values.</summary>
    public const string MeterSampled = "meter.sampled";
    /// <summary>A charger reported something worth attention (firmware, diagnostics, security events…).</summary>
    public const string ChargerNotification = "charger.notification";
    /// <summary>A command sent to a charger was answered, failed or expired.</summary>
    public const string CommandCompleted = "command.completed";
    /// <summary>A CDR was written (a priced session, a credit or a replacement).</summary>
    public const string CdrCreated = "cdr.created";

    /// <summary>An ended session could not be priced and is held for review (again after each failed retry).</summary>
    public const string CdrHeld = "cdr.held";

    /// <summary>Every type, for validating filters and for the API reference.</summary>
    public static readonly string[] All =
    [
        ChargerOnline, ChargerOffline, ChargerBooted, ConnectorStatus, TokenAuthorized, TransactionStarted, TransactionUpdated,
        TransactionEnded, MeterSampled, ChargerNotification, CommandCompleted, CdrCreated, CdrHeld,
    ];

    /// <summary>The API type of a domain event, or null for events applications do not see (documents).</summary>
    public static string? Of(DomainEvent domainEvent) => domainEvent switch
    {
        ChargerConnected => ChargerOnline,
        ChargerDisconnected => ChargerOffline,
        Storage.Events.ChargerBooted => ChargerBooted,
        StatusChanged => ConnectorStatus,
        AuthorizeRequested => TokenAuthorized,
        Storage.Events.TransactionStarted => TransactionStarted,
        Storage.Events.MeterSampled sample => sample.TransactionId > 0 ? TransactionUpdated : MeterSampled,
        Storage.Events.TransactionEnded => TransactionEnded,
        Storage.Events.ChargerNotification => ChargerNotification,
        Storage.Events.CommandCompleted => CommandCompleted,
        Storage.Events.CdrRecorded => CdrCreated,
        DocumentPut { Collection: Cdr.Pipeline.HeldSession.Collection } => CdrHeld,
        _ => null,
    };

    /// <summary>The charger an event concerns (a held session's document names it in its value, not in its header).</summary>
    public static string ChargerOf(DomainEvent domainEvent) => domainEvent is DocumentPut { Collection: Cdr.Pipeline.HeldSession.Collection } put
        ? MessagePack.MessagePackSerializer.Deserialize<Cdr.Pipeline.HeldSession>(put.Value).ChargerId
        : domainEvent.ChargerId;
}

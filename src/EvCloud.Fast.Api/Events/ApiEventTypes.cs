using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Api.Events;

/// <summary>
/// The event types of <c>GET /api/v1/events</c>, one per domain event an application cares about. Applications
/// never see OCPP: a 1.6 StopTransaction and a 2.x TransactionEvent Ended are both <c>transaction.ended</c>.
/// </summary>
public static class ApiEventTypes
{
    public const string ChargerOnline = "charger.online";
    public const string ChargerOffline = "charger.offline";
    public const string ChargerBooted = "charger.booted";
    public const string ConnectorStatus = "connector.status";
    public const string TokenAuthorized = "token.authorized";
    public const string TransactionStarted = "transaction.started";
    public const string TransactionUpdated = "transaction.updated";
    public const string TransactionEnded = "transaction.ended";
    public const string MeterSampled = "meter.sampled";
    public const string ChargerNotification = "charger.notification";
    public const string CommandCompleted = "command.completed";
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

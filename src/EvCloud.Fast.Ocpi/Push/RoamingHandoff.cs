using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpi.Cdrs;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpi.Tariffs;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Ocpi.Push;

/// <summary>Hands one log event to the CPO's sending modules (which queue what partners must receive in the push outbox).</summary>
public interface IRoamingHandoff
{
    /// <summary>Handles one event; true when it concerned roaming. Throws when the hand-off failed.</summary>
    Task<bool> HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken);

    /// <summary>Pushes the session progress the update interval held back.</summary>
    Task FlushDueAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The CPO senders behind the <see cref="RoamingFeed"/>: transactions feed the <see cref="SessionSender"/>,
/// <see cref="CdrRecorded"/> the <see cref="CdrSender"/>, writes of the tariff store the <see cref="TariffSender"/>, and
/// connector status and charger connections the <see cref="LocationPush"/>.
/// </summary>
public sealed class RoamingHandoff(SessionSender sessions, CdrSender cdrs, TariffSender tariffs, LocationPush locations) : IRoamingHandoff
{
    /// <inheritdoc />
    public async Task<bool> HandleAsync(DomainEvent domainEvent, CancellationToken cancellationToken) => domainEvent switch
    {
        StatusChanged status => await locations.OnStatusChangedAsync(status, cancellationToken).ConfigureAwait(false),
        ChargerConnected connected => await locations.OnConnectionChangedAsync(connected.ChargerId, online: true, connected.TimestampMs, cancellationToken).ConfigureAwait(false),
        ChargerDisconnected disconnected => await locations.OnConnectionChangedAsync(disconnected.ChargerId, online: false, disconnected.TimestampMs, cancellationToken).ConfigureAwait(false),
        CdrRecorded recorded => await cdrs.OnRecordedAsync(recorded, cancellationToken).ConfigureAwait(false),
        DocumentPut put when put.Collection == TariffStore.TariffCollection => await tariffs.OnChangedAsync(put.Key, put.Value, cancellationToken).ConfigureAwait(false),
        DocumentDeleted deleted when deleted.Collection == TariffStore.TariffCollection => await tariffs.OnChangedAsync(deleted.Key, null, cancellationToken).ConfigureAwait(false),
        DocumentPut or DocumentDeleted => false,
        _ => await sessions.ApplyAsync(domainEvent, cancellationToken).ConfigureAwait(false),
    };

    /// <inheritdoc />
    public Task FlushDueAsync(CancellationToken cancellationToken) => sessions.FlushDueAsync(cancellationToken);
}

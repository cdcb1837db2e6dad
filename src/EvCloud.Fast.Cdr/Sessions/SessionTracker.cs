using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Cdr.Sessions;

/// <summary>
/// Follows transactions through the domain events (1.6 Start/MeterValues/Stop and 2.x TransactionEvent map to the
/// same events) and hands out each session once it ends. Pure: the pipeline feeds it the log in order; feeding the
/// same events again after a restart rebuilds the same sessions.
/// </summary>
/// <remarks>
/// Charging versus idle/parking time: a connector status of Charging (1.6) starts charging time; SuspendedEV,
/// SuspendedEVSE and Finishing start idle time. Where the connector reports no such status (2.x stations report
/// Occupied for both), a meter interval in which the energy register grew counts as charging and one in which it
/// did not as idle (see <see cref="SessionUsageFactory"/>).
/// </remarks>
public sealed class SessionTracker
{
    private readonly Dictionary<int, TrackedSession> _open = [];

    /// <summary>Open sessions.</summary>
    public IReadOnlyCollection<TrackedSession> Open => _open.Values;

    /// <summary>The log address to replay from to rebuild every open session (null when none is open).</summary>
    public long? ReplayFrom => _open.Count == 0 ? null : _open.Values.Min(s => s.StartAddress);

    /// <summary>The open session of a transaction, if any.</summary>
    public TrackedSession? Get(int transactionId) => _open.GetValueOrDefault(transactionId);

    /// <summary>Applies one event; returns the session it ended, if any.</summary>
    public TrackedSession? Apply(DomainEvent domainEvent, long address)
    {
        switch (domainEvent)
        {
            case TransactionStarted started:
                if (!_open.ContainsKey(started.TransactionId))
                {
                    _open[started.TransactionId] = new TrackedSession(
                        started.TransactionId, started.ChargerId, started.ConnectorId, started.ExternalTransactionId, started.IdTag,
                        started.AuthStatus, started.StartTimestampMs, started.MeterStartMilliWh, address);
                }

                return null;
            case MeterSampled sample when sample.TransactionId > 0 && sample.EnergyRegisterMilliWh >= 0:
                _open.GetValueOrDefault(sample.TransactionId)?.AddReading(sample.SampleTimestampMs, sample.EnergyRegisterMilliWh);
                return null;
            case StatusChanged status:
                bool? charging = ChargingOf(status.Status);
                if (charging is { } isCharging)
                {
                    foreach (TrackedSession session in _open.Values)
                    {
                        if (session.ConnectorId == status.ConnectorId && session.ChargerId == status.ChargerId)
                        {
                            session.AddState(status.StatusTimestampMs > 0 ? status.StatusTimestampMs : status.TimestampMs, isCharging);
                        }
                    }
                }

                return null;
            case TransactionEnded ended when _open.Remove(ended.TransactionId, out TrackedSession? session):
                session.End(ended.StopTimestampMs, ended.MeterStopMilliWh, ended.Reason);
                return session;
            default:
                return null;
        }
    }

    /// <summary>
    /// Charging (true), idle (false) or no information (null) from a stored connector status byte: 3 Charging;
    /// 4 SuspendedEVSE, 5 SuspendedEV, 6 Finishing (see the gateway's ConnectorStatus).
    /// </summary>
    internal static bool? ChargingOf(byte status) => status switch
    {
        3 => true,
        4 or 5 or 6 => false,
        _ => null,
    };
}

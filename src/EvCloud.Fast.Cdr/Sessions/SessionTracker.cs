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
    public TrackedSession? Apply(DomainEvent domainEvent, long address) => Apply(domainEvent, address, out _);

    /// <summary>
    /// Applies one event; returns the session it ended, if any. A stop that ends no session of its charger comes back
    /// in <paramref name="unbillable"/>: it can have no CDR (no start, so no energy or duration), and the pipeline
    /// records it as unbillable rather than forget it.
    /// </summary>
    public TrackedSession? Apply(DomainEvent domainEvent, long address, out UnbillableStop? unbillable)
    {
        unbillable = null;
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
                // NOTE: a reading counts only for a session of the charger that sent it.
                if (_open.TryGetValue(sample.TransactionId, out TrackedSession? sampled) && sampled.ChargerId == sample.ChargerId)
                {
                    sampled.AddReading(sample.SampleTimestampMs, sample.EnergyRegisterMilliWh);
                }

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
            case TransactionEnded ended:
                // NOTE: a stop ends only a session of the charger that sent it; any other stop is unbillable.
                if (_open.TryGetValue(ended.TransactionId, out TrackedSession? closing) && closing.ChargerId == ended.ChargerId)
                {
                    _open.Remove(ended.TransactionId);
                    closing.End(ended.StopTimestampMs, ended.MeterStopMilliWh, ended.Reason);
                    return closing;
                }

                unbillable = new UnbillableStop(
                    ended.ChargerId, ended.TransactionId, closing is null ? UnbillableReason.UnknownTransaction : UnbillableReason.ForeignTransaction,
                    ended.StopTimestampMs, ended.MeterStopMilliWh, ended.IdTag, ended.Reason, address, ended.TimestampMs);
                return null;
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

/// <summary>Why a stop could not become a CDR.</summary>
public enum UnbillableReason
{
    /// <summary>
    /// The stop names a transaction with no open session: one the server never started (a 1.6 charger's queue from
    /// before a factory reset or from another system), or one open longer than <c>Cdr:MaxOpenSession</c> when the
    /// pipeline restarted.
    /// </summary>
    UnknownTransaction,

    /// <summary>The stop names an open session of another charger (the gateway refuses these; only an old log holds them).</summary>
    ForeignTransaction,
}

/// <summary>A stop the tracker could not attribute to a session: what the charger said, and where it is in the log.</summary>
/// <param name="ChargerId">The charger that sent the stop.</param>
/// <param name="TransactionId">The transaction id it named.</param>
/// <param name="Reason">Why no CDR can be made.</param>
/// <param name="StopMs">The stop time the charger reported (Unix ms).</param>
/// <param name="MeterStopMilliWh">The register at the stop.</param>
/// <param name="IdTag">The token of the stop, if any.</param>
/// <param name="StopReason">The charger's stop reason.</param>
/// <param name="Address">Log address of the stop event (its identity: replaying the log finds the same stop again).</param>
/// <param name="ReceivedMs">When the server received it (Unix ms).</param>
public sealed record UnbillableStop(
    string ChargerId, int TransactionId, UnbillableReason Reason, long StopMs, long MeterStopMilliWh, string? IdTag, string? StopReason, long Address, long ReceivedMs);

using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace EvCloud.Fast.Storage.State;

/// <summary>A copy of a transaction's live state; span accessors do not allocate. Energy in mWh.</summary>
public readonly struct TransactionState
{
    private readonly TransactionRecord _record;

    internal TransactionState(in TransactionRecord record) => _record = record;

    public int TransactionId => _record.TransactionId;

    public int ConnectorId => _record.ConnectorId;

    public TransactionStatus Status => _record.Status;

    public long MeterStartMilliWh => _record.MeterStartMilliWh;

    public long StartMs => _record.StartMs;

    /// <summary>Highest energy register of the transaction: meter start until the first sample; once ended, the register it ends at (see <see cref="TransactionEnergy"/>).</summary>
    public long LastEnergyMilliWh => _record.LastEnergyMilliWh;

    public long LastMeterMs => _record.LastMeterMs;

    /// <summary>-1 when the transaction did not consume a reservation.</summary>
    public int ReservationId => _record.ReservationId;

    public byte AuthStatus => _record.AuthStatus;

    /// <summary>-1 while open.</summary>
    public long MeterStopMilliWh => _record.MeterStopMilliWh;

    /// <summary>0 while open.</summary>
    public long StopMs => _record.StopMs;

    [UnscopedRef]
    public ReadOnlySpan<byte> ChargerIdUtf8 => _record.Charger.Span;

    [UnscopedRef]
    public ReadOnlySpan<byte> IdTagUtf8 => ((ReadOnlySpan<byte>)_record.IdTag)[.._record.IdTagLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> StopReasonUtf8 => ((ReadOnlySpan<byte>)_record.StopReason)[.._record.StopReasonLength];

    public string ChargerId => Encoding.UTF8.GetString(ChargerIdUtf8);

    public string? IdTag => Utf8Field.ToStringOrNull(IdTagUtf8);

    public string? StopReason => Utf8Field.ToStringOrNull(StopReasonUtf8);

    /// <summary>OCPP 2.x: the charger's transaction id (empty for 1.6).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> ExternalIdUtf8 => ((ReadOnlySpan<byte>)_record.ExternalId)[.._record.ExternalIdLength];

    /// <summary>OCPP 2.x: the charger's transaction id, or null for 1.6.</summary>
    public string? ExternalId => Utf8Field.ToStringOrNull(ExternalIdUtf8);

    /// <summary>
    /// Log address of the last event applied to the transaction: every event of it is durable once this one is, so a
    /// retransmitted message is acknowledged after waiting on it.
    /// </summary>
    public long LastEventAddress => _record.LastEventAddress;

    /// <summary>Whether the transaction belongs to <paramref name="chargerIdUtf8"/> (ids are issued per charger). Allocates nothing.</summary>
    public bool BelongsTo(ReadOnlySpan<byte> chargerIdUtf8) => _record.Charger.Span.SequenceEqual(chargerIdUtf8);

    /// <summary>OCPP 2.x: whether a TransactionEvent with this seqNo was already applied (a replay).</summary>
    public bool HasSeqNo(int seqNo) => _record.HasSeqNo(seqNo);
}

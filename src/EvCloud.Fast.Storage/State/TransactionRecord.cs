namespace EvCloud.Fast.Storage.State;

/// <summary>
/// FASTER value of a transaction, 240 bytes, blittable. The id tag holds 36 bytes (OCPP 2.x
/// idToken is up to 36 characters, 1.6 idTag 20); the stop reason 32 bytes (the longest 2.0.1
/// reason, "ReqEnergyTransferRejected", is 25).
/// </summary>
internal struct TransactionRecord
{
    /// <summary>Log address of the last event applied; replay skips events at or below it.</summary>
    public long LastEventAddress;
    public long MeterStartMilliWh;
    public long StartMs;
    public long LastEnergyMilliWh;
    public long LastMeterMs;
    public long MeterStopMilliWh;
    public long StopMs;

    /// <summary>OCPP 2.x: seqNo window. Bit i set means seqNo <see cref="HighestSeqNo"/> − i was applied.</summary>
    public ulong SeqWindow;

    /// <summary>OCPP 2.x: highest TransactionEvent seqNo applied, -1 before any.</summary>
    public int HighestSeqNo;
    public int TransactionId;
    public int ConnectorId;
    public int ReservationId;
    public TransactionStatus Status;
    public byte AuthStatus;
    public byte IdTagLength;
    public byte StopReasonLength;
    public ChargerKey Charger;
    public Utf8Buffer36 IdTag;
    public Utf8Buffer32 StopReason;
    public byte ExternalIdLength;

    /// <summary>OCPP 2.x: the transaction id the charger chose; empty for 1.6 transactions.</summary>
    public Utf8Buffer36 ExternalId;

    /// <summary>Marks <paramref name="seqNo"/> as applied (no-op for -1, the 1.6 case).</summary>
    public void NoteSeqNo(int seqNo)
    {
        if (seqNo < 0)
        {
            return;
        }

        if (HighestSeqNo < 0 || seqNo > HighestSeqNo)
        {
            int shift = HighestSeqNo < 0 ? 64 : seqNo - HighestSeqNo;
            SeqWindow = (shift >= 64 ? 0UL : SeqWindow << shift) | 1UL;
            HighestSeqNo = seqNo;
        }
        else if (HighestSeqNo - seqNo < 64)
        {
            SeqWindow |= 1UL << (HighestSeqNo - seqNo);
        }
    }

    /// <summary>Whether <paramref name="seqNo"/> was applied; numbers more than 64 below the highest count as seen.</summary>
    public readonly bool HasSeqNo(int seqNo) =>
        seqNo >= 0 && HighestSeqNo >= 0 && seqNo <= HighestSeqNo
        && (HighestSeqNo - seqNo >= 64 || (SeqWindow & (1UL << (HighestSeqNo - seqNo))) != 0);
}

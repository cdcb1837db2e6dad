namespace EvCloud.Fast.Storage.State;

/// <summary>
/// The one rule for the energy of a transaction, used by the state store (the transaction API) and by the CDR
/// pipeline's session tracker, so both always show the same number.
/// </summary>
/// <remarks>
/// An energy register only counts up. A reading or a stop below an earlier reading (a meter that runs backwards, a
/// register reset, a replaced meter) cannot take back energy that was already measured, so the register a transaction
/// ends at is the highest of its start, every reading recorded for it while it was open, and the stop the charger
/// reported. Its energy is that register minus the start, never negative, and 0 when the start is unknown (a 2.x
/// transaction that reported no reading before its end). The stop as reported stays in the log and in the
/// transaction's record.
/// </remarks>
public static class TransactionEnergy
{
    /// <summary>The highest register after <paramref name="readingMilliWh"/> (negative: no reading, ignored).</summary>
    public static long Highest(long highestMilliWh, long readingMilliWh) => Math.Max(highestMilliWh, readingMilliWh);

    /// <summary>The register the transaction ends at: the reported stop, or the highest reading when that is higher.</summary>
    public static long EndRegister(long highestMilliWh, long meterStopMilliWh) => Math.Max(highestMilliWh, meterStopMilliWh);

    /// <summary>Energy delivered between <paramref name="meterStartMilliWh"/> and <paramref name="registerMilliWh"/>: never negative, 0 for an unknown start.</summary>
    public static long Delivered(long meterStartMilliWh, long registerMilliWh) =>
        meterStartMilliWh < 0 ? 0 : Math.Max(0, registerMilliWh - meterStartMilliWh);
}

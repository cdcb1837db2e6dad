namespace EvCloud.Fast.Storage.State;

/// <summary>
/// FASTER value of a connector, 208 bytes, blittable. Info and vendorErrorCode are CiString50 in
/// OCPP 1.6; vendorId is CiString255 but is kept to its first 64 bytes (a vendor identifier in
/// practice is a reverse-DNS name well under that), truncated on a UTF-8 character boundary.
/// </summary>
internal struct ConnectorRecord
{
    /// <summary>Log address of the last event applied; replay skips events at or below it.</summary>
    public long LastEventAddress;
    public long StatusTimestampMs;

    /// <summary>Last Energy.Active.Import.Register sampled outside a transaction, mWh, or -1.</summary>
    public long LastEnergyMilliWh;
    public long LastMeterMs;

    /// <summary>Transaction running on this connector, or -1.</summary>
    public int OpenTransactionId;
    public byte Status;
    public byte ErrorCode;
    public byte InfoLength;
    public byte VendorIdLength;
    public byte VendorErrorCodeLength;
    public Utf8Buffer50 Info;
    public Utf8Buffer64 VendorId;
    public Utf8Buffer50 VendorErrorCode;

    public static ConnectorRecord CreateEmpty() => new() { OpenTransactionId = -1, LastEnergyMilliWh = -1 };
}

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// FASTER value of a charger, 344 bytes, blittable. Text limits follow OCPP 1.6 BootNotification
/// (CiString50/25/20); longer values are truncated on a UTF-8 character boundary.
/// </summary>
internal struct ChargerRecord
{
    /// <summary>Log address of the last event applied; replay skips events at or below it, so replay is idempotent.</summary>
    public long LastEventAddress;
    public long LastSeenMs;
    public long LastBootMs;
    public int BootCount;
    public int HeartbeatIntervalSeconds;

    /// <summary>Highest connector id seen; connectors 0..this are probed when listing (0 is the charger itself in 1.6).</summary>
    public int MaxConnectorId;
    public int LastCloseCode;
    public byte Protocol;
    public byte RegistrationStatus;
    public bool Online;
    public byte VendorLength;
    public byte ModelLength;
    public byte SerialNumberLength;
    public byte ChargeBoxSerialNumberLength;
    public byte FirmwareVersionLength;
    public byte IccidLength;
    public byte ImsiLength;
    public byte MeterTypeLength;
    public byte MeterSerialNumberLength;
    public Utf8Buffer50 Vendor;
    public Utf8Buffer50 Model;
    public Utf8Buffer25 SerialNumber;
    public Utf8Buffer25 ChargeBoxSerialNumber;
    public Utf8Buffer50 FirmwareVersion;
    public Utf8Buffer20 Iccid;
    public Utf8Buffer20 Imsi;
    public Utf8Buffer25 MeterType;
    public Utf8Buffer25 MeterSerialNumber;
}

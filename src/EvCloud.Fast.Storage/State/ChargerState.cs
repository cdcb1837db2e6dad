using System.Diagnostics.CodeAnalysis;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// A copy of a charger's live state. Span accessors point into this copy and do not allocate;
/// string accessors allocate and are meant for the REST side.
/// </summary>
public readonly struct ChargerState
{
    private readonly ChargerRecord _record;

    internal ChargerState(in ChargerRecord record) => _record = record;

    /// <summary>OCPP version: 16, 201 or 210; 0 before the first connect.</summary>
    public byte Protocol => _record.Protocol;

    /// <summary>Last BootNotification answer: 1 Accepted, 2 Pending, 3 Rejected; 0 if never booted.</summary>
    public byte RegistrationStatus => _record.RegistrationStatus;

    public bool Online => _record.Online;

    public long LastSeenMs => _record.LastSeenMs;

    public long LastBootMs => _record.LastBootMs;

    public int BootCount => _record.BootCount;

    public int HeartbeatIntervalSeconds => _record.HeartbeatIntervalSeconds;

    public int MaxConnectorId => _record.MaxConnectorId;

    /// <summary>WebSocket close code of the last disconnect, 0 if none.</summary>
    public int LastCloseCode => _record.LastCloseCode;

    [UnscopedRef]
    public ReadOnlySpan<byte> VendorUtf8 => ((ReadOnlySpan<byte>)_record.Vendor)[.._record.VendorLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> ModelUtf8 => ((ReadOnlySpan<byte>)_record.Model)[.._record.ModelLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> SerialNumberUtf8 => ((ReadOnlySpan<byte>)_record.SerialNumber)[.._record.SerialNumberLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> ChargeBoxSerialNumberUtf8 =>
        ((ReadOnlySpan<byte>)_record.ChargeBoxSerialNumber)[.._record.ChargeBoxSerialNumberLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> FirmwareVersionUtf8 => ((ReadOnlySpan<byte>)_record.FirmwareVersion)[.._record.FirmwareVersionLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> IccidUtf8 => ((ReadOnlySpan<byte>)_record.Iccid)[.._record.IccidLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> ImsiUtf8 => ((ReadOnlySpan<byte>)_record.Imsi)[.._record.ImsiLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> MeterTypeUtf8 => ((ReadOnlySpan<byte>)_record.MeterType)[.._record.MeterTypeLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> MeterSerialNumberUtf8 => ((ReadOnlySpan<byte>)_record.MeterSerialNumber)[.._record.MeterSerialNumberLength];

    public string? Vendor => Utf8Field.ToStringOrNull(VendorUtf8);

    public string? Model => Utf8Field.ToStringOrNull(ModelUtf8);

    public string? SerialNumber => Utf8Field.ToStringOrNull(SerialNumberUtf8);

    public string? ChargeBoxSerialNumber => Utf8Field.ToStringOrNull(ChargeBoxSerialNumberUtf8);

    public string? FirmwareVersion => Utf8Field.ToStringOrNull(FirmwareVersionUtf8);

    public string? Iccid => Utf8Field.ToStringOrNull(IccidUtf8);

    public string? Imsi => Utf8Field.ToStringOrNull(ImsiUtf8);

    public string? MeterType => Utf8Field.ToStringOrNull(MeterTypeUtf8);

    public string? MeterSerialNumber => Utf8Field.ToStringOrNull(MeterSerialNumberUtf8);

    /// <summary>The boot fields as one object (off the hot path: nine strings).</summary>
    public ChargerIdentity Identity => new(Vendor, Model, SerialNumber, ChargeBoxSerialNumber, FirmwareVersion, Iccid, Imsi, MeterType, MeterSerialNumber);
}

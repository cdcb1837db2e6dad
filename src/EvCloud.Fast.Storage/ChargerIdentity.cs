namespace EvCloud.Fast.Storage;

/// <summary>
/// What a charger says about itself in its BootNotification, whichever OCPP version sent it: the one type the OCPP
/// handler records, the <c>ChargerBooted</c> event carries, the state snapshot returns and the API shows. 1.6 sends all
/// nine (<c>chargePointVendor</c>, <c>chargePointModel</c>, <c>chargePointSerialNumber</c>, ...); 2.x has no
/// <see cref="ChargeBoxSerialNumber"/>, <see cref="MeterType"/> or <see cref="MeterSerialNumber"/>, and its
/// <c>modem</c> carries <see cref="Iccid"/> and <see cref="Imsi"/>.
/// </summary>
/// <remarks>
/// A record class, not a struct: the API's boot view extends it, so its JSON keeps the nine fields flat beside the
/// boot count. One object per boot; the handler writes the strings into the event without copying them to UTF-8
/// arrays first, so a boot allocates less than when each field was converted on its own.
/// </remarks>
/// <param name="Vendor">1.6 <c>chargePointVendor</c>, 2.x <c>vendorName</c>.</param>
/// <param name="Model">1.6 <c>chargePointModel</c>, 2.x <c>model</c>.</param>
/// <param name="SerialNumber">1.6 <c>chargePointSerialNumber</c>, 2.x <c>serialNumber</c>.</param>
/// <param name="ChargeBoxSerialNumber">1.6 <c>chargeBoxSerialNumber</c> (deprecated in 1.6 itself; absent in 2.x).</param>
/// <param name="FirmwareVersion">The firmware the charger runs.</param>
/// <param name="Iccid">The SIM card's ICCID (2.x <c>modem.iccid</c>).</param>
/// <param name="Imsi">The SIM card's IMSI (2.x <c>modem.imsi</c>).</param>
/// <param name="MeterType">1.6 <c>meterType</c> of the main meter.</param>
/// <param name="MeterSerialNumber">1.6 <c>meterSerialNumber</c> of the main meter.</param>
public record ChargerIdentity(
    string? Vendor,
    string? Model,
    string? SerialNumber,
    string? ChargeBoxSerialNumber,
    string? FirmwareVersion,
    string? Iccid,
    string? Imsi,
    string? MeterType,
    string? MeterSerialNumber)
{
    /// <summary>A charger that has never booted: every field absent.</summary>
    public static ChargerIdentity None { get; } = new(null, null, null, null, null, null, null, null, null);
}

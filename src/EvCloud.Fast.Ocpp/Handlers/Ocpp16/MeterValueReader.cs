using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp16;

/// <summary>
/// Finds the billing energy register in a 1.6 <c>meterValue</c> array without allocating. The register is
/// the sampled value with measurand <c>Energy.Active.Import.Register</c> (the default when measurand is absent),
/// no phase (the total, not a per-phase reading), location Outlet (the default) and format Raw (a SignedData
/// value is an opaque signature, kept in the raw event but not parsed). Units Wh (default) and kWh are
/// converted to mWh exactly. When several meterValue entries carry one, the one with the latest timestamp wins.
/// The array's shape is the same in 2.x; only the sampled value differs (see <see cref="Ocpp2.SampledValue2Reader"/>).
/// </summary>
internal static class MeterValueReader
{
    /// <summary>
    /// Reader on the array's StartArray; leaves it on the matching EndArray. <paramref name="sampleMs"/> becomes the
    /// timestamp of the register returned in <paramref name="energyMilliWh"/>; both are left alone when no entry has one.
    /// </summary>
    /// <param name="p">The reader.</param>
    /// <param name="sampleMs">In: the timestamp of entries without one; out: the register's timestamp.</param>
    /// <param name="energyMilliWh">Out: the billing register in mWh.</param>
    /// <param name="ocpp2">Whether sampled values are 2.x SampledValueType (numeric value, unitOfMeasure).</param>
    public static void ReadBillingRegister(ref Utf8JsonReader p, ref long sampleMs, ref long energyMilliWh, bool ocpp2 = false)
    {
        Span<byte> valueScratch = stackalloc byte[64];
        long receivedMs = sampleMs;
        long bestMs = long.MinValue;
        while (p.Read() && p.TokenType == JsonTokenType.StartObject)
        {
            long timestamp = receivedMs;
            long found = -1;
            while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
            {
                if (p.ValueTextEquals("timestamp"u8))
                {
                    p.Read();
                    JsonPayload.TryGetUnixMs(ref p, out timestamp);
                }
                else if (p.ValueTextEquals("sampledValue"u8))
                {
                    p.Read();
                    while (p.Read() && p.TokenType == JsonTokenType.StartObject)
                    {
                        long value = ocpp2 ? Ocpp2.SampledValue2Reader.ReadRegister(ref p) : ReadSampledValue(ref p, valueScratch);
                        if (value >= 0)
                        {
                            found = value;
                        }
                    }
                }
                else
                {
                    p.Read();
                    p.Skip();
                }
            }

            // NOTE: only entries with a register compete, so the time stored with the register is its own.
            if (found >= 0 && timestamp >= bestMs)
            {
                bestMs = timestamp;
                sampleMs = timestamp;
                energyMilliWh = found;
            }
        }
    }

    /// <summary>Reads one sampledValue object; returns the register in mWh, or -1 when it is not the billing register.</summary>
    private static long ReadSampledValue(ref Utf8JsonReader p, scoped Span<byte> scratch)
    {
        scoped ReadOnlySpan<byte> value = default;
        bool isRegister = true, hasPhase = false, raw = true, outlet = true;
        long multiplier = 1000; // Wh → mWh
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("value"u8)) { p.Read(); value = JsonPayload.Utf8(in p, scratch); }
            else if (p.ValueTextEquals("measurand"u8)) { p.Read(); isRegister = p.ValueTextEquals("Energy.Active.Import.Register"u8); }
            else if (p.ValueTextEquals("phase"u8)) { p.Read(); hasPhase = true; }
            else if (p.ValueTextEquals("format"u8)) { p.Read(); raw = !p.ValueTextEquals("SignedData"u8); }
            else if (p.ValueTextEquals("location"u8)) { p.Read(); outlet = p.ValueTextEquals("Outlet"u8); }
            else if (p.ValueTextEquals("unit"u8))
            {
                p.Read();
                multiplier = p.ValueTextEquals("kWh"u8) ? 1_000_000 : p.ValueTextEquals("Wh"u8) ? 1000 : 0;
            }
            else { p.Read(); p.Skip(); }
        }

        // NOTE: a reading beyond long.MaxValue mWh (9.2 TWh) is not a meter register; converting it would throw.
        if (!isRegister || hasPhase || !raw || !outlet || multiplier == 0 || !JsonPayload.TryParseDecimal(value, out decimal reading)
            || reading < 0 || reading > long.MaxValue / (decimal)multiplier)
        {
            return -1;
        }

        return (long)decimal.Round(reading * multiplier, MidpointRounding.AwayFromZero);
    }
}

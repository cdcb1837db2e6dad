using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp16;

/// <summary>
/// Finds the billing energy register in a 1.6 <c>meterValue</c> array without allocating. The register is
/// the sampled value with measurand <c>Energy.Active.Import.Register</c> (the default when measurand is absent),
/// no phase (the total, not a per-phase reading), location Outlet (the default) and format Raw (a SignedData
/// value is an opaque signature, kept in the raw event but not parsed). Units Wh (default) and kWh are
/// converted to mWh exactly by <see cref="MeterRegister"/>. When several meterValue entries carry one, the one with the
/// latest timestamp wins. A register value longer than <see cref="MaxValueBytes"/> is refused
/// (PropertyConstraintViolation) rather than read from a prefix; other sampled values may be as long as they like.
/// The array's shape is the same in 2.x; only the sampled value differs (see <see cref="Ocpp2.SampledValue2Reader"/>).
/// </summary>
internal static class MeterValueReader
{
    /// <summary>Longest register value read, in UTF-8 bytes: a decimal with 28 digits, sign, point and exponent fits twice over.</summary>
    public const int MaxValueBytes = 64;

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
        Span<byte> valueScratch = stackalloc byte[MaxValueBytes];
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
        bool isRegister = true, hasPhase = false, raw = true, outlet = true, tooLong = false;
        int unitExponent = MeterRegister.WhExponent;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("value"u8)) { p.Read(); tooLong = !JsonPayload.TryUtf8Whole(in p, scratch, out value); }
            else if (p.ValueTextEquals("measurand"u8)) { p.Read(); isRegister = p.ValueTextEquals("Energy.Active.Import.Register"u8); }
            else if (p.ValueTextEquals("phase"u8)) { p.Read(); hasPhase = true; }
            else if (p.ValueTextEquals("format"u8)) { p.Read(); raw = !p.ValueTextEquals("SignedData"u8); }
            else if (p.ValueTextEquals("location"u8)) { p.Read(); outlet = p.ValueTextEquals("Outlet"u8); }
            else if (p.ValueTextEquals("unit"u8))
            {
                p.Read();
                unitExponent = p.ValueTextEquals("kWh"u8) ? MeterRegister.KwhExponent : p.ValueTextEquals("Wh"u8) ? MeterRegister.WhExponent : -1;
            }
            else { p.Read(); p.Skip(); }
        }

        if (!isRegister || hasPhase || !raw || !outlet || unitExponent < 0)
        {
            return -1;
        }

        if (tooLong)
        {
            MeterRegister.ThrowValueTooLong(MaxValueBytes);
        }

        // A register that is not a number (1.6 carries it as a string) is kept in the raw event, not billed.
        return JsonPayload.TryParseDecimal(value, out decimal reading) ? MeterRegister.ToMilliWh(reading, unitExponent, 0) : -1;
    }
}

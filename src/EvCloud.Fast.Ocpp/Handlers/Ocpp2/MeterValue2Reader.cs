using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

/// <summary>
/// Finds the billing energy register in an OCPP 2.x <c>meterValue</c> array without allocating: the sampled
/// value with measurand <c>Energy.Active.Import.Register</c> (the default), no phase, location Outlet (the
/// default), unit Wh (default) or kWh scaled by <c>unitOfMeasure.multiplier</c> (a power of ten). Signed
/// values count too: in 2.x the plain <c>value</c> stays readable next to <c>signedMeterValue</c>. The latest
/// timestamp wins across entries.
/// </summary>
internal static class MeterValue2Reader
{
    /// <summary>Reader on the array's StartArray; leaves it on the matching EndArray.</summary>
    public static void ReadBillingRegister(ref Utf8JsonReader p, ref long sampleMs, ref long energyMilliWh)
    {
        long bestMs = long.MinValue;
        while (p.Read() && p.TokenType == JsonTokenType.StartObject)
        {
            long timestamp = sampleMs;
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
                        long value = ReadSampledValue(ref p);
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

            if (timestamp >= bestMs)
            {
                bestMs = timestamp;
                sampleMs = timestamp;
                if (found >= 0)
                {
                    energyMilliWh = found;
                }
            }
        }
    }

    private static long ReadSampledValue(ref Utf8JsonReader p)
    {
        decimal value = -1;
        bool hasValue = false, isRegister = true, hasPhase = false, outlet = true;
        decimal unitFactor = 1000; // Wh → mWh
        int multiplier = 0;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("value"u8)) { p.Read(); hasValue = p.TryGetDecimal(out value); }
            else if (p.ValueTextEquals("measurand"u8)) { p.Read(); isRegister = p.ValueTextEquals("Energy.Active.Import.Register"u8); }
            else if (p.ValueTextEquals("phase"u8)) { p.Read(); hasPhase = true; }
            else if (p.ValueTextEquals("location"u8)) { p.Read(); outlet = p.ValueTextEquals("Outlet"u8); }
            else if (p.ValueTextEquals("unitOfMeasure"u8))
            {
                p.Read();
                while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
                {
                    if (p.ValueTextEquals("unit"u8))
                    {
                        p.Read();
                        unitFactor = p.ValueTextEquals("kWh"u8) ? 1_000_000 : p.ValueTextEquals("Wh"u8) ? 1000 : 0;
                    }
                    else if (p.ValueTextEquals("multiplier"u8))
                    {
                        p.Read();
                        multiplier = p.TryGetInt32(out int m) ? Math.Clamp(m, -9, 9) : 0;
                    }
                    else
                    {
                        p.Read();
                        p.Skip();
                    }
                }
            }
            else { p.Read(); p.Skip(); }
        }

        if (!hasValue || !isRegister || hasPhase || !outlet || unitFactor == 0 || value < 0)
        {
            return -1;
        }

        decimal scaled = value * unitFactor;
        for (int i = 0; i < multiplier; i++)
        {
            scaled *= 10;
        }

        for (int i = 0; i > multiplier; i--)
        {
            scaled /= 10;
        }

        return (long)decimal.Round(scaled, MidpointRounding.AwayFromZero);
    }
}

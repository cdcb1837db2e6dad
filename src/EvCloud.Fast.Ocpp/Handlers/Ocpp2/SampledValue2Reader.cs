using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

/// <summary>
/// Reads an OCPP 2.x SampledValueType for the billing register: measurand <c>Energy.Active.Import.Register</c>
/// (the default), no phase, location Outlet (the default), unit Wh (default) or kWh scaled by
/// <c>unitOfMeasure.multiplier</c> (a power of ten). Signed values count too: in 2.x the plain <c>value</c>
/// stays readable next to <c>signedMeterValue</c>.
/// </summary>
internal static class SampledValue2Reader
{
    /// <summary>Reader on the object's StartObject; leaves it on its EndObject. The register in mWh, or -1.</summary>
    public static long ReadRegister(ref Utf8JsonReader p)
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

        // NOTE: a reading beyond long.MaxValue mWh (9.2 TWh) is not a meter register; converting it would throw.
        if (!hasValue || !isRegister || hasPhase || !outlet || unitFactor == 0 || value < 0)
        {
            return -1;
        }

        decimal scaled;
        try
        {
            scaled = value * unitFactor;
            for (int i = 0; i < multiplier; i++)
            {
                scaled *= 10;
            }

            for (int i = 0; i > multiplier; i--)
            {
                scaled /= 10;
            }
        }
        catch (OverflowException)
        {
            return -1;
        }

        if (scaled > long.MaxValue)
        {
            return -1;
        }

        return (long)decimal.Round(scaled, MidpointRounding.AwayFromZero);
    }
}

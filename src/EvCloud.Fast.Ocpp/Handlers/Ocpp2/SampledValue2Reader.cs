using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

/// <summary>
/// Reads an OCPP 2.x SampledValueType for the billing register: measurand <c>Energy.Active.Import.Register</c>
/// (the default), no phase, location Outlet (the default), unit Wh (default) or kWh scaled by
/// <c>unitOfMeasure.multiplier</c> (a power of ten, bounded by <see cref="MeterRegister"/>, which converts it). Signed
/// values count too: in 2.x the plain <c>value</c> stays readable next to <c>signedMeterValue</c>.
/// </summary>
internal static class SampledValue2Reader
{
    /// <summary>Reader on the object's StartObject; leaves it on its EndObject. The register in mWh, or -1.</summary>
    public static long ReadRegister(ref Utf8JsonReader p)
    {
        decimal value = -1;
        bool hasValue = false, isRegister = true, hasPhase = false, outlet = true, badMultiplier = false;
        int unitExponent = MeterRegister.WhExponent;
        int multiplier = 0;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("value"u8))
            {
                p.Read();
                hasValue = p.TryGetDecimal(out value); // false beyond decimal's range: no reading
            }
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
                        unitExponent = p.ValueTextEquals("kWh"u8) ? MeterRegister.KwhExponent : p.ValueTextEquals("Wh"u8) ? MeterRegister.WhExponent : -1;
                    }
                    else if (p.ValueTextEquals("multiplier"u8))
                    {
                        p.Read();

                        // NOTE: any multiplier out of range is refused, whatever the measurand: a sample scaled by 10^127
                        // is not a measurement, and the raw sample is kept in the log for every reader to interpret.
                        badMultiplier = !p.TryGetInt32(out multiplier) || !MeterRegister.IsValidMultiplier(multiplier);
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

        if (badMultiplier)
        {
            MeterRegister.ThrowMultiplierOutOfRange();
        }

        if (!isRegister || hasPhase || !outlet || unitExponent < 0)
        {
            return -1;
        }

        return hasValue ? MeterRegister.ToMilliWh(value, unitExponent, multiplier) : -1;
    }
}

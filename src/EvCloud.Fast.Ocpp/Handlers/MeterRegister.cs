using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// The one conversion from a sampled energy register (value, unit, 2.x multiplier) to the mWh every event, the
/// transaction state, the API and the CDR pipeline carry. 1.6 and 2.x readers both call it, so a reading means the
/// same energy wherever it is shown or billed.
/// </summary>
/// <remarks>
/// Bounds, where the specification gives none: <c>unitOfMeasure.multiplier</c> (2.0.1 Part 2 §2.56 UnitOfMeasureType,
/// "multiplier: integer, default 0", examples −3..3) must lie in <see cref="MinMultiplier"/>..<see cref="MaxMultiplier"/>
/// (a giga- to nano-watt-hour scale covers every meter built); outside it the message is refused with
/// PropertyConstraintViolation, never clamped to another number. Within it the conversion is exact in decimal and
/// rounds only below 1 mWh (half away from zero). A register beyond <see cref="long.MaxValue"/> mWh (9.2 TWh), like a
/// negative one or one that is not a number, is no reading: it is kept in the raw event and never billed (-1).
/// </remarks>
public static class MeterRegister
{
    /// <summary>Smallest accepted <c>unitOfMeasure.multiplier</c>.</summary>
    public const int MinMultiplier = -9;

    /// <summary>Largest accepted <c>unitOfMeasure.multiplier</c>.</summary>
    public const int MaxMultiplier = 9;

    /// <summary>Wh → mWh, as a power of ten.</summary>
    public const int WhExponent = 3;

    /// <summary>kWh → mWh, as a power of ten.</summary>
    public const int KwhExponent = 6;

    // 10^0 .. 10^15: the largest exponent is kWh (6) with multiplier 9.
    private static readonly decimal[] PowersOfTen =
    [
        1m, 10m, 100m, 1_000m, 10_000m, 100_000m, 1_000_000m, 10_000_000m, 100_000_000m, 1_000_000_000m,
        10_000_000_000m, 100_000_000_000m, 1_000_000_000_000m, 10_000_000_000_000m, 100_000_000_000_000m, 1_000_000_000_000_000m,
    ];

    /// <summary>Whether <paramref name="multiplier"/> is within the accepted range.</summary>
    public static bool IsValidMultiplier(int multiplier) => multiplier is >= MinMultiplier and <= MaxMultiplier;

    /// <summary>
    /// The register in mWh: <paramref name="reading"/> × 10^(<paramref name="unitExponent"/> + <paramref name="multiplier"/>),
    /// rounded to the mWh; -1 for a negative reading or one beyond <see cref="long.MaxValue"/> mWh. Throws
    /// <see cref="OcppPayloadException"/> (PropertyConstraintViolation) for a multiplier outside the range.
    /// </summary>
    /// <param name="reading">The sampled value.</param>
    /// <param name="unitExponent"><see cref="WhExponent"/> or <see cref="KwhExponent"/>.</param>
    /// <param name="multiplier">The 2.x power-of-ten multiplier; 0 for 1.6.</param>
    public static long ToMilliWh(decimal reading, int unitExponent, int multiplier)
    {
        if (!IsValidMultiplier(multiplier))
        {
            ThrowMultiplierOutOfRange();
        }

        if (reading < 0)
        {
            return -1;
        }

        int exponent = unitExponent + multiplier;
        decimal scaled;
        if (exponent >= 0)
        {
            decimal factor = PowersOfTen[exponent];
            if (reading > long.MaxValue / factor)
            {
                return -1;
            }

            scaled = reading * factor;
        }
        else
        {
            scaled = reading / PowersOfTen[-exponent];
        }

        decimal rounded = decimal.Round(scaled, MidpointRounding.AwayFromZero);
        return rounded > long.MaxValue ? -1 : (long)rounded;
    }

    /// <summary>Refuses a <c>unitOfMeasure.multiplier</c> outside <see cref="MinMultiplier"/>..<see cref="MaxMultiplier"/>.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowMultiplierOutOfRange() => throw new OcppPayloadException(
        OcppErrorCode.PropertyConstraintViolation,
        "unitOfMeasure.multiplier must be between -9 and 9");

    /// <summary>Refuses a register value too long to be read as a number (a truncated prefix would be another number).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowValueTooLong(int maxBytes) => throw new OcppPayloadException(
        OcppErrorCode.PropertyConstraintViolation,
        $"energy register value longer than {maxBytes} bytes is not a meter reading");
}

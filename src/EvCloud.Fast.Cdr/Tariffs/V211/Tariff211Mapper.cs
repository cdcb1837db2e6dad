using System.Globalization;

namespace EvCloud.Fast.Cdr.Tariffs.V211;

/// <summary>
/// Maps an OCPI 2.1.1 tariff to the 2.2.1 model so one pricer serves partners on both versions.
/// </summary>
/// <remarks>
/// What 2.1.1 lacks stays absent: <c>vat</c> (so incl. VAT equals excl. VAT, "no VAT applicable"), <c>min_price</c>,
/// <c>max_price</c>, <c>type</c>, the validity window, current and reservation restrictions. The owner fields that 2.2.1
/// requires come from the partner the tariff was received from (2.1.1 credentials carry them).
/// Restriction semantics are the same in both versions (mod_tariffs TariffRestrictions), except that a 2.1.1 time of
/// "24:00" is mapped to 2.2.1's "00:00" (end of day).
/// </remarks>
public static class Tariff211Mapper
{
    /// <summary>Maps <paramref name="tariff"/> to OCPI 2.2.1, owned by <paramref name="countryCode"/>/<paramref name="partyId"/>.</summary>
    /// <exception cref="FormatException">A time of day is not "HH:mm".</exception>
    public static Tariff ToV221(Tariff211 tariff, string countryCode, string partyId)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        var elements = new TariffElement[tariff.Elements.Count];
        for (var i = 0; i < elements.Length; i++)
        {
            var source = tariff.Elements[i];
            var components = new PriceComponent[source.PriceComponents.Count];
            for (var c = 0; c < components.Length; c++)
            {
                var pc = source.PriceComponents[c];
                components[c] = new PriceComponent { Type = pc.Type, Price = pc.Price, StepSize = pc.StepSize };
            }
            elements[i] = new TariffElement { PriceComponents = components, Restrictions = Map(source.Restrictions) };
        }

        return new Tariff
        {
            CountryCode = countryCode,
            PartyId = partyId,
            Id = tariff.Id,
            Currency = tariff.Currency,
            TariffAltText = tariff.TariffAltText,
            TariffAltUrl = tariff.TariffAltUrl,
            Elements = elements,
            EnergyMix = tariff.EnergyMix,
            LastUpdated = tariff.LastUpdated,
        };
    }

    private static TariffRestrictions? Map(TariffRestrictions211? r) => r is null ? null : new TariffRestrictions
    {
        StartTime = ParseTime(r.StartTime),
        EndTime = ParseTime(r.EndTime),
        StartDate = r.StartDate,
        EndDate = r.EndDate,
        MinKwh = r.MinKwh,
        MaxKwh = r.MaxKwh,
        MinPower = r.MinPower,
        MaxPower = r.MaxPower,
        MinDuration = r.MinDuration,
        MaxDuration = r.MaxDuration,
        DayOfWeek = r.DayOfWeek,
    };

    private static TimeOnly? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (text == "24:00")
        {
            return TimeOnly.MinValue;
        }
        return TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
    }
}

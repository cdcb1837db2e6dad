using System.Globalization;

namespace EvCloud.Fast.Tariffs.V211;

/// <summary>
/// Maps an OCPI 2.1.1 tariff to the 2.2.1 model so one pricer serves partners on both versions, and back for 2.1.1 partners.
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

    /// <summary>
    /// <paramref name="tariff"/> in its 2.1.1 form, for 2.1.1 partners: prices excl. VAT (2.1.1 mod_tariffs §4.2);
    /// <c>type</c>, min/max price, the validity window and VAT dropped; an element restricted to reservations or by
    /// current is left out (without its restriction it would claim every charge). Null when no element is left.
    /// </summary>
    public static Tariff211? ToV211(Tariff tariff)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        var elements = new List<TariffElement211>(tariff.Elements.Count);
        foreach (TariffElement element in tariff.Elements)
        {
            TariffRestrictions? r = element.Restrictions;
            if (r is not null && (r.Reservation is not null || r.MinCurrent is not null || r.MaxCurrent is not null))
            {
                continue;
            }

            elements.Add(new TariffElement211
            {
                PriceComponents = [.. element.PriceComponents.Select(c => new PriceComponent211(c.Type, c.Price, c.StepSize))],
                Restrictions = r is null ? null : new TariffRestrictions211
                {
                    StartTime = FormatTime(r.StartTime),
                    EndTime = FormatTime(r.EndTime),
                    StartDate = r.StartDate,
                    EndDate = r.EndDate,
                    MinKwh = r.MinKwh,
                    MaxKwh = r.MaxKwh,
                    MinPower = r.MinPower,
                    MaxPower = r.MaxPower,
                    MinDuration = r.MinDuration,
                    MaxDuration = r.MaxDuration,
                    DayOfWeek = r.DayOfWeek is { Count: > 0 } days ? days : null,
                },
            });
        }

        return elements.Count == 0 ? null : new Tariff211
        {
            Id = tariff.Id,
            Currency = tariff.Currency,
            TariffAltText = tariff.TariffAltText is { Count: > 0 } text ? text : null,
            TariffAltUrl = tariff.TariffAltUrl,
            Elements = elements,
            EnergyMix = tariff.EnergyMix,
            LastUpdated = tariff.LastUpdated,
        };
    }

    // mod_tariffs §4.5 (2.1.1 errata): ([0-1][0-9]|2[0-3]):[0-5][0-9]; midnight is "00:00" as in 2.2.1.
    private static string? FormatTime(TimeOnly? time) => time?.ToString("HH:mm", CultureInfo.InvariantCulture);

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

using System.Text.Json.Serialization;

namespace EvCloud.Fast.Tariffs;

/// <summary>OCPI 2.2.1 mod_tariffs TariffDimensionType: what a <see cref="PriceComponent"/> prices.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TariffDimensionType>))]
public enum TariffDimensionType
{
    /// <summary>Energy in kWh; <c>step_size</c> multiplier 1 Wh.</summary>
    [JsonStringEnumMemberName("ENERGY")] Energy,
    /// <summary>A fee without unit, charged once per session.</summary>
    [JsonStringEnumMemberName("FLAT")] Flat,
    /// <summary>Time not charging, in hours; <c>step_size</c> multiplier 1 second.</summary>
    [JsonStringEnumMemberName("PARKING_TIME")] ParkingTime,
    /// <summary>Time charging (or reserved, under a reservation restriction), in hours; <c>step_size</c> multiplier 1 second.</summary>
    [JsonStringEnumMemberName("TIME")] Time,
}

/// <summary>OCPI 2.2.1 mod_tariffs DayOfWeek. Named apart from <see cref="System.DayOfWeek"/>, which numbers Sunday 0.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OcpiDayOfWeek>))]
public enum OcpiDayOfWeek
{
    /// <summary>Monday.</summary>
    [JsonStringEnumMemberName("MONDAY")] Monday,
    /// <summary>Tuesday.</summary>
    [JsonStringEnumMemberName("TUESDAY")] Tuesday,
    /// <summary>Wednesday.</summary>
    [JsonStringEnumMemberName("WEDNESDAY")] Wednesday,
    /// <summary>Thursday.</summary>
    [JsonStringEnumMemberName("THURSDAY")] Thursday,
    /// <summary>Friday.</summary>
    [JsonStringEnumMemberName("FRIDAY")] Friday,
    /// <summary>Saturday.</summary>
    [JsonStringEnumMemberName("SATURDAY")] Saturday,
    /// <summary>Sunday.</summary>
    [JsonStringEnumMemberName("SUNDAY")] Sunday,
}

/// <summary>OCPI 2.2.1 mod_tariffs ReservationRestrictionType.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReservationRestrictionType>))]
public enum ReservationRestrictionType
{
    /// <summary>The element prices a reservation (reserved time and a reservation fee).</summary>
    [JsonStringEnumMemberName("RESERVATION")] Reservation,
    /// <summary>The element prices a reservation that expired without a charging session.</summary>
    [JsonStringEnumMemberName("RESERVATION_EXPIRES")] ReservationExpires,
}

/// <summary>OCPI 2.2.1 mod_tariffs TariffType: which sessions a tariff is meant for (chosen before pricing).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TariffType>))]
public enum TariffType
{
    /// <summary>Ad-hoc payment at the Charge Point (card terminal).</summary>
    [JsonStringEnumMemberName("AD_HOC_PAYMENT")] AdHocPayment,
    /// <summary>Charging preference CHEAP.</summary>
    [JsonStringEnumMemberName("PROFILE_CHEAP")] ProfileCheap,
    /// <summary>Charging preference FAST.</summary>
    [JsonStringEnumMemberName("PROFILE_FAST")] ProfileFast,
    /// <summary>Charging preference GREEN.</summary>
    [JsonStringEnumMemberName("PROFILE_GREEN")] ProfileGreen,
    /// <summary>RFID without preference, or preference REGULAR.</summary>
    [JsonStringEnumMemberName("REGULAR")] Regular,
}

/// <summary>OCPI 2.2.1 mod_cdrs CdrDimensionType. 2.2.1 has no FLAT dimension (2.1.1 had one): flat fees are not volumes of a period.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CdrDimensionType>))]
public enum CdrDimensionType
{
    /// <summary>Average current (A); Sessions only.</summary>
    [JsonStringEnumMemberName("CURRENT")] Current,
    /// <summary>Energy in the period, kWh.</summary>
    [JsonStringEnumMemberName("ENERGY")] Energy,
    /// <summary>Energy fed back, kWh; Sessions only.</summary>
    [JsonStringEnumMemberName("ENERGY_EXPORT")] EnergyExport,
    /// <summary>Energy charged, kWh; Sessions only.</summary>
    [JsonStringEnumMemberName("ENERGY_IMPORT")] EnergyImport,
    /// <summary>Highest current (sum over phases) in the period, A.</summary>
    [JsonStringEnumMemberName("MAX_CURRENT")] MaxCurrent,
    /// <summary>Lowest current (sum over phases) in the period, A.</summary>
    [JsonStringEnumMemberName("MIN_CURRENT")] MinCurrent,
    /// <summary>Highest power in the period, kW.</summary>
    [JsonStringEnumMemberName("MAX_POWER")] MaxPower,
    /// <summary>Lowest power in the period, kW.</summary>
    [JsonStringEnumMemberName("MIN_POWER")] MinPower,
    /// <summary>Time in the period the vehicle was not requesting power, hours.</summary>
    [JsonStringEnumMemberName("PARKING_TIME")] ParkingTime,
    /// <summary>Average power, kW; Sessions only.</summary>
    [JsonStringEnumMemberName("POWER")] Power,
    /// <summary>Time reserved and not yet in use, hours.</summary>
    [JsonStringEnumMemberName("RESERVATION_TIME")] ReservationTime,
    /// <summary>State of charge, %; Sessions only.</summary>
    [JsonStringEnumMemberName("STATE_OF_CHARGE")] StateOfCharge,
    /// <summary>Time charging in the period, hours.</summary>
    [JsonStringEnumMemberName("TIME")] Time,
}

/// <summary>OCPI 2.2.1 mod_locations EnergySourceCategory.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnergySourceCategory>))]
public enum EnergySourceCategory
{
    /// <summary>Nuclear power sources.</summary>
    [JsonStringEnumMemberName("NUCLEAR")] Nuclear,
    /// <summary>All kinds of fossil power sources.</summary>
    [JsonStringEnumMemberName("GENERAL_FOSSIL")] GeneralFossil,
    /// <summary>Fossil power from coal.</summary>
    [JsonStringEnumMemberName("COAL")] Coal,
    /// <summary>Fossil power from gas.</summary>
    [JsonStringEnumMemberName("GAS")] Gas,
    /// <summary>All kinds of regenerative power sources.</summary>
    [JsonStringEnumMemberName("GENERAL_GREEN")] GeneralGreen,
    /// <summary>Solar power.</summary>
    [JsonStringEnumMemberName("SOLAR")] Solar,
    /// <summary>Wind power.</summary>
    [JsonStringEnumMemberName("WIND")] Wind,
    /// <summary>Water power.</summary>
    [JsonStringEnumMemberName("WATER")] Water,
}

/// <summary>OCPI 2.2.1 mod_locations EnvironmentalImpactCategory.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnvironmentalImpactCategory>))]
public enum EnvironmentalImpactCategory
{
    /// <summary>Nuclear waste, g/kWh.</summary>
    [JsonStringEnumMemberName("NUCLEAR_WASTE")] NuclearWaste,
    /// <summary>Carbon dioxide, g/kWh.</summary>
    [JsonStringEnumMemberName("CARBON_DIOXIDE")] CarbonDioxide,
}

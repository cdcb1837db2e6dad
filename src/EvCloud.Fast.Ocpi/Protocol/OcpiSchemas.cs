namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// The property tables of the objects our receivers accept, copied row by row from the spec's object descriptions
/// (OCPI 2.2.1 mod_sessions §9.3, mod_cdrs §10.3–10.4, mod_tariffs §11.3–11.4, mod_tokens §12.3–12.4, mod_commands
/// §13.3, mod_locations §8.3–8.4, types §16; OCPI 2.1.1 the same modules' "Object description" and "Data types").
/// </summary>
public static class OcpiSchemas
{
    private const string ConnectorTypes =
        "CHADEMO CHAOJI DOMESTIC_A DOMESTIC_B DOMESTIC_C DOMESTIC_D DOMESTIC_E DOMESTIC_F DOMESTIC_G DOMESTIC_H DOMESTIC_I DOMESTIC_J " +
        "DOMESTIC_K DOMESTIC_L DOMESTIC_M DOMESTIC_N DOMESTIC_O DOMESTIC_P DOMESTIC_Q DOMESTIC_R DOMESTIC_S DOMESTIC_T DOMESTIC_U " +
        "GBT_AC GBT_DC IEC_60309_2_single_16 IEC_60309_2_three_16 IEC_60309_2_three_32 IEC_60309_2_three_64 IEC_62196_T1 " +
        "IEC_62196_T1_COMBO IEC_62196_T2 IEC_62196_T2_COMBO IEC_62196_T3A IEC_62196_T3C NEMA_5_20 NEMA_6_30 NEMA_6_50 NEMA_10_30 " +
        "NEMA_10_50 NEMA_14_30 NEMA_14_50 PANTOGRAPH_BOTTOM_UP PANTOGRAPH_TOP_DOWN TESLA_R TESLA_S";

    private const string DaysOfWeek = "MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY";

    private const string EvseStatuses = "AVAILABLE BLOCKED CHARGING INOPERATIVE OUTOFORDER PLANNED REMOVED RESERVED UNKNOWN";

    private const string WhitelistTypes = "ALWAYS ALLOWED ALLOWED_OFFLINE NEVER";

    /// <summary>OCPI 2.2.1.</summary>
    public static OcpiSchema V221 { get; } = OcpiSchema.Build(
        new Dictionary<string, string>
        {
            ["AuthMethod"] = "AUTH_REQUEST COMMAND WHITELIST",
            ["SessionStatus"] = "ACTIVE COMPLETED INVALID PENDING RESERVATION",
            ["TokenType"] = "AD_HOC_USER APP_USER OTHER RFID",
            ["WhitelistType"] = WhitelistTypes,
            ["ProfileType"] = "CHEAP FAST GREEN REGULAR",
            ["CdrDimensionType"] = "CURRENT ENERGY ENERGY_EXPORT ENERGY_IMPORT MAX_CURRENT MIN_CURRENT MAX_POWER MIN_POWER PARKING_TIME POWER RESERVATION_TIME STATE_OF_CHARGE TIME",
            ["TariffDimensionType"] = "ENERGY FLAT PARKING_TIME TIME",
            ["TariffType"] = "AD_HOC_PAYMENT PROFILE_CHEAP PROFILE_FAST PROFILE_GREEN REGULAR",
            ["DayOfWeek"] = DaysOfWeek,
            ["ReservationRestrictionType"] = "RESERVATION RESERVATION_EXPIRES",
            ["ConnectorType"] = ConnectorTypes,
            ["ConnectorFormat"] = "SOCKET CABLE",
            ["PowerType"] = "AC_1_PHASE AC_2_PHASE AC_2_PHASE_SPLIT AC_3_PHASE DC",
            ["ParkingType"] = "ALONG_MOTORWAY PARKING_GARAGE PARKING_LOT ON_DRIVEWAY ON_STREET UNDERGROUND_GARAGE",
            ["Status"] = EvseStatuses,
            ["CommandResultType"] = "ACCEPTED CANCELED_RESERVATION EVSE_OCCUPIED EVSE_INOPERATIVE FAILED NOT_SUPPORTED REJECTED TIMEOUT UNKNOWN_RESERVATION",
        },
        new Dictionary<string, string[]>
        {
            ["Session"] =
            [
                "country_code CiString(2) 1", "party_id CiString(3) 1", "id CiString(36) 1", "start_date_time DateTime 1", "end_date_time DateTime ?",
                "kwh number 1", "cdr_token CdrToken 1", "auth_method AuthMethod 1", "authorization_reference CiString(36) ?", "location_id CiString(36) 1",
                "evse_uid CiString(36) 1", "connector_id CiString(36) 1", "meter_id string(255) ?", "currency string(3) 1", "charging_periods ChargingPeriod *",
                "total_cost Price ?", "status SessionStatus 1", "last_updated DateTime 1",
            ],
            ["Cdr"] =
            [
                "country_code CiString(2) 1", "party_id CiString(3) 1", "id CiString(39) 1", "start_date_time DateTime 1", "end_date_time DateTime 1",
                "session_id CiString(36) ?", "cdr_token CdrToken 1", "auth_method AuthMethod 1", "authorization_reference CiString(36) ?",
                "cdr_location CdrLocation 1", "meter_id string(255) ?", "currency string(3) 1", "tariffs Tariff *", "charging_periods ChargingPeriod +",
                "signed_data SignedData ?", "total_cost Price 1", "total_fixed_cost Price ?", "total_energy number 1", "total_energy_cost Price ?",
                "total_time number 1", "total_time_cost Price ?", "total_parking_time number ?", "total_parking_cost Price ?", "total_reservation_cost Price ?",
                "remark string(255) ?", "invoice_reference_id CiString(39) ?", "credit boolean ?", "credit_reference_id CiString(39) ?",
                "home_charging_compensation boolean ?", "last_updated DateTime 1",
            ],
            ["CdrToken"] = ["country_code CiString(2) 1", "party_id CiString(3) 1", "uid CiString(36) 1", "type TokenType 1", "contract_id CiString(36) 1"],
            ["CdrLocation"] =
            [
                "id CiString(36) 1", "name string(255) ?", "address string(45) 1", "city string(45) 1", "postal_code string(10) ?", "state string(20) ?",
                "country string(3) 1", "coordinates GeoLocation 1", "evse_uid CiString(36) 1", "evse_id CiString(48) 1", "connector_id CiString(36) 1",
                "connector_standard ConnectorType 1", "connector_format ConnectorFormat 1", "connector_power_type PowerType 1",
            ],
            ["GeoLocation"] = ["latitude string(10) 1", "longitude string(11) 1"],
            ["ChargingPeriod"] = ["start_date_time DateTime 1", "dimensions CdrDimension +", "tariff_id CiString(36) ?"],
            ["CdrDimension"] = ["type CdrDimensionType 1", "volume number 1"],
            ["SignedData"] =
            [
                "encoding_method CiString(36) 1", "encoding_method_version int ?", "public_key string(512) ?", "signed_values SignedValue +", "url string(512) ?",
            ],
            ["SignedValue"] = ["nature CiString(32) 1", "plain_data string(512) 1", "signed_data string(5000) 1"],
            ["Price"] = ["excl_vat number 1", "incl_vat number ?"],
            ["DisplayText"] = ["language string(2) 1", "text string(512) 1"],
            ["Tariff"] =
            [
                "country_code CiString(2) 1", "party_id CiString(3) 1", "id CiString(36) 1", "currency string(3) 1", "type TariffType ?",
                "tariff_alt_text DisplayText *", "tariff_alt_url URL ?", "min_price Price ?", "max_price Price ?", "elements TariffElement +",
                "start_date_time DateTime ?", "end_date_time DateTime ?", "energy_mix any ?", "last_updated DateTime 1",
            ],
            ["TariffElement"] = ["price_components PriceComponent +", "restrictions TariffRestrictions ?"],
            ["PriceComponent"] = ["type TariffDimensionType 1", "price number 1", "vat number ?", "step_size int 1"],
            ["TariffRestrictions"] =
            [
                "start_time string(5) ?", "end_time string(5) ?", "start_date string(10) ?", "end_date string(10) ?", "min_kwh number ?", "max_kwh number ?",
                "min_current number ?", "max_current number ?", "min_power number ?", "max_power number ?", "min_duration int ?", "max_duration int ?",
                "day_of_week DayOfWeek *", "reservation ReservationRestrictionType ?",
            ],
            ["Token"] =
            [
                "country_code CiString(2) 1", "party_id CiString(3) 1", "uid CiString(36) 1", "type TokenType 1", "contract_id CiString(36) 1",
                "visual_number string(64) ?", "issuer string(64) 1", "group_id CiString(36) ?", "valid boolean 1", "whitelist WhitelistType 1",
                "language string(2) ?", "default_profile_type ProfileType ?", "energy_contract EnergyContract ?", "last_updated DateTime 1",
            ],
            ["EnergyContract"] = ["supplier_name string(64) 1", "contract_id string(64) ?"],
            ["Location"] =
            [
                "country_code CiString(2) 1", "party_id CiString(3) 1", "id CiString(36) 1", "publish boolean 1", "publish_allowed_to any *",
                "name string(255) ?", "address string(45) 1", "city string(45) 1", "postal_code string(10) ?", "state string(20) ?", "country string(3) 1",
                "coordinates GeoLocation 1", "related_locations any *", "parking_type ParkingType ?", "evses EVSE *", "directions DisplayText *",
                "operator BusinessDetails ?", "suboperator BusinessDetails ?", "owner BusinessDetails ?", "facilities any *", "time_zone string(255) 1",
                "opening_times any ?", "charging_when_closed boolean ?", "images any *", "energy_mix any ?", "last_updated DateTime 1",
            ],
            ["EVSE"] =
            [
                "uid CiString(36) 1", "evse_id CiString(48) ?", "status Status 1", "status_schedule any *", "capabilities any *", "connectors Connector +",
                "floor_level string(4) ?", "coordinates GeoLocation ?", "physical_reference string(16) ?", "directions DisplayText *",
                "parking_restrictions any *", "images any *", "last_updated DateTime 1",
            ],
            ["Connector"] =
            [
                "id CiString(36) 1", "standard ConnectorType 1", "format ConnectorFormat 1", "power_type PowerType 1", "max_voltage int 1",
                "max_amperage int 1", "max_electric_power int ?", "tariff_ids CiString(36) *", "terms_and_conditions URL ?", "last_updated DateTime 1",
            ],
            ["BusinessDetails"] = ["name string(100) 1", "website URL ?", "logo any ?"],
            ["CommandResult"] = ["result CommandResultType 1", "message DisplayText *"],
        });

    /// <summary>OCPI 2.1.1.</summary>
    public static OcpiSchema V211 { get; } = OcpiSchema.Build(
        new Dictionary<string, string>
        {
            ["AuthMethod"] = "AUTH_REQUEST WHITELIST",
            ["SessionStatus"] = "ACTIVE COMPLETED INVALID PENDING",
            ["TokenType"] = "OTHER RFID",
            ["WhitelistType"] = WhitelistTypes,
            ["CdrDimensionType"] = "ENERGY FLAT MAX_CURRENT MIN_CURRENT PARKING_TIME TIME",
            ["TariffDimensionType"] = "ENERGY FLAT PARKING_TIME TIME",
            ["DayOfWeek"] = DaysOfWeek,
            ["LocationType"] = "ON_STREET PARKING_GARAGE UNDERGROUND_GARAGE PARKING_LOT OTHER UNKNOWN",
            ["Status"] = EvseStatuses,
            ["ConnectorType"] = ConnectorTypes,
            ["ConnectorFormat"] = "SOCKET CABLE",
            ["PowerType"] = "AC_1_PHASE AC_3_PHASE DC",
            ["CommandResponseType"] = "NOT_SUPPORTED REJECTED ACCEPTED TIMEOUT UNKNOWN_SESSION",
        },
        new Dictionary<string, string[]>
        {
            ["Session"] =
            [
                "id string(36) 1", "start_datetime DateTime 1", "end_datetime DateTime ?", "kwh number 1", "auth_id string(36) 1", "auth_method AuthMethod 1",
                "location Location 1", "meter_id string(255) ?", "currency string(3) 1", "charging_periods ChargingPeriod *", "total_cost number ?",
                "status SessionStatus 1", "last_updated DateTime 1",
            ],
            ["Cdr"] =
            [
                "id CiString(36) 1", "start_date_time DateTime 1", "stop_date_time DateTime 1", "auth_id string(36) 1", "auth_method AuthMethod 1",
                "location Location 1", "meter_id string(255) ?", "currency string(3) 1", "tariffs Tariff *", "charging_periods ChargingPeriod +",
                "total_cost number 1", "total_energy number 1", "total_time number 1", "total_parking_time number ?", "remark string(255) ?",
                "last_updated DateTime 1",
            ],
            ["ChargingPeriod"] = ["start_date_time DateTime 1", "dimensions CdrDimension +"],
            ["CdrDimension"] = ["type CdrDimensionType 1", "volume number 1"],
            ["Location"] =
            [
                "id string(39) 1", "type LocationType 1", "name string(255) ?", "address string(45) 1", "city string(45) 1", "postal_code string(10) 1",
                "country string(3) 1", "coordinates GeoLocation 1", "related_locations any *", "evses EVSE *", "directions DisplayText *",
                "operator BusinessDetails ?", "suboperator BusinessDetails ?", "owner BusinessDetails ?", "facilities any *", "time_zone string(255) ?",
                "opening_times any ?", "charging_when_closed boolean ?", "images any *", "energy_mix any ?", "last_updated DateTime 1",
            ],
            ["EVSE"] =
            [
                "uid string(39) 1", "evse_id string(48) ?", "status Status 1", "status_schedule any *", "capabilities any *", "connectors Connector +",
                "floor_level string(4) ?", "coordinates GeoLocation ?", "physical_reference string(16) ?", "directions DisplayText *",
                "parking_restrictions any *", "images any *", "last_updated DateTime 1",
            ],
            ["Connector"] =
            [
                "id string(36) 1", "standard ConnectorType 1", "format ConnectorFormat 1", "power_type PowerType 1", "voltage int 1", "amperage int 1",
                "tariff_id string(36) ?", "terms_and_conditions URL ?", "last_updated DateTime 1",
            ],
            ["GeoLocation"] = ["latitude string(10) 1", "longitude string(11) 1"],
            ["BusinessDetails"] = ["name string(100) 1", "website URL ?", "logo any ?"],
            ["DisplayText"] = ["language string(2) 1", "text string(512) 1"],
            ["Tariff"] =
            [
                "id string(36) 1", "currency string(3) 1", "tariff_alt_text DisplayText *", "tariff_alt_url URL ?", "elements TariffElement +",
                "energy_mix any ?", "last_updated DateTime 1",
            ],
            ["TariffElement"] = ["price_components PriceComponent +", "restrictions TariffRestrictions ?"],
            ["PriceComponent"] = ["type TariffDimensionType 1", "price number 1", "step_size int 1"],
            ["TariffRestrictions"] =
            [
                "start_time string(5) ?", "end_time string(5) ?", "start_date string(10) ?", "end_date string(10) ?", "min_kwh number ?", "max_kwh number ?",
                "min_power number ?", "max_power number ?", "min_duration int ?", "max_duration int ?", "day_of_week DayOfWeek *",
            ],
            ["Token"] =
            [
                "uid string(36) 1", "type TokenType 1", "auth_id string(36) 1", "visual_number string(64) ?", "issuer string(64) 1", "valid boolean 1",
                "whitelist WhitelistType 1", "language string(2) ?", "last_updated DateTime 1",
            ],
            ["CommandResponse"] = ["result CommandResponseType 1", "message DisplayText *"],
        },
        numericStrings: true);

    /// <summary>The tables of <paramref name="version"/>.</summary>
    public static OcpiSchema For(OcpiVersionNumber version) => version == OcpiVersionNumber.V211 ? V211 : V221;
}

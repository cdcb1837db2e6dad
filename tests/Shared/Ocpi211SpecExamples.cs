namespace EvCloud.Fast.Tests.Shared;

/// <summary>
/// The JSON examples of OCPI 2.1.1 (release-2.1.1-bugfixes, whose errata fix the examples' typos: "evse_id" not "id",
/// upper-case enum values, a last_updated on every connector), used as what a 2.1.1 CPO sends.
/// </summary>
internal static class Ocpi211SpecExamples
{
    /// <summary>mod_locations §3.1 Example.</summary>
    public const string Location = """
        {
        	"id": "LOC1",
        	"type": "ON_STREET",
        	"name": "Gent Zuid",
        	"address": "F.Rooseveltlaan 3A",
        	"city": "Gent",
        	"postal_code": "9000",
        	"country": "BEL",
        	"coordinates": {
        		"latitude": "51.047599",
        		"longitude": "3.729944"
        	},
        	"evses": [{
        		"uid": "3256",
        		"evse_id": "BE-BEC-E041503001",
        		"status": "AVAILABLE",
        		"status_schedule": [],
        		"capabilities": [
        			"RESERVABLE"
        		],
        		"connectors": [{
        			"id": "1",
        			"standard": "IEC_62196_T2",
        			"format": "CABLE",
        			"power_type": "AC_3_PHASE",
        			"voltage": 220,
        			"amperage": 16,
        			"tariff_id": "11",
        			"last_updated": "2015-03-16T10:10:02Z"
        		}, {
        			"id": "2",
        			"standard": "IEC_62196_T2",
        			"format": "SOCKET",
        			"power_type": "AC_3_PHASE",
        			"voltage": 220,
        			"amperage": 16,
        			"tariff_id": "11",
        			"last_updated": "2015-03-18T08:12:01Z"
        		}],
        		"physical_reference": "1",
        		"floor_level": "-1",
        		"last_updated": "2015-06-28T08:12:01Z"
        	}, {
        		"uid": "3257",
        		"evse_id": "BE-BEC-E041503002",
        		"status": "RESERVED",
        		"capabilities": [
        			"RESERVABLE"
        		],
        		"connectors": [{
        			"id": "1",
        			"standard": "IEC_62196_T2",
        			"format": "SOCKET",
        			"power_type": "AC_3_PHASE",
        			"voltage": 220,
        			"amperage": 16,
        			"tariff_id": "12",
        			"last_updated": "2015-06-29T20:39:09Z"
        		}],
        		"physical_reference": "2",
        		"floor_level": "-2",
        		"last_updated": "2015-06-29T20:39:09Z"
        	}],
        	"operator": {
        		"name": "BeCharged"
        	},
        	"last_updated": "2015-06-29T20:39:09Z"
        }
        """;

    /// <summary>mod_sessions §3.1 "Simple Session example of a just starting session".</summary>
    public const string Session = """
        {
        	"id": "101",
        	"start_datetime": "2015-06-29T22:39:09Z",
        	"kwh": 0.00,
        	"auth_id": "DE8ACC12E46L89",
        	"auth_method": "WHITELIST",
        	"location": {
        		"id": "LOC1",
        		"type": "ON_STREET",
        		"name": "Gent Zuid",
        		"address": "F.Rooseveltlaan 3A",
        		"city": "Gent",
        		"postal_code": "9000",
        		"country": "BE",
        		"coordinates": {
        			"latitude": "3.729944",
        			"longitude": "51.047599"
        		},
        		"evses": [{
        			"uid": "3256",
        			"evse_id": "BE-BEC-E041503003",
        			"status": "AVAILABLE",
        			"connectors": [{
        				"id": "1",
        				"standard": "IEC_62196_T2",
        				"format": "SOCKET",
        				"power_type": "AC_1_PHASE",
        				"voltage": 230,
        				"amperage": 64,
        				"tariff_id": "11",
        				"last_updated": "2015-06-29T22:39:09Z"
        			}],
        			"last_updated": "2015-06-29T22:39:09Z"
        		}],
        		"last_updated": "2015-06-29T22:39:09Z"
        	},
        	"currency": "EUR",
        	"total_cost": 2.50,
        	"status": "PENDING",
        	"last_updated": "2015-06-29T22:39:09Z"
        }
        """;

    /// <summary>mod_sessions §2.2.3 "Example: update the total cost" (a PATCH without last_updated).</summary>
    public const string SessionPatch = """
        {
          	"total_cost": 0.60
        }
        """;

    /// <summary>mod_cdrs §3.1 "Example of a CDR".</summary>
    public const string Cdr = """
        {
        	"id": "12345",
        	"start_date_time": "2015-06-29T21:39:09Z",
        	"stop_date_time": "2015-06-29T23:37:32Z",
        	"auth_id": "DE8ACC12E46L89",
        	"auth_method": "WHITELIST",
        	"location": {
        		"id": "LOC1",
        		"type": "ON_STREET",
        		"name": "Gent Zuid",
        		"address": "F.Rooseveltlaan 3A",
        		"city": "Gent",
        		"postal_code": "9000",
        		"country": "BE",
        		"coordinates": {
        			"latitude": "3.729944",
        			"longitude": "51.047599"
        		},
        		"evses": [{
        			"uid": "3256",
        			"evse_id": "BE-BEC-E041503003",
        			"status": "AVAILABLE",
        			"connectors": [{
        				"id": "1",
        				"standard": "IEC_62196_T2",
        				"format": "SOCKET",
        				"power_type": "AC_1_PHASE",
        				"voltage": 230,
        				"amperage": 64,
        				"tariff_id": "11",
        				"last_updated": "2015-06-29T21:39:01Z"
        			}],
        			"last_updated": "2015-06-29T21:39:01Z"
        		}],
        		"last_updated": "2015-06-29T21:39:01Z"
        	},
        	"currency": "EUR",
        	"tariffs": [{
        		"id": "12",
        		"currency": "EUR",
        		"elements": [{
        			"price_components": [{
        				"type": "TIME",
        				"price": "2.00",
        				"step_size": 300
        			}]
        		}],
        		"last_updated": "2015-02-02T14:15:01Z"
        	}],
        	"charging_periods": [{
        		"start_date_time": "2015-06-29T21:39:09Z",
        		"dimensions": [{
        			"type": "TIME",
        			"volume": 1.973
        		}]
        	}],
        	"total_cost": 4.00,
        	"total_energy": 15.342,
        	"total_time": 1.973,
        	"last_updated": "2015-06-29T22:01:13Z"
        }
        """;

    /// <summary>mod_tariffs §3.1 "Simple Tariff example 2 euro per hour".</summary>
    public const string Tariff = """
        {
        	"id": "12",
        	"currency": "EUR",
        	"elements": [{
        		"price_components": [{
        			"type": "TIME",
        			"price": 2.00,
        			"step_size": 300
        		}]
        	}],
        	"last_updated": "2015-06-29T20:39:09Z"
        }
        """;

    /// <summary>mod_tariffs §2.2.2 "Example: New Tariff 2 euro per hour" (the PUT body: it lacks the required last_updated).</summary>
    public const string TariffPutWithoutLastUpdated = """
        {
        	"id": "12",
        	"currency": "EUR",
        	"elements": [{
        		"price_components": [{
        			"type": "TIME",
        			"price": 2.00,
        			"step_size": 300
        		}]
        	}]
        }
        """;

    /// <summary>mod_tariffs §2.2.3 "Example: Change Tariff to 2,50" (a PATCH).</summary>
    public const string TariffPatch = """
        {
        	"elements": [{
        		"price_components": [{
        			"type": "TIME",
        			"price": 2.50,
        			"step_size": 300
        		}]
        	}]
        }
        """;

    /// <summary>mod_locations §2.2.3 "Example: a simple status update" (PATCH of EVSE 3256).</summary>
    public const string EvseStatusPatch = """
        {
        	"status": "CHARGING"
        }
        """;

    /// <summary>mod_locations §2.2.3 "Example: set tariff update" (PATCH of a connector).</summary>
    public const string ConnectorTariffPatch = """
        {
            "tariff_id": "15"
        }
        """;
}

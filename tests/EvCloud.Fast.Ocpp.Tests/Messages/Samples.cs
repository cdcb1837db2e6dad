namespace EvCloud.Fast.Ocpp.Tests.Messages;

/// <summary>Payloads as chargers and central systems send them, one per action and direction.</summary>
internal static class Samples
{
    public const string Ocpp16BootNotification = """
        {"chargePointVendor":"ABB","chargePointModel":"Terra AC W22-T-R-0","chargePointSerialNumber":"TACW2243221G1234",
         "chargeBoxSerialNumber":"TACW2243221G1234","firmwareVersion":"1.6.5","iccid":"8931440400012345678",
         "imsi":"204043123456789","meterType":"Carlo Gavazzi EM340","meterSerialNumber":"KY1234567"}
        """;

    public const string Ocpp16BootNotificationResponse = """{"status":"Accepted","currentTime":"2024-03-01T08:15:27.482Z","interval":300}""";

    public const string Ocpp16StatusNotification = """
        {"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-03-01T08:20:00Z",
         "info":"","vendorId":"com.abb","vendorErrorCode":"0"}
        """;

    public const string Ocpp16MeterValues = """
        {"connectorId":1,"transactionId":184467,"meterValue":[{"timestamp":"2024-03-01T08:30:00.000Z","sampledValue":[
          {"value":"12345.67","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"kWh"},
          {"value":"7360","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},
          {"value":"16.02","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},
          {"value":"231.4","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"}]}]}
        """;

    public const string Ocpp16MeterValuesSigned = """
        {"connectorId":2,"transactionId":184467,"meterValue":[{"timestamp":"2024-03-01T08:30:00+01:00","sampledValue":[
          {"value":"12345.67","measurand":"Energy.Active.Import.Register","unit":"kWh"},
          {"value":"16.02","measurand":"Current.Import","phase":"L2","unit":"A"},
          {"value":"16.10","measurand":"Current.Import","phase":"L3","unit":"A"},
          {"value":"41.5","measurand":"Temperature","location":"Body","unit":"Celsius"},
          {"value":"61","measurand":"SoC","location":"EV","unit":"Percent"},
          {"value":"OCMF|{\"FV\":\"1.0\",\"GI\":\"ABB\",\"RD\":[{\"RV\":12345.67,\"RU\":\"kWh\"}]}|{\"SD\":\"3045022100\"}",
           "context":"Sample.Clock","format":"SignedData","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}
        """;

    public const string Ocpp16StartTransaction = """
        {"connectorId":1,"idTag":"04A2B3C4D5E680","meterStart":1234567,"timestamp":"2024-03-01T08:16:03Z","reservationId":42}
        """;

    public const string Ocpp16StartTransactionResponse = """
        {"idTagInfo":{"status":"Accepted","expiryDate":"2024-03-02T08:16:03Z","parentIdTag":"FLEET-01"},"transactionId":184467}
        """;

    public const string Ocpp16StopTransaction = """
        {"idTag":"04A2B3C4D5E680","meterStop":1256789,"timestamp":"2024-03-01T10:02:41Z","transactionId":184467,
         "reason":"EVDisconnected","transactionData":[
          {"timestamp":"2024-03-01T08:16:03Z","sampledValue":[{"value":"1234567","context":"Transaction.Begin","measurand":"Energy.Active.Import.Register","unit":"Wh"}]},
          {"timestamp":"2024-03-01T10:02:41Z","sampledValue":[{"value":"1256789","context":"Transaction.End","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}
        """;

    public const string Ocpp16Authorize = """{"idTag":"04A2B3C4D5E680"}""";

    public const string Ocpp16AuthorizeResponse = """{"idTagInfo":{"status":"Accepted","expiryDate":"2024-03-02T00:00:00Z"}}""";

    public const string Ocpp16Heartbeat = "{}";

    public const string Ocpp16HeartbeatResponse = """{"currentTime":"2024-03-01T08:15:27Z"}""";

    public const string Ocpp16SetChargingProfile = """
        {"connectorId":1,"csChargingProfiles":{"chargingProfileId":10,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
         "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","startSchedule":"2024-03-01T00:00:00Z",
         "chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3},{"startPeriod":3600,"limit":6.0},{"startPeriod":7200,"limit":0.3}]}}}
        """;

    public const string Ocpp16UpdateFirmware = """
        {"location":"https://firmware.example.com/terra/1.7.0.bin?token=a%20b&x=1","retrieveDate":"2024-03-02T02:00:00Z","retries":3,"retryInterval":60}
        """;

    public const string Ocpp16DataTransfer = """{"vendorId":"com.example","messageId":"GetPrice","data":"{\"tariff\":\"day\"}"}""";

    public const string Ocpp201BootNotification = """
        {"reason":"PowerUp","chargingStation":{"model":"SingleSocketCharger","vendorName":"VendorX","serialNumber":"SN-00012345",
         "firmwareVersion":"2.4.1","modem":{"iccid":"8931440400012345678","imsi":"204043123456789"}}}
        """;

    public const string Ocpp201BootNotificationResponse = """
        {"currentTime":"2024-03-01T08:15:27.482+01:00","interval":300,"status":"Pending","statusInfo":{"reasonCode":"Unknown","additionalInfo":"awaiting install"}}
        """;

    public const string Ocpp201TransactionEvent = """
        {"eventType":"Updated","timestamp":"2024-03-01T08:30:00.000Z","triggerReason":"MeterValuePeriodic","seqNo":3,"offline":false,
         "numberOfPhasesUsed":3,"cableMaxCurrent":32,
         "transactionInfo":{"transactionId":"f3a1c2d4-5b6e-4f70-8a91-b2c3d4e5f607","chargingState":"Charging","timeSpentCharging":840},
         "evse":{"id":1,"connectorId":1},"idToken":{"idToken":"04A2B3C4D5E680","type":"ISO14443"},
         "meterValue":[{"timestamp":"2024-03-01T08:30:00.000Z","sampledValue":[
           {"value":12345.67,"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unitOfMeasure":{"unit":"kWh","multiplier":0}},
           {"value":7360,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W"}},
           {"value":16.02,"context":"Sample.Periodic","measurand":"Current.Import","phase":"L1"},
           {"value":2.314e2,"context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N",
            "signedMeterValue":{"signedMeterData":"AQIDBAUG","signingMethod":"ECDSA-secp256r1-SHA256","encodingMethod":"OCMF","publicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"}}]}]}
        """;

    public const string Ocpp201TransactionEventResponse = """
        {"totalCost":12.34,"idTokenInfo":{"status":"Accepted","evseId":[1],"personalMessage":{"format":"UTF8","language":"de","content":"Gute Fahrt – 12,34 €"}}}
        """;

    public const string Ocpp201NotifyReport = """
        {"requestId":17,"generatedAt":"2024-03-01T08:40:00Z","seqNo":0,"tbc":false,"reportData":[
          {"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},
           "variableAttribute":[{"type":"Actual","value":"300","mutability":"ReadWrite","persistent":true,"constant":false}],
           "variableCharacteristics":{"unit":"s","dataType":"integer","minLimit":1,"maxLimit":86400,"supportsMonitoring":false}},
          {"component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"AvailabilityState"},
           "variableAttribute":[{"value":"Available","mutability":"ReadOnly"}],
           "variableCharacteristics":{"dataType":"OptionList","valuesList":"Available,Occupied,Reserved,Unavailable,Faulted","supportsMonitoring":true}}]}
        """;

    public const string Ocpp201StatusNotification = """{"timestamp":"2024-03-01T08:20:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}""";

    public const string Ocpp201DataTransfer = """
        {"vendorId":"com.example","messageId":"Price","data":{"nested":[1,{"a":null}],"x":true},
         "customData":{"vendorId":"com.example","extension":{"deep":[1,2,3]}}}
        """;

    public const string Ocpp21BootNotification = """
        {"reason":"PowerUp","chargingStation":{"model":"Wallbox21","vendorName":"VendorX","serialNumber":"SN-2100001","firmwareVersion":"3.0.0"},
         "customData":{"vendorId":"com.vendorx","hardwareRevision":"B"}}
        """;

    public const string Ocpp21BootNotificationResponse = """{"currentTime":"2024-03-01T08:15:27Z","interval":600,"status":"Accepted"}""";

    public const string Ocpp21TransactionEvent = """
        {"eventType":"Started","timestamp":"2024-03-01T08:16:03.5Z","triggerReason":"Authorized","seqNo":0,"numberOfPhasesUsed":3,
         "transactionInfo":{"transactionId":"TX-2024-000184467","chargingState":"EVConnected","transactionLimit":{"maxEnergy":30000,"maxSoC":80}},
         "evse":{"id":1,"connectorId":1},"idToken":{"idToken":"04A2B3C4D5E680","type":"ISO14443"},
         "meterValue":[{"timestamp":"2024-03-01T08:16:03.5Z","sampledValue":[
           {"value":1234567,"context":"Transaction.Begin","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},
           {"value":0.0,"context":"Transaction.Begin","measurand":"Power.Active.Import","location":"Outlet"}]}]}
        """;

    public const string Ocpp21AuthorizeResponse = """
        {"idTokenInfo":{"status":"Accepted","cacheExpiryDateTime":"2024-03-02T00:00:00Z","evseId":[1,2]},"allowedEnergyTransfer":["AC_three_phase","DC"]}
        """;

    public const string Ocpp21NotifyPeriodicEventStream = """
        {"id":3,"pending":0,"basetime":"2024-03-01T08:30:00Z","data":[{"t":0,"v":"231.4"},{"t":1.5,"v":"231.9"}]}
        """;

    public static TheoryData<OcppVersion, string, bool, string> Valid => new()
    {
        { OcppVersion.Ocpp16, "BootNotification", false, Ocpp16BootNotification },
        { OcppVersion.Ocpp16, "BootNotification", true, Ocpp16BootNotificationResponse },
        { OcppVersion.Ocpp16, "StatusNotification", false, Ocpp16StatusNotification },
        { OcppVersion.Ocpp16, "MeterValues", false, Ocpp16MeterValues },
        { OcppVersion.Ocpp16, "MeterValues", false, Ocpp16MeterValuesSigned },
        { OcppVersion.Ocpp16, "StartTransaction", false, Ocpp16StartTransaction },
        { OcppVersion.Ocpp16, "StartTransaction", true, Ocpp16StartTransactionResponse },
        { OcppVersion.Ocpp16, "StopTransaction", false, Ocpp16StopTransaction },
        { OcppVersion.Ocpp16, "Authorize", false, Ocpp16Authorize },
        { OcppVersion.Ocpp16, "Authorize", true, Ocpp16AuthorizeResponse },
        { OcppVersion.Ocpp16, "Heartbeat", false, Ocpp16Heartbeat },
        { OcppVersion.Ocpp16, "Heartbeat", true, Ocpp16HeartbeatResponse },
        { OcppVersion.Ocpp16, "SetChargingProfile", false, Ocpp16SetChargingProfile },
        { OcppVersion.Ocpp16, "UpdateFirmware", false, Ocpp16UpdateFirmware },
        { OcppVersion.Ocpp16, "DataTransfer", false, Ocpp16DataTransfer },
        { OcppVersion.Ocpp201, "BootNotification", false, Ocpp201BootNotification },
        { OcppVersion.Ocpp201, "BootNotification", true, Ocpp201BootNotificationResponse },
        { OcppVersion.Ocpp201, "TransactionEvent", false, Ocpp201TransactionEvent },
        { OcppVersion.Ocpp201, "TransactionEvent", true, Ocpp201TransactionEventResponse },
        { OcppVersion.Ocpp201, "NotifyReport", false, Ocpp201NotifyReport },
        { OcppVersion.Ocpp201, "StatusNotification", false, Ocpp201StatusNotification },
        { OcppVersion.Ocpp201, "DataTransfer", false, Ocpp201DataTransfer },
        { OcppVersion.Ocpp21, "BootNotification", false, Ocpp21BootNotification },
        { OcppVersion.Ocpp21, "BootNotification", true, Ocpp21BootNotificationResponse },
        { OcppVersion.Ocpp21, "TransactionEvent", false, Ocpp21TransactionEvent },
        { OcppVersion.Ocpp21, "Authorize", true, Ocpp21AuthorizeResponse },
        { OcppVersion.Ocpp21, "NotifyPeriodicEventStream", false, Ocpp21NotifyPeriodicEventStream },
    };
}

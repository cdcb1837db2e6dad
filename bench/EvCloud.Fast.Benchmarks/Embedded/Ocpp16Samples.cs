namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// OCPP 1.6J CALLs as chargers send them (shapes from the integration tests' sessions), compact JSON as
/// firmware writes it. <c>{n}</c> marks a transaction id patched in at run time.
/// </summary>
public static class Ocpp16Samples
{
    /// <summary>Token of the transaction that stays open while MeterValues are sent (connector 1).</summary>
    public const string MeterTag = "TAG-METER";

    /// <summary>Token of the transactions started and stopped in pairs (connector 2).</summary>
    public const string SessionTag = "TAG-OK";

    public const string BootNotification =
        """[2,"boot-1","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"Fast-22","chargePointSerialNumber":"SN-000123","firmwareVersion":"1.2.3"}]""";

    // OCPP 1.6 §6.30 Heartbeat.req: empty.
    public const string Heartbeat = """[2,"hb-1","Heartbeat",{}]""";

    // OCPP 1.6 §6.48 StatusNotification.req.
    public const string StatusNotification =
        """[2,"sn-1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-11-23T10:00:00Z"}]""";

    /// <summary>
    /// Announces connector 2 (a charger reports every connector after its boot, §4.9): transactions start only on
    /// connectors the charger announced.
    /// </summary>
    public const string StatusConnector2 =
        """[2,"sn-2","StatusNotification",{"connectorId":2,"errorCode":"NoError","status":"Available","timestamp":"2026-11-23T10:00:00Z"}]""";

    // OCPP 1.6 §6.34 MeterValues.req with a transaction: billing data, acknowledged only once durable.
    public const string MeterValues =
        """[2,"mv-1","MeterValues",{"connectorId":1,"transactionId":{n},"meterValue":[{"timestamp":"2026-11-23T10:15:00Z","sampledValue":[""" +
        """{"value":"3.5","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unit":"kWh"},""" +
        """{"value":"11000","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},""" +
        """{"value":"16.1","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},""" +
        """{"value":"1.2","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","phase":"L1","unit":"kWh"}]}]}]""";

    // OCPP 1.6 §6.2 Authorize.req.
    public const string Authorize = """[2,"au-1","Authorize",{"idTag":"TAG-OK"}]""";

    /// <summary>Opens the transaction MeterValues refers to.</summary>
    public const string StartMeterTransaction =
        """[2,"st-0","StartTransaction",{"connectorId":1,"idTag":"TAG-METER","meterStart":1000,"timestamp":"2026-11-23T10:00:05Z"}]""";

    // OCPP 1.6 §6.46 StartTransaction.req.
    public const string StartTransaction =
        """[2,"st-1","StartTransaction",{"connectorId":2,"idTag":"TAG-OK","meterStart":1000,"timestamp":"2026-11-23T11:00:05Z"}]""";

    // OCPP 1.6 §6.50 StopTransaction.req.
    public const string StopTransaction =
        """[2,"sp-1","StopTransaction",{"transactionId":{n},"idTag":"TAG-OK","meterStop":4200,"timestamp":"2026-11-23T11:30:00Z","reason":"EVDisconnected"}]""";

    /// <summary>The sample CALL for <paramref name="message"/>, encoded as a masked client frame.</summary>
    public static ClientFrame Frame(HotMessage message) => message switch
    {
        HotMessage.Heartbeat => ClientFrame.Text("Heartbeat", Heartbeat),
        HotMessage.StatusNotification => ClientFrame.Text("StatusNotification", StatusNotification),
        HotMessage.MeterValues => ClientFrame.Text("MeterValues", MeterValues),
        HotMessage.Authorize => ClientFrame.Text("Authorize", Authorize),
        HotMessage.StartTransaction => ClientFrame.Text("StartTransaction", StartTransaction),
        _ => ClientFrame.Text("StopTransaction", StopTransaction),
    };
}

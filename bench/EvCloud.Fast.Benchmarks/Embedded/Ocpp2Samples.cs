namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// OCPP 2.0.1 CALLs as charging stations send them, compact JSON. <c>{n}</c> marks the seqNo patched in at run time.
/// </summary>
public static class Ocpp2Samples
{
    public const string BootNotification =
        """[2,"boot-2","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"Fast-22","vendorName":"Acme","firmwareVersion":"2.0.1"}}]""";

    /// <summary>Opens transaction TX-BENCH (seqNo 0) that the Updated events belong to.</summary>
    public const string TransactionEventStarted =
        """[2,"te-0","TransactionEvent",{"eventType":"Started","timestamp":"2026-11-23T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"TX-BENCH","chargingState":"EVConnected"},"idToken":{"idToken":"TAG-OK","type":"ISO14443"},"evse":{"id":1,"connectorId":1},"meterValue":[{"timestamp":"2026-11-23T10:00:00Z","sampledValue":[{"value":1000,"context":"Transaction.Begin"}]}]}]""";

    // OCPP 2.0.1 E02 TransactionEventRequest, Updated, periodic meter values with 4 sampled values.
    public const string TransactionEventUpdated =
        """[2,"te-1","TransactionEvent",{"eventType":"Updated","timestamp":"2026-11-23T10:15:00Z","triggerReason":"MeterValuePeriodic","seqNo":{n},"transactionInfo":{"transactionId":"TX-BENCH","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-11-23T10:15:00Z","sampledValue":[{"value":3500.5,"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},{"value":11000,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W"}},{"value":16.1,"context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unitOfMeasure":{"unit":"A"}},{"value":230.2,"context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unitOfMeasure":{"unit":"V"}}]}]}]""";
}

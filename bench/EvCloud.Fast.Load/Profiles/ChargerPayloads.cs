using System.Buffers;
using System.Buffers.Text;

namespace EvCloud.Fast.Load.Profiles;

/// <summary>
/// The payloads a simulated charger sends, written into a caller's span per version (OCPP 1.6J, 2.0.1 and 2.1
/// share the 2.x shapes used here). Schema-valid for the server's validator; nothing allocated per message.
/// </summary>
internal static class ChargerPayloads
{
    private static readonly StandardFormat Iso = new('O');

    public static int Boot(Span<byte> d, ChargerVersion v) => v == ChargerVersion.Ocpp16
        ? Put(d, 0, "{\"chargePointVendor\":\"EvCloud\",\"chargePointModel\":\"LoadSim\"}"u8)
        : Put(d, 0, "{\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":\"LoadSim\",\"vendorName\":\"EvCloud\"}}"u8);

    /// <summary>StatusNotification for connector <paramref name="connector"/> (1.6; 0 is the charger itself) or EVSE 1 connector 1 (2.x).</summary>
    public static int Status(Span<byte> d, ChargerVersion v, int connector, bool charging)
    {
        if (v == ChargerVersion.Ocpp16)
        {
            int n = Put(d, 0, "{\"connectorId\":"u8);
            n += Int(d[n..], connector);
            n = Put(d, n, ",\"errorCode\":\"NoError\",\"status\":\""u8);
            return Put(d, n, charging ? "Charging\"}"u8 : "Available\"}"u8);
        }

        int m = Put(d, 0, "{\"timestamp\":\""u8);
        m += Now(d[m..]);
        m = Put(d, m, "\",\"connectorStatus\":\""u8);
        m = Put(d, m, charging ? "Occupied"u8 : "Available"u8);
        return Put(d, m, "\",\"evseId\":1,\"connectorId\":1}"u8);
    }

    public static int Heartbeat(Span<byte> d) => Put(d, 0, "{}"u8);

    public static int Authorize(Span<byte> d, ChargerVersion v, int number)
    {
        int n = Put(d, 0, v == ChargerVersion.Ocpp16 ? "{\"idTag\":\"T"u8 : "{\"idToken\":{\"idToken\":\"T"u8);
        n += Int(d[n..], number);
        return Put(d, n, v == ChargerVersion.Ocpp16 ? "\"}"u8 : "\",\"type\":\"ISO14443\"}}"u8);
    }

    // OCPP 1.6 §6.46 StartTransaction.req
    public static int StartTransaction(Span<byte> d, int number, long meterWh)
    {
        int n = Put(d, 0, "{\"connectorId\":1,\"idTag\":\"T"u8);
        n += Int(d[n..], number);
        n = Put(d, n, "\",\"meterStart\":"u8);
        n += Long(d[n..], meterWh);
        n = Put(d, n, ",\"timestamp\":\""u8);
        n += Now(d[n..]);
        return Put(d, n, "\"}"u8);
    }

    // OCPP 1.6 §6.31 MeterValues.req of a transaction: the billing register only.
    public static int MeterValues(Span<byte> d, int transactionId, long meterWh)
    {
        int n = Put(d, 0, "{\"connectorId\":1,\"transactionId\":"u8);
        n += Int(d[n..], transactionId);
        n = Put(d, n, ",\"meterValue\":[{\"timestamp\":\""u8);
        n += Now(d[n..]);
        n = Put(d, n, "\",\"sampledValue\":[{\"value\":\""u8);
        n += Long(d[n..], meterWh);
        return Put(d, n, "\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}]}]}"u8);
    }

    // OCPP 1.6 §6.50 StopTransaction.req
    public static int StopTransaction(Span<byte> d, int transactionId, long meterWh)
    {
        int n = Put(d, 0, "{\"transactionId\":"u8);
        n += Int(d[n..], transactionId);
        n = Put(d, n, ",\"meterStop\":"u8);
        n += Long(d[n..], meterWh);
        n = Put(d, n, ",\"timestamp\":\""u8);
        n += Now(d[n..]);
        return Put(d, n, "\",\"reason\":\"Local\"}"u8);
    }

    /// <summary>
    /// 2.0.1 / 2.1 TransactionEvent (E01–E07): Started (with the id token), Updated (periodic meter value) or Ended,
    /// for the charger-chosen transaction id <c>&lt;number&gt;-&lt;sequence&gt;</c>.
    /// </summary>
    public static int TransactionEvent(Span<byte> d, int kind, int number, int sequence, int seqNo, long meterWh)
    {
        int n = Put(d, 0, kind switch { 0 => "{\"eventType\":\"Started\",\"triggerReason\":\"Authorized\""u8, 1 => "{\"eventType\":\"Updated\",\"triggerReason\":\"MeterValuePeriodic\""u8, _ => "{\"eventType\":\"Ended\",\"triggerReason\":\"StopAuthorized\""u8 });
        n = Put(d, n, ",\"timestamp\":\""u8);
        n += Now(d[n..]);
        n = Put(d, n, "\",\"seqNo\":"u8);
        n += Int(d[n..], seqNo);
        n = Put(d, n, ",\"transactionInfo\":{\"transactionId\":\""u8);
        n += Int(d[n..], number);
        n = Put(d, n, "-"u8);
        n += Int(d[n..], sequence);
        n = Put(d, n, kind == 2 ? "\",\"stoppedReason\":\"Local\"}"u8 : "\"}"u8);
        if (kind == 0)
        {
            n = Put(d, n, ",\"idToken\":{\"idToken\":\"T"u8);
            n += Int(d[n..], number);
            n = Put(d, n, "\",\"type\":\"ISO14443\"},\"evse\":{\"id\":1,\"connectorId\":1}"u8);
        }

        n = Put(d, n, ",\"meterValue\":[{\"timestamp\":\""u8);
        n += Now(d[n..]);
        n = Put(d, n, "\",\"sampledValue\":[{\"value\":"u8);
        n += Long(d[n..], meterWh);
        return Put(d, n, ",\"measurand\":\"Energy.Active.Import.Register\",\"unitOfMeasure\":{\"unit\":\"Wh\"}}]}]}"u8);
    }

    private static int Put(Span<byte> d, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(d[at..]);
        return at + bytes.Length;
    }

    private static int Int(Span<byte> d, int value) => Utf8Formatter.TryFormat(value, d, out int n) ? n : 0;

    private static int Long(Span<byte> d, long value) => Utf8Formatter.TryFormat(value, d, out int n) ? n : 0;

    private static int Now(Span<byte> d) => Utf8Formatter.TryFormat(DateTime.UtcNow, d, out int n, Iso) ? n : 0;
}

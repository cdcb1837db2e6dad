namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>The charger messages budgeted at 0 B in steady state (ARCHITECTURE.md, "Hot path allocates nothing").</summary>
public enum HotMessage
{
    Heartbeat,
    StatusNotification,
    MeterValues,
    Authorize,
    StartTransaction,
    StopTransaction,

    /// <summary>OCPP 2.0.1 TransactionEvent Updated with 4 sampled values (a new seqNo each time).</summary>
    TransactionEvent,
}

/// <summary>
/// A booted charger with everything the hot messages need: a transaction open on connector 1 that its
/// MeterValues refer to, and connector 2 free for StartTransaction / StopTransaction pairs.
/// </summary>
/// <remarks>
/// Start and Stop are measured as alternating pairs, each a real state change: a new transaction id, a
/// TransactionStarted event, then its TransactionEnded event, each waiting for durability. Repeating one
/// StopTransaction would take the retransmission path instead (no event, no durability wait), and repeating
/// one StartTransaction would be answered from state as a retransmission too; both paths are cheaper than
/// the steady state of a fleet, where every session starts and stops once.
/// </remarks>
public sealed class HotPathCharger
{
    private readonly ClientFrame _heartbeat = Ocpp16Samples.Frame(HotMessage.Heartbeat);
    private readonly ClientFrame _status = Ocpp16Samples.Frame(HotMessage.StatusNotification);
    private readonly ClientFrame _meterValues = Ocpp16Samples.Frame(HotMessage.MeterValues);
    private readonly ClientFrame _authorize = Ocpp16Samples.Frame(HotMessage.Authorize);
    private readonly ClientFrame _start = Ocpp16Samples.Frame(HotMessage.StartTransaction);
    private readonly ClientFrame _stop = Ocpp16Samples.Frame(HotMessage.StopTransaction);
    private readonly ClientFrame _transactionEvent = ClientFrame.Text("TransactionEvent", Ocpp2Samples.TransactionEventUpdated);
    private bool _sessionOpen;
    private int _seqNo;

    private HotPathCharger(EmbeddedCharger charger, EmbeddedCharger station)
    {
        Charger = charger;
        Station = station;
    }

    /// <summary>The 1.6 connection.</summary>
    public EmbeddedCharger Charger { get; }

    /// <summary>The same charger's 2.0.1 twin (id + "-2x"), with a transaction open for TransactionEvent Updated.</summary>
    public EmbeddedCharger Station { get; }

    /// <summary>Connects <paramref name="chargePointId"/>, opens the metered transaction and checks every message once.</summary>
    public static async Task<HotPathCharger> ConnectAsync(EmbeddedGateway gateway, string chargePointId)
    {
        var charger = new HotPathCharger(
            await gateway.ConnectAsync(chargePointId).ConfigureAwait(false),
            await gateway.ConnectAsync(chargePointId + "-2x", "ocpp2.0.1").ConfigureAwait(false));
        await charger.Station.SendAndReceiveAsync(ClientFrame.Text("TransactionEvent", Ocpp2Samples.TransactionEventStarted)).ConfigureAwait(false);
        charger.Station.EnsureCallResult("TransactionEvent");
        EmbeddedCharger c = charger.Charger;
        await c.SendAndReceiveAsync(ClientFrame.Text("StatusNotification", Ocpp16Samples.StatusConnector2)).ConfigureAwait(false);
        c.EnsureCallResult("StatusNotification");
        await c.SendAndReceiveAsync(ClientFrame.Text("StartTransaction", Ocpp16Samples.StartMeterTransaction)).ConfigureAwait(false);
        c.EnsureCallResult("StartTransaction");
        charger._meterValues.SetNumber(c.LastReplyTransactionId());

        foreach (HotMessage message in Enum.GetValues<HotMessage>())
        {
            await charger.SendAsync(message).ConfigureAwait(false);
            (message == HotMessage.TransactionEvent ? charger.Station : c).EnsureCallResult(message.ToString());
        }

        return charger;
    }

    /// <summary>
    /// Sends one message and waits for its reply. StartTransaction and StopTransaction must alternate
    /// (see the remarks); the others may come in any order.
    /// </summary>
    public ValueTask SendAsync(HotMessage message) => message switch
    {
        HotMessage.Heartbeat => Charger.SendAndReceiveAsync(_heartbeat),
        HotMessage.StatusNotification => Charger.SendAndReceiveAsync(_status),
        HotMessage.MeterValues => Charger.SendAndReceiveAsync(_meterValues),
        HotMessage.Authorize => Charger.SendAndReceiveAsync(_authorize),
        HotMessage.StartTransaction => StartAsync(),
        HotMessage.TransactionEvent => TransactionEventAsync(),
        _ => StopAsync(),
    };

    /// <summary>Sends TransactionEvent Updated with the next seqNo: a new event each time, never a retransmission.</summary>
    public ValueTask TransactionEventAsync()
    {
        _transactionEvent.SetNumber(++_seqNo);
        return Station.SendAndReceiveAsync(_transactionEvent);
    }

    /// <summary>Starts a transaction on connector 2; the next <see cref="StopAsync"/> stops it.</summary>
    public ValueTask StartAsync()
    {
        if (_sessionOpen)
        {
            throw new InvalidOperationException("StartTransaction twice without a stop would be a retransmission");
        }

        _sessionOpen = true;
        return Charger.SendAndReceiveAsync(_start);
    }

    /// <summary>Stops the transaction the last <see cref="StartAsync"/> opened.</summary>
    public ValueTask StopAsync()
    {
        if (!_sessionOpen)
        {
            throw new InvalidOperationException("StopTransaction without an open transaction would be a retransmission");
        }

        // The StartTransaction CALLRESULT is still the last reply: aim the stop at its transaction id.
        _stop.SetNumber(Charger.LastReplyTransactionId());
        _sessionOpen = false;
        return Charger.SendAndReceiveAsync(_stop);
    }
}

using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage.State;
using EvCloud.Fast.Tests.Shared;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// On the socket, with the event log's disk held at a gate: a retransmitted transaction message, and a status the CDR
/// bills by, are not answered before the original's event is durable; a Heartbeat, which bills nothing, is.
/// </summary>
/// <remarks>
/// A connection reads its next batch only after the previous batch's answers left, so a retransmission on the same
/// socket would be held by the first message alone. The retransmission therefore comes the way a charger sends it
/// after a lost answer: over a new connection that replaces the old one, while the original's commit is still held.
/// </remarks>
public sealed class RetransmissionDurabilityTests
{
    /// <summary>Bounds waits that must end on their own, so a regression fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>How long the gated tests listen for an answer that must not come (one sent without the wait leaves within microseconds).</summary>
    private static readonly TimeSpan NoAnswerWithin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Ocpp16_ARetransmittedStartTransaction_IsNotAnswered_BeforeTheOriginalStartIsDurable()
    {
        var gate = new LogDeviceGate();
        await using TestServer server = await StartAsync(gate);
        try
        {
            var start = new { connectorId = 1, idTag = "ANY", meterStart = 1_000, timestamp = "2026-11-23T09:00:00Z" };
            await using RawCharger first = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-START");
            long tailBefore = await HoldAndSendAsync(server, gate, first, "StartTransaction", start);
            int transactionId = server.Storage.State.LastTransactionId;

            await using RawCharger second = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-START");
            JsonElement answer = await HeldUntilOpenedAsync(server, gate, second, tailBefore, "StartTransaction", start);
            Assert.Equal(transactionId, answer.GetProperty("transactionId").GetInt32());
            Assert.Equal(transactionId, server.Storage.State.LastTransactionId); // recorded once
        }
        finally
        {
            gate.Open(); // a failed assertion must not leave the server's writes held: it could not stop
        }
    }

    [Fact]
    public async Task Ocpp16_ARetransmittedStopTransaction_IsNotAnswered_BeforeTheOriginalStopIsDurable()
    {
        var gate = new LogDeviceGate();
        await using TestServer server = await StartAsync(gate);
        try
        {
            await using RawCharger first = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-STOP");
            int transactionId = OcppAssert.CallResult(
                    await first.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 1_000, timestamp = "2026-11-23T09:00:00Z" }), "StartTransaction")
                .GetProperty("transactionId").GetInt32();
            var stop = new { transactionId, meterStop = 6_000, timestamp = "2026-11-23T10:00:00Z", reason = "Local" };
            long tailBefore = await HoldAndSendAsync(server, gate, first, "StopTransaction", stop);

            await using RawCharger second = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-STOP");
            await HeldUntilOpenedAsync(server, gate, second, tailBefore, "StopTransaction", stop);
            Assert.True(server.Storage.State.TryGetTransaction(transactionId, out TransactionState ended));
            Assert.Equal(TransactionStatus.Ended, ended.Status);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public async Task Ocpp201_ATransactionEventWithARepeatedSeqNo_IsNotAnswered_BeforeTheOriginalIsDurable()
    {
        var gate = new LogDeviceGate();
        await using TestServer server = await StartAsync(gate);
        try
        {
            await using RawCharger first = await RawCharger.ConnectAsync(server.OcppEndPoint, "CS-RETX", "ocpp2.0.1");
            OcppAssert.CallResult(await first.CallAsync("TransactionEvent", TransactionEvent("Started", 0, 1_000)), "TransactionEvent", OcppVersion.Ocpp201);
            object updated = TransactionEvent("Updated", 1, 4_000);
            long tailBefore = await HoldAndSendAsync(server, gate, first, "TransactionEvent", updated);

            await using RawCharger second = await RawCharger.ConnectAsync(server.OcppEndPoint, "CS-RETX", "ocpp2.0.1");
            await HeldUntilOpenedAsync(server, gate, second, tailBefore, "TransactionEvent", updated, OcppVersion.Ocpp201);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public async Task Ocpp16_SuspendedEvOnAConnectorWithAnOpenTransaction_IsNotAnsweredWhileHeld_WhereasAHeartbeatIs()
    {
        var gate = new LogDeviceGate();
        await using TestServer server = await StartAsync(gate);
        try
        {
            await using RawCharger first = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-STATUS");
            OcppAssert.CallResult(
                await first.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 1_000, timestamp = "2026-11-23T09:00:00Z" }), "StartTransaction");
            long tailBefore = await HoldAndSendAsync(
                server, gate, first, "StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "SuspendedEV", timestamp = "2026-11-23T09:30:00Z" });
            Assert.Null(await TryReceiveTextAsync(first, NoAnswerWithin));

            // The commit is still held: a Heartbeat (over the connection that replaces the first) is answered anyway.
            await using RawCharger second = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RETX-STATUS");
            OcppAssert.CallResult(await second.CallAsync("Heartbeat", new { }), "Heartbeat");
            Assert.True(server.Storage.Log.CommittedUntil <= tailBefore);

            // The same status over the new connection waits for the disk like the first.
            await HeldUntilOpenedAsync(
                server, gate, second, tailBefore, "StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "SuspendedEV", timestamp = "2026-11-23T09:30:00Z" });
        }
        finally
        {
            gate.Open();
        }
    }

    // Nothing else appends (no CDR pipeline, no roaming): the writes at the gate carry the charger's events.
    private static Task<TestServer> StartAsync(LogDeviceGate gate) =>
        TestServer.StartAsync(o => o.Log.CreateDevice = gate.Create, "--Cdr:Enabled=false", "--Ocpi:Enabled=false");

    /// <summary>Holds the log's writes, sends a CALL and returns once its event is appended and its commit waits at the disk.</summary>
    private static async Task<long> HoldAndSendAsync(TestServer server, LogDeviceGate gate, RawCharger charger, string action, object payload)
    {
        await server.Storage.Log.FlushAsync(); // what came before is on disk
        gate.Hold();
        long tailBefore = server.Storage.Log.TailAddress;
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "original-" + action, action, payload }));
        await gate.WriteHeld.WaitAsync(Bound);
        Assert.True(server.Storage.Log.TailAddress > tailBefore, action + " appended nothing");
        Assert.True(server.Storage.Log.CommittedUntil <= tailBefore);
        return tailBefore;
    }

    /// <summary>
    /// Sends the CALL again over <paramref name="charger"/> while the original's commit is held: no answer may come
    /// until the gate opens; then returns the CALLRESULT's payload.
    /// </summary>
    private static async Task<JsonElement> HeldUntilOpenedAsync(
        TestServer server, LogDeviceGate gate, RawCharger charger, long tailBefore, string action, object payload, OcppVersion version = OcppVersion.Ocpp16)
    {
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "again-" + action, action, payload }));
        Assert.Null(await TryReceiveTextAsync(charger, NoAnswerWithin));
        Assert.True(server.Storage.Log.CommittedUntil <= tailBefore);

        gate.Open();
        JsonElement answer = await charger.ReceiveMessageAsync(Bound);
        Assert.True(server.Storage.Log.CommittedUntil > tailBefore, action + " was answered before the original was committed");
        return OcppAssert.CallResult(answer, action, version);
    }

    private static object TransactionEvent(string type, int seqNo, int wh) => new
    {
        eventType = type,
        timestamp = "2026-11-23T10:00:00Z",
        triggerReason = type == "Started" ? "Authorized" : "MeterValuePeriodic",
        seqNo,
        transactionInfo = new { transactionId = "T-RETX" },
        evse = new { id = 1, connectorId = 1 },
        meterValue = new[] { new { timestamp = "2026-11-23T10:00:00Z", sampledValue = new[] { new { value = (double)wh, unitOfMeasure = new { unit = "Wh", multiplier = 0 } } } } },
    };

    private static async Task<string?> TryReceiveTextAsync(RawCharger charger, TimeSpan within)
    {
        try
        {
            (WebSocketOpcode opcode, byte[] data) = await charger.ReceiveFrameAsync(within);
            return opcode == WebSocketOpcode.Close ? "connection closed" : Encoding.UTF8.GetString(data);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using EvCloud.Fast.Tests.Shared;

namespace EvCloud.Fast.Integration.Tests;

public sealed class DurabilityTests
{
    /// <summary>Bounds waits that must end on their own, so a regression fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>How long the gated tests listen for an answer that must not come.</summary>
    private static readonly TimeSpan NoAnswerWithin = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(false)] // graceful restart: final checkpoint
    [InlineData(true)] // crash: no checkpoint since start; the event log alone brings the transaction back
    public async Task AnOpenTransaction_AndItsEnergy_SurviveARestart(bool crash)
    {
        await using TestServer server = await TestServer.StartAsync();
        int transactionId;
        await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RESTART"))
        {
            OcppAssert.CallResult(await charger.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "X" }), "BootNotification");
            transactionId = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 12_000, timestamp = "2026-11-23T09:00:00Z" }))[2].GetProperty("transactionId").GetInt32();
            OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
            {
                connectorId = 1,
                transactionId,
                meterValue = new[] { new { timestamp = "2026-11-23T09:30:00Z", sampledValue = new[] { new { value = "19500" } } } },
            }), "MeterValues");
        }

        if (crash)
        {
            await server.CrashAsync();
        }
        else
        {
            await server.RestartAsync();
        }

        Assert.True(server.Storage.State.TryGetTransaction(transactionId, out TransactionState tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(12_000_000, tx.MeterStartMilliWh);
        Assert.Equal(19_500_000, tx.LastEnergyMilliWh);

        // The charger comes back and finishes the transaction; the next one gets a fresh id.
        await using RawCharger again = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-RESTART");
        OcppAssert.CallResult(await again.CallAsync("StopTransaction", new { transactionId, meterStop = 21_000, timestamp = "2026-11-23T10:00:00Z" }), "StopTransaction");
        JsonElement next = await again.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 21_000, timestamp = "2026-11-23T10:05:00Z" });
        Assert.True(next[2].GetProperty("transactionId").GetInt32() > transactionId);
        Assert.True(server.Storage.State.TryGetTransaction(transactionId, out TransactionState ended));
        Assert.Equal(21_000_000, ended.MeterStopMilliWh);
    }

    [Fact]
    public async Task TransactionMessages_AreNotAnswered_WhileTheirCommitIsHeldAtTheDisk()
    {
        var gate = new LogDeviceGate();

        // Nothing else appends: the write that reaches the gate is the one carrying the message's event.
        await using TestServer server = await TestServer.StartAsync(o => o.Log.CreateDevice = gate.Create, "--Cdr:Enabled=false", "--Ocpi:Enabled=false");
        try
        {
            await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-GATED"))
            {
                JsonElement started = await HeldUntilDurableAsync(server, gate, charger, "StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 1_000, timestamp = "2026-11-23T09:00:00Z" });
                int tx = started.GetProperty("transactionId").GetInt32();
                await HeldUntilDurableAsync(server, gate, charger, "MeterValues", new
                {
                    connectorId = 1,
                    transactionId = tx,
                    meterValue = new[] { new { timestamp = "2026-11-23T09:30:00Z", sampledValue = new[] { new { value = "4000" } } } },
                });
                await HeldUntilDurableAsync(server, gate, charger, "StopTransaction", new { transactionId = tx, meterStop = 6_000, timestamp = "2026-11-23T10:00:00Z" });
            }

            await using RawCharger station = await RawCharger.ConnectAsync(server.OcppEndPoint, "CS-GATED", "ocpp2.0.1");
            foreach ((string type, int seqNo) in new[] { ("Started", 0), ("Updated", 1), ("Ended", 2) })
            {
                await HeldUntilDurableAsync(server, gate, station, "TransactionEvent", new
                {
                    eventType = type,
                    timestamp = "2026-11-23T10:00:00Z",
                    triggerReason = type == "Started" ? "Authorized" : type == "Ended" ? "StopAuthorized" : "MeterValuePeriodic",
                    seqNo,
                    transactionInfo = new { transactionId = "T-GATED" },
                    evse = new { id = 1, connectorId = 1 },
                    meterValue = new[] { new { timestamp = "2026-11-23T10:00:00Z", sampledValue = new[] { new { value = 1000.0 * (seqNo + 1), unitOfMeasure = new { unit = "Wh", multiplier = 0 } } } } },
                }, OcppVersion.Ocpp201);
            }
        }
        finally
        {
            gate.Open(); // a failed assertion must not leave the server's writes held: it could not stop
        }
    }

    [Fact]
    public async Task WhenTheCommitFails_TheAnswerIsNeverSent_ReadinessGoesDown_AndTheChargersRetryIsAnsweredOnceTheDiskIsBack()
    {
        var gate = new LogDeviceGate();
        await using TestServer server = await TestServer.StartAsync(o => o.Log.CreateDevice = gate.Create);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}") };
            var stop = new { transactionId = 0, meterStop = 21_000, timestamp = "2026-11-23T10:00:00Z" };
            int tx;
            await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-DISK"))
            {
                tx = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ANY", meterStart = 12_000, timestamp = "2026-11-23T09:00:00Z" }), "StartTransaction")
                    .GetProperty("transactionId").GetInt32();
                stop = stop with { transactionId = tx };
                (HttpStatusCode readyBefore, _) = await GetAsync(http, "/health/ready");
                Assert.Equal(HttpStatusCode.OK, readyBefore);

                await server.Storage.Log.FlushAsync();
                gate.Fail();
                await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "stop-1", "StopTransaction", stop }));

                // The connection ends, and nothing came before the end: the buffered CALLRESULT was dropped, not flushed.
                List<string> received = await ReadUntilClosedAsync(charger);
                Assert.Empty(received);
            }

            Assert.True(gate.FailedWrites > 0);

            // A checkpoint cannot commit over a log that cannot either: it fails, visibly.
            await Assert.ThrowsAsync<DurabilityException>(() => server.Storage.State.CheckpointAsync().AsTask());
            (HttpStatusCode readyFailing, JsonElement failing) = await GetAsync(http, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyFailing);
            Assert.Equal("Unhealthy", failing.GetProperty("status").GetString());
            JsonElement commits = failing.GetProperty("checks").GetProperty("storage.commits");
            Assert.Equal("Unhealthy", commits.GetProperty("status").GetString());
            Assert.Contains("fail", commits.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("Degraded", failing.GetProperty("checks").GetProperty("storage.checkpoints").GetProperty("status").GetString());
            (HttpStatusCode live, _) = await GetAsync(http, "/health/live");
            Assert.Equal(HttpStatusCode.OK, live);
            (HttpStatusCode legacy, JsonElement legacyBody) = await GetAsync(http, "/health");
            Assert.Equal(HttpStatusCode.OK, legacy);
            Assert.Equal("ok", legacyBody.GetProperty("status").GetString());
            Assert.Contains("evcloud_log_commit_failures", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

            // The disk is back: the failed write is retried, commits resume, readiness is back.
            gate.Open();
            await server.Storage.Log.WhenCommittingAsync().WaitAsync(Bound);
            (HttpStatusCode readyAgain, JsonElement again) = await GetAsync(http, "/health/ready");
            Assert.Equal(HttpStatusCode.OK, readyAgain);
            Assert.Equal("Healthy", again.GetProperty("checks").GetProperty("storage.commits").GetProperty("status").GetString());
            Assert.Equal("Degraded", again.GetProperty("status").GetString()); // until a checkpoint succeeds
            await server.Storage.State.CheckpointAsync();
            (_, JsonElement healthy) = await GetAsync(http, "/health/ready");
            Assert.Equal("Healthy", healthy.GetProperty("status").GetString());

            // The charger never got its answer, so it sends the StopTransaction again: now it is answered.
            await using (RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-DISK"))
            {
                OcppAssert.CallResult(await charger.CallAsync("StopTransaction", stop), "StopTransaction");
            }

            await server.CrashAsync();
            Assert.True(server.Storage.State.TryGetTransaction(tx, out TransactionState ended));
            Assert.Equal(TransactionStatus.Ended, ended.Status);
            Assert.Equal(21_000_000, ended.MeterStopMilliWh);
        }
        finally
        {
            gate.Open(); // a failed assertion must not leave the server's writes held: it could not stop
        }
    }

    /// <summary>
    /// Sends a CALL while the event log's writes wait at the gate, checks that no answer comes while its commit is
    /// held, then opens the gate and returns the CALLRESULT's payload.
    /// </summary>
    private static async Task<JsonElement> HeldUntilDurableAsync(TestServer server, LogDeviceGate gate, RawCharger charger, string action, object payload, OcppVersion version = OcppVersion.Ocpp16)
    {
        await server.Storage.Log.FlushAsync(); // what came before is on disk
        gate.Hold();
        long tailBefore = server.Storage.Log.TailAddress;
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "held-" + action, action, payload }));

        // Server side: the CALL was handled (its event appended) and the commit carrying it waits at the disk.
        await gate.WriteHeld.WaitAsync(Bound);
        Assert.True(server.Storage.Log.TailAddress > tailBefore, action + " appended nothing");
        Assert.True(server.Storage.Log.CommittedUntil <= tailBefore);

        // The answer is written but must not leave: nothing may arrive while the write is held (an answer sent without
        // the wait leaves within microseconds of the handler).
        Assert.Null(await TryReceiveTextAsync(charger, NoAnswerWithin));
        Assert.True(server.Storage.Log.CommittedUntil <= tailBefore);

        gate.Open();
        JsonElement answer = await charger.ReceiveMessageAsync(Bound);
        Assert.True(server.Storage.Log.CommittedUntil > tailBefore, action + " was answered before its event was committed");
        return OcppAssert.CallResult(answer, action, version);
    }

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

    /// <summary>Text messages received until the server ends the connection (EOF or reset).</summary>
    private static async Task<List<string>> ReadUntilClosedAsync(RawCharger charger)
    {
        var received = new List<string>();
        try
        {
            while (true)
            {
                (WebSocketOpcode opcode, byte[] data) = await charger.ReceiveFrameAsync(Bound);
                if (opcode == WebSocketOpcode.Close)
                {
                    return received;
                }

                if (opcode == WebSocketOpcode.Text)
                {
                    received.Add(Encoding.UTF8.GetString(data));
                }
            }
        }
        catch (IOException)
        {
            return received; // reset by the server
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }
}

using System.Text.Json;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Ocpp.Tests.Handlers;

/// <summary>
/// Which answers wait for durability, read from the address the dispatcher hands the receive loop (it sends the answer
/// only once the log is committed past it). Deterministic: no commit timing is involved.
/// </summary>
public sealed class DurableAnswerTests : IDisposable
{
    private readonly GatewayHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public void ARetransmittedStartTransaction_IsAnsweredOnlyOnceTheOriginalStartIsDurable()
    {
        OcppConnection charger = _gateway.Connect("CP-RETRY-START");
        var start = new { connectorId = 1, idTag = "TAG-1", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" };
        (JsonElement first, long original) = _gateway.Call(charger, "StartTransaction", start);
        (JsonElement again, long retransmitted) = _gateway.Call(charger, "StartTransaction", start);

        Assert.True(original > 0);
        Assert.Equal(first[2].GetProperty("transactionId").GetInt32(), again[2].GetProperty("transactionId").GetInt32());
        Assert.True(retransmitted >= original, "the retransmission's answer does not wait for the original start");
    }

    [Fact]
    public void ARetransmittedStopTransaction_IsAnsweredOnlyOnceTheOriginalStopIsDurable()
    {
        OcppConnection charger = _gateway.Connect("CP-RETRY-STOP");
        (JsonElement start, _) = _gateway.Call(charger, "StartTransaction", new { connectorId = 1, idTag = "TAG-1", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" });
        var stop = new { transactionId = start[2].GetProperty("transactionId").GetInt32(), meterStop = 500, timestamp = "2026-11-23T10:30:00Z" };
        (_, long original) = _gateway.Call(charger, "StopTransaction", stop);
        (JsonElement again, long retransmitted) = _gateway.Call(charger, "StopTransaction", stop);

        Assert.Equal(3, again[0].GetInt32());
        Assert.True(original > 0);
        Assert.True(retransmitted >= original, "the retransmission's answer does not wait for the original stop");
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp201)]
    [InlineData(OcppVersion.Ocpp21)]
    public void ARetransmittedTransactionEvent_IsAnsweredOnlyOnceTheOriginalIsDurable(OcppVersion version)
    {
        OcppConnection station = _gateway.Connect("CS-RETRY-" + (int)version, version);
        var started = new
        {
            eventType = "Started",
            timestamp = "2026-11-23T10:00:00Z",
            triggerReason = "Authorized",
            seqNo = 0,
            transactionInfo = new { transactionId = "tx-1" },
            evse = new { id = 1, connectorId = 1 },
        };
        (_, long original) = _gateway.Call(station, "TransactionEvent", started);
        (JsonElement again, long retransmitted) = _gateway.Call(station, "TransactionEvent", started);

        Assert.Equal(3, again[0].GetInt32());
        Assert.True(original > 0);
        Assert.True(retransmitted >= original, "the retransmission's answer does not wait for the original event");
    }

    [Theory]
    [InlineData("Charging")]
    [InlineData("SuspendedEV")]
    [InlineData("SuspendedEVSE")]
    [InlineData("Finishing")]
    public void AStatusThatDecidesChargingOrParkingTime_OfAnOpenTransaction_IsAnsweredOnlyOnceDurable(string status)
    {
        OcppConnection charger = _gateway.Connect("CP-STATUS-" + status);
        _gateway.Call(charger, "StartTransaction", new { connectorId = 1, idTag = "TAG-1", meterStart = 0, timestamp = "2026-11-23T10:00:00Z" });
        long tail = _gateway.Storage.Log.TailAddress;

        (JsonElement answer, long address) = _gateway.Call(charger, "StatusNotification", new { connectorId = 1, errorCode = "NoError", status, timestamp = "2026-11-23T10:10:00Z" });

        Assert.Equal(3, answer[0].GetInt32());
        Assert.True(address >= tail, "the status was answered before its event is durable");
    }

    [Fact]
    public void AStatusWithoutAnOpenTransaction_IsAnsweredAtOnce()
    {
        OcppConnection charger = _gateway.Connect("CP-STATUS-IDLE");
        (_, long address) = _gateway.Call(charger, "StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        Assert.Equal(0, address);
        Assert.True(_gateway.Storage.State.TryGetConnector("CP-STATUS-IDLE"u8, 1, out ConnectorState _));
    }
}

/// <summary>2.x transaction ids are the station's own: another station using the same id reaches only its own transaction.</summary>
public sealed class StationTransactionIdTests : IDisposable
{
    private readonly GatewayHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public void AStationEndingAnotherStationsTransactionId_EndsOnlyATransactionOfItsOwn()
    {
        OcppConnection owner = _gateway.Connect("CS-OWNER", OcppVersion.Ocpp201);
        OcppConnection hostile = _gateway.Connect("CS-HOSTILE", OcppVersion.Ocpp201);
        _gateway.Call(owner, "TransactionEvent", new
        {
            eventType = "Started",
            timestamp = "2026-11-23T10:00:00Z",
            triggerReason = "Authorized",
            seqNo = 0,
            transactionInfo = new { transactionId = "tx-shared" },
            evse = new { id = 1, connectorId = 1 },
        });

        (JsonElement answer, _) = _gateway.Call(hostile, "TransactionEvent", new
        {
            eventType = "Ended",
            timestamp = "2026-11-23T10:30:00Z",
            triggerReason = "StopAuthorized",
            seqNo = 1,
            transactionInfo = new { transactionId = "tx-shared", stoppedReason = "Local" },
            evse = new { id = 1, connectorId = 1 },
        });

        Assert.Equal(3, answer[0].GetInt32());
        Assert.True(_gateway.Storage.State.TryGetTransactionByExternalId("CS-OWNER"u8, "tx-shared"u8, out int ownerId));
        Assert.True(_gateway.Storage.State.TryGetTransaction(ownerId, out TransactionState ownerTx));
        Assert.Equal(TransactionStatus.Open, ownerTx.Status);
        Assert.True(_gateway.Storage.State.TryGetTransactionByExternalId("CS-HOSTILE"u8, "tx-shared"u8, out int hostileId));
        Assert.NotEqual(ownerId, hostileId);
    }
}

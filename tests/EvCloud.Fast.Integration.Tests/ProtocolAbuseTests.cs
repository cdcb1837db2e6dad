using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>A fake charger writes broken bytes; the server answers with the spec's error and keeps serving.</summary>
public sealed class ProtocolAbuseTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Ocpp:MaxMessageBytes=4096", "--Ocpp:CloseTimeout=00:00:01");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("not json at all", "FormationViolation")] // not JSON
    [InlineData("{\"a\":1}", "FormationViolation")] // JSON, but not an OCPP-J array
    [InlineData("[2,\"m1\",\"Heartbeat\"]", "FormationViolation")] // CALL without a payload
    [InlineData("[2,\"m1\",\"Heartbeat\",[]]", "FormationViolation")] // payload is not an object
    [InlineData("[2,\"m1\",\"Heartbeat\",{},\"extra\"]", "FormationViolation")] // trailing element after the payload
    [InlineData("[2,\"m1\",\"NoSuchAction\",{}]", "NotImplemented")] // unknown action
    [InlineData("[2,\"m1\",\"Reset\",{\"type\":\"Hard\"}]", "NotSupported")] // CSMS-initiated action sent by a charger
    [InlineData("[9,\"m1\",\"Heartbeat\",{}]", "NotSupported")] // unknown MessageTypeNumber (1.6 has no MessageTypeNotSupported)
    [InlineData("[2,\"m1\",\"StatusNotification\",{\"connectorId\":\"one\",\"errorCode\":\"NoError\",\"status\":\"Available\"}]", "TypeConstraintViolation")] // string where an integer belongs
    [InlineData("[2,\"m1\",\"StatusNotification\",{\"connectorId\":1,\"status\":\"Available\"}]", "OccurenceConstraintViolation")] // required errorCode missing (1.6 spelling)
    [InlineData("[2,\"m1\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Sleeping\"}]", "PropertyConstraintViolation")] // status not in the enum
    [InlineData("[2,\"m1\",\"Authorize\",{\"idTag\":\"123456789012345678901\"}]", "PropertyConstraintViolation")] // idTag longer than 20
    [InlineData("""[2,"m1","StatusNotification",{"connectorId":1.0,"errorCode":"NoError","status":"Available"}]""", "TypeConstraintViolation")] // 1.0: OCPP integers are digits
    [InlineData("""[2,"m1","StatusNotification",{"connectorId":2147483648,"errorCode":"NoError","status":"Available"}]""", "PropertyConstraintViolation")] // beyond 32 bits
    [InlineData("""[2,"m1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","connectorId":2}]""", "FormationViolation")] // a repeated key: which connector is meant?
    [InlineData("""[2,"m1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\ud800"}]""", "FormationViolation")] // a lone surrogate escape: not Unicode
    [InlineData("""[2,"m1","DataTransfer",{"vendorId":"v","data":"a\udc00"}]""", "FormationViolation")] // a lone surrogate in a string no schema rule reads
    [InlineData("""[2,"\ud800","Heartbeat",{}]""", "FormationViolation")] // a lone surrogate in the message id
    [InlineData("""[2,"m1","Heart\ud800beat",{}]""", "FormationViolation")] // a lone surrogate in the action
    [InlineData("""[2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"00000000000000000000000000000000000000000000000000000000000001234"}]}]}]""", "PropertyConstraintViolation")] // a 65-byte register: its prefix would be another number
    public async Task ABadMessage_GetsACallError_AndTheConnectionKeepsWorking(string message, string expectedCode)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-BAD-" + Math.Abs(message.GetHashCode(StringComparison.Ordinal)));
        await charger.SendTextAsync(message);
        JsonElement answer = await charger.ReceiveMessageAsync();
        OcppAssert.CallError(answer, expectedCode);

        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
    }

    [Theory]
    [InlineData("""[2,"m1","NotifyReport",{"requestId":2147483648,"generatedAt":"2026-11-24T10:00:00Z","seqNo":0}]""", "PropertyConstraintViolation")] // requestId beyond 32 bits
    [InlineData("""[2,"m1","NotifyReport",{"requestId":1,"generatedAt":"2026-11-24T10:00:00Z","seqNo":99999999999}]""", "PropertyConstraintViolation")] // seqNo beyond 32 bits
    [InlineData("""[2,"m1","NotifyReport",{"requestId":1.0,"generatedAt":"2026-11-24T10:00:00Z","seqNo":0}]""", "TypeConstraintViolation")] // 1.0 for an integer
    [InlineData("""[2,"m1","NotifyReport",{"requestId":1,"generatedAt":"2026-11-24T10:00:00Z","seqNo":0,"seqNo":1}]""", "FormatViolation")] // a repeated key
    [InlineData("""[2,"m1","StatusNotification",{"timestamp":"2026-11-24T10:00:00Z","connectorStatus":"Available","evseId":4294967297,"connectorId":1}]""", "PropertyConstraintViolation")] // evseId 2^32 + 1 must not wrap to 1
    [InlineData("""[2,"m1","TransactionEvent",{"eventType":"Updated","timestamp":"2026-11-24T10:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":1,"transactionInfo":{"transactionId":"T-X"},"evse":{"id":2147483648}}]""", "PropertyConstraintViolation")] // evse.id beyond 32 bits
    [InlineData("""[2,"m1","TransactionEvent",{"eventType":"Updated","timestamp":"2026-11-24T10:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":1,"transactionInfo":{"transactionId":"T-X"},"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":5000,"unitOfMeasure":{"unit":"Wh","multiplier":127}}]}]}]""", "PropertyConstraintViolation")] // ×10^127 is no meter
    [InlineData("""[2,"m1","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":5,"unitOfMeasure":{"multiplier":-10}}]}]}]""", "PropertyConstraintViolation")] // just below the bound
    [InlineData("""[2,"m1","Authorize",{"idToken":{"idToken":"\ud800","type":"ISO14443"}}]""", "FormatViolation")] // a lone surrogate escape in a token
    public async Task ABad2xMessage_GetsTheVersionsCallError_AndChangesNothing(string message, string expectedCode)
    {
        string id = "CS-BAD-" + (uint)message.GetHashCode(StringComparison.Ordinal);
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, id, "ocpp2.0.1");
        await charger.SendTextAsync(message);
        string description = OcppAssert.CallError(await charger.ReceiveMessageAsync(), expectedCode);

        Assert.True(description.Length < 300, description);
        Assert.Empty(await RecordedAsync(id)); // nothing but the connection itself was recorded
        Assert.Empty(_server.Storage.State.ListTransactions(id));
        OcppAssert.CallResult(await charger.CallRawAsync("Heartbeat", "{}"), "Heartbeat", EvCloud.Fast.Ocpp.OcppVersion.Ocpp201);
    }

    /// <summary>Events in the log about <paramref name="chargerId"/> other than its connection coming and going.</summary>
    private async Task<List<DomainEvent>> RecordedAsync(string chargerId)
    {
        var found = new List<DomainEvent>();
        await _server.Storage.Log.FlushAsync(); // everything recorded so far, durable or not, becomes readable
        await foreach ((long _, _, ReadOnlyMemory<byte> payload) in _server.Storage.Log.ReadAsync(_server.Storage.Log.BeginAddress, follow: false, CancellationToken.None))
        {
            if (EventReader.TryDecode(payload, out DomainEvent? e) && e.ChargerId == chargerId && e is not (ChargerConnected or ChargerDisconnected))
            {
                found.Add(e);
            }
        }

        return found;
    }

    [Theory]
    [InlineData("""[4,"x1","GenericError","bad \ud800 text",{}]""")] // a lone surrogate escape in the description
    [InlineData("""[4,"x1","Generic\ud800Error","text",{}]""")] // in the error code
    [InlineData("""[4,"\udfff","GenericError","text",{}]""")] // in the message id
    public async Task ACallErrorWithALoneSurrogate_IsNotAnswered_AndTheConnectionKeepsWorking(string message)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CE-" + (uint)message.GetHashCode(StringComparison.Ordinal));

        await charger.SendTextAsync(message);

        JsonElement answer = await charger.CallAsync("Heartbeat", new { });
        OcppAssert.CallResult(answer, "Heartbeat"); // the next message is the Heartbeat's answer: nothing else was sent
    }

    [Fact]
    public async Task AnUnmaskedFrame_IsClosedWith1002()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-UNMASKED");
        await charger.SendFrameAsync(WebSocketOpcode.Text, "[2,\"1\",\"Heartbeat\",{}]"u8, masked: false);
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1002, RawCharger.CloseCode(payload));
    }

    [Fact]
    public async Task ABinaryFrame_IsClosedWith1003()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-BINARY");
        await charger.SendFrameAsync(WebSocketOpcode.Binary, [1, 2, 3]);
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1003, RawCharger.CloseCode(payload));
    }

    [Fact]
    public async Task AMessageOverTheSizeLimit_IsClosedWith1009_BeforeItArrives()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-BIG");
        byte[] header = new byte[14];
        int n = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Text, 1_000_000, masked: true);
        await charger.SendRawAsync(header.AsMemory(0, n + 4)); // header + mask key, no payload
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1009, RawCharger.CloseCode(payload));
    }

    [Fact]
    public async Task InvalidUtf8InATextFrame_IsClosedWith1007()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-UTF8");
        await charger.SendFrameAsync(WebSocketOpcode.Text, [(byte)'[', 0xC3, 0x28, (byte)']']);
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1007, RawCharger.CloseCode(payload));
    }

    [Fact]
    public async Task APing_IsAnsweredWithAPongCarryingTheSamePayload()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-PING");
        await charger.SendFrameAsync(WebSocketOpcode.Ping, "are you there"u8);
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Pong, opcode);
        Assert.Equal("are you there", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public async Task AFragmentedMessage_WithAPingBetweenFragments_IsReassembled()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-FRAG");
        await charger.SendFrameAsync(WebSocketOpcode.Text, "[2,\"f1\",\"Heart"u8, fin: false);
        await charger.SendFrameAsync(WebSocketOpcode.Ping, "x"u8);
        await charger.SendFrameAsync(WebSocketOpcode.Continuation, "beat\","u8, fin: false);
        await charger.SendFrameAsync(WebSocketOpcode.Continuation, "{}]"u8, fin: true);
        (WebSocketOpcode pong, _) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Pong, pong);
        JsonElement answer = await charger.ReceiveMessageAsync();
        Assert.Equal("f1", answer[1].GetString());
        OcppAssert.CallResult(answer, "Heartbeat");
    }

    [Fact]
    public async Task ACloseFromTheCharger_IsEchoed_AndTheServerClosesTheSocket()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-CLOSE");
        await charger.SendFrameAsync(WebSocketOpcode.Close, [0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e']);
        (WebSocketOpcode opcode, byte[] payload) = await charger.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1000, RawCharger.CloseCode(payload));
        Assert.True(await charger.WaitForEofAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task OneChargersGarbage_DoesNotDisturbAnother()
    {
        await using RawCharger good = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-NEIGHBOUR-OK");
        await using RawCharger bad = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-NEIGHBOUR-BAD");
        await bad.SendRawAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
        OcppAssert.CallResult(await good.CallAsync("Heartbeat", new { }), "Heartbeat");
    }

    [Fact]
    public async Task AChargerReconnectingWithTheSameId_ReplacesItsOldConnection()
    {
        await using RawCharger first = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-TWICE");
        OcppAssert.CallResult(await first.CallAsync("Heartbeat", new { }), "Heartbeat");
        await using RawCharger second = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-TWICE");

        (WebSocketOpcode opcode, byte[] payload) = await first.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1001, RawCharger.CloseCode(payload));
        OcppAssert.CallResult(await second.CallAsync("Heartbeat", new { }), "Heartbeat");
        Assert.True(_server.Gateway.Registry.IsConnected("CP-TWICE"));
    }

    [Fact]
    public async Task AReplacedConnection_ThatNeverAnswersTheClose_IsDroppedAfterTheCloseTimeout()
    {
        await using RawCharger first = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-SILENT-OLD");
        OcppAssert.CallResult(await first.CallAsync("Heartbeat", new { }), "Heartbeat");
        await using RawCharger second = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-SILENT-OLD");

        (WebSocketOpcode opcode, byte[] payload) = await first.ReceiveFrameAsync();
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1001, RawCharger.CloseCode(payload));

        // The old peer stays silent; the server drops it (close timeout 1 s, timer tick 1 s), long before the 150 s idle timeout.
        Assert.True(await first.WaitForEofAsync(TimeSpan.FromSeconds(30)));
        OcppAssert.CallResult(await second.CallAsync("Heartbeat", new { }), "Heartbeat");
    }
}

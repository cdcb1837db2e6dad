using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Transport;

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
    public async Task ABadMessage_GetsACallError_AndTheConnectionKeepsWorking(string message, string expectedCode)
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-BAD-" + Math.Abs(message.GetHashCode(StringComparison.Ordinal)));
        await charger.SendTextAsync(message);
        JsonElement answer = await charger.ReceiveMessageAsync();
        OcppAssert.CallError(answer, expectedCode);

        OcppAssert.CallResult(await charger.CallAsync("Heartbeat", new { }), "Heartbeat");
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

using System.Text;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests;

public sealed class HandshakeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(
        "--Ocpp:EnabledProtocols:0=ocpp1.6",
        "--Ocpp:EnabledProtocols:1=ocpp2.0.1");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("ocpp2.0.1, ocpp1.6", "ocpp2.0.1")] // the charger's first choice wins
    [InlineData("ocpp1.6, ocpp2.0.1", "ocpp1.6")]
    [InlineData("ocpp2.1, ocpp1.6", "ocpp1.6")] // 2.1 is not enabled here
    public async Task TheChargersOrderOfPreference_DecidesTheProtocol(string offered, string expected)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await charger.UpgradeAsync("CP-NEG", offered));
        Assert.Contains("Sec-WebSocket-Protocol: " + expected, charger.HandshakeResponse, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", charger.HandshakeResponse, StringComparison.Ordinal); // RFC 6455 §1.3 example
    }

    [Theory]
    [InlineData("CP-1", "ocpp2.1", 400)] // no common protocol
    [InlineData("CP-1", null, 400)] // no Sec-WebSocket-Protocol at all
    [InlineData("", "ocpp1.6", 400)] // empty charge point id
    [InlineData("1234567890123456789012345678901234567890123456789", "ocpp1.6", 400)] // 49 characters
    [InlineData("CP%201", "ocpp1.6", 400)] // a space, percent-encoded
    [InlineData("CP%ZZ", "ocpp1.6", 400)] // broken percent-encoding
    [InlineData(".", "ocpp1.6", 400)] // a dot-segment, not an id
    [InlineData("..", "ocpp1.6", 400)] // the parent dot-segment, not an id
    [InlineData("%2E%2E", "ocpp1.6", 400)] // '..' percent-encoded
    public async Task ABadUpgrade_IsRefusedWithAnHttpError_AndNoUpgrade(string id, string? protocols, int status)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(status, await charger.UpgradeAsync(id, protocols));
        Assert.DoesNotContain("101", charger.HandshakeResponse[..12], StringComparison.Ordinal);
    }

    [Fact]
    public async Task APercentEncodedId_IsDecoded()
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        Assert.Equal(101, await charger.UpgradeAsync("CP%2B7", "ocpp1.6"));
        await charger.CallAsync("Heartbeat", new { });
        Assert.True(_server.Gateway.Registry.IsConnected("CP+7"));
    }

    [Fact]
    public async Task AWrongWebSocketVersion_Gets426()
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        await charger.SendRawAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP-V HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n"));
        Assert.Equal(426, await charger.ReadHandshakeResponseAsync());
        Assert.Contains("Sec-WebSocket-Version: 13", charger.HandshakeResponse, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /ocpp/CP-H10 HTTP/1.0\r\n", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")] // RFC 6455 §4.1: HTTP/1.1 or higher
    [InlineData("GET /ocpp/CP-K2 HTTP/1.1\r\n", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n")] // RFC 6455 §11.3.1: the key appears once
    public async Task AnUpgradeThatBreaksRfc6455_Gets400(string requestLine, string keyHeaders)
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        await charger.SendRawAsync(Encoding.ASCII.GetBytes(requestLine + "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + keyHeaders + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n"));
        Assert.Equal(400, await charger.ReadHandshakeResponseAsync());
        Assert.True(await charger.WaitForEofAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AWrongPath_Gets404()
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        await charger.SendRawAsync(Encoding.ASCII.GetBytes("GET /elsewhere/CP HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n"));
        Assert.Equal(404, await charger.ReadHandshakeResponseAsync());
    }

    [Fact]
    public async Task AnOversizedUpgradeRequest_Gets431()
    {
        await using RawCharger charger = await RawCharger.OpenAsync(_server.OcppEndPoint);
        string padding = "X-Padding: " + new string('a', 9000) + "\r\n";
        await charger.SendRawAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP HTTP/1.1\r\nHost: x\r\n" + padding));
        Assert.Equal(431, await charger.ReadHandshakeResponseAsync());
    }

    [Fact]
    public async Task ASlowHandshake_DoesNotBlockOthers()
    {
        await using RawCharger slow = await RawCharger.OpenAsync(_server.OcppEndPoint);
        await slow.SendRawAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP-SLOW HTTP/1.1\r\nHost: x\r\n")); // and then nothing
        await using RawCharger fast = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-FAST");
        OcppAssert.CallResult(await fast.CallAsync("Heartbeat", new { }), "Heartbeat");
    }
}

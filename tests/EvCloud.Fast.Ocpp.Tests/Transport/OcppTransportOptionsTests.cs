using System.Text;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Transport;

public class OcppTransportOptionsTests
{
    [Fact]
    public void Defaults_AreTheOcppPath_AndEveryKnownProtocol()
    {
        var options = new OcppTransportOptions();

        Assert.Equal("/ocpp/", options.PathPrefix);
        Assert.Empty(options.EnabledProtocols);
        Assert.Equal(["ocpp2.1", "ocpp2.0.1", "ocpp1.6"], OcppTransportOptions.DefaultProtocols);
        Assert.Null(options.AssumeProtocolWhenMissing);
        Assert.Equal(8 * 1024, options.MaxHandshakeBytes);
        Assert.Equal(64 * 1024, options.MaxMessageBytes);
        Assert.True(options.IdleTimeout > options.PingInterval, "a charger that answers pings is never idle");
    }

    [Fact]
    public void EveryKnownProtocol_MapsToAVersion_AndCanBeNegotiated()
    {
        var options = new OcppTransportOptions { EnabledProtocols = OcppTransportOptions.KnownProtocols };

        foreach (string protocol in OcppTransportOptions.KnownProtocols)
        {
            Assert.NotEqual(OcppVersion.None, WebSocketHandshake.ProtocolVersion(protocol));
            HandshakeResult result = WebSocketHandshake.Decide(Encoding.ASCII.GetBytes(Upgrade(protocol)), options);
            Assert.True(result.Accepted, result.Reason);
            Assert.Equal(WebSocketHandshake.ProtocolVersion(protocol), result.Version);
        }
    }

    private static string Upgrade(string protocol) =>
        "GET /ocpp/CP-1 HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";
}

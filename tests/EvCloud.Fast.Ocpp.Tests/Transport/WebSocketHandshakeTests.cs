using System.Buffers;
using System.Text;
using EvCloud.Fast.Ocpp.Tests.TestSupport;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.Transport;

public class WebSocketHandshakeTests
{
    // RFC 6455 §1.3: the sample nonce and the accept value it yields.
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private const string Get = "GET /ocpp/CP-1 HTTP/1.1";

    [Fact]
    public void Decide_AcceptsAnOcpp16Upgrade_WithTheRfc6455AcceptValue()
    {
        HandshakeResult result = Decide(Request(Get, ("Authorization", "Basic Q1AtMTpzZWNyZXQ=")));

        Assert.True(result.Accepted);
        Assert.Equal(101, result.StatusCode);
        Assert.Equal("CP-1", result.ChargePointId);
        Assert.Equal("ocpp1.6", result.Protocol);
        Assert.Equal(OcppVersion.Ocpp16, result.Version);
        Assert.Equal(RfcAccept, result.AcceptKey);
        Assert.Equal("Basic Q1AtMTpzZWNyZXQ=", result.Authorization);
    }

    [Fact]
    public void ComputeAccept_MatchesRfc6455Section1_3()
    {
        Assert.Equal(RfcAccept, WebSocketHandshake.ComputeAccept(RfcKey));
    }

    [Fact]
    public void SwitchingProtocols_EchoesTheAcceptValueAndTheProtocol()
    {
        HandshakeResult result = Decide(Request(Get));

        string response = Encoding.ASCII.GetString(WebSocketHandshake.SwitchingProtocols(result));

        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {RfcAccept}\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n",
            response);
    }

    [Theory]
    [InlineData("ocpp2.0.1, ocpp1.6", "ocpp1.6,ocpp2.0.1", "ocpp2.0.1")] // the charger's first choice wins
    [InlineData("ocpp1.6, ocpp2.0.1", "ocpp2.0.1,ocpp1.6", "ocpp1.6")] // the server's order does not matter
    [InlineData("ocpp2.1, ocpp2.0.1, ocpp1.6", "ocpp1.6,ocpp2.0.1", "ocpp2.0.1")] // 2.1 offered first but not enabled
    [InlineData("ocpp2.1,ocpp1.6", "ocpp2.1,ocpp2.0.1,ocpp1.6", "ocpp2.1")] // no spaces after the comma
    [InlineData("ocpp1.5, ocpp1.6", "ocpp1.6", "ocpp1.6")] // unknown tokens are passed over
    [InlineData("ocpp1.6", "", "ocpp1.6")] // nothing configured: 1.6 only
    public void Decide_NegotiatesTheChargersFavouriteAmongTheEnabledProtocols(string offered, string enabled, string expected)
    {
        var options = new OcppTransportOptions { EnabledProtocols = enabled.Split(',', StringSplitOptions.RemoveEmptyEntries) };

        HandshakeResult result = Decide(Request(Get, ("Sec-WebSocket-Protocol", offered)), options);

        Assert.True(result.Accepted, result.Reason);
        Assert.Equal(expected, result.Protocol);
        Assert.Equal(WebSocketHandshake.ProtocolVersion(expected), result.Version);
    }

    [Fact]
    public void Decide_ReadsEverySecWebSocketProtocolHeader_InOrder()
    {
        var options = new OcppTransportOptions { EnabledProtocols = ["ocpp1.6", "ocpp2.0.1"] };
        string request = Request(Get, ("Sec-WebSocket-Protocol", "ocpp2.1"), ("sec-websocket-protocol", "ocpp2.0.1, ocpp1.6"));

        HandshakeResult result = Decide(request, options);

        Assert.True(result.Accepted, result.Reason);
        Assert.Equal("ocpp2.0.1", result.Protocol);
    }

    [Fact]
    public void Decide_AssumesTheConfiguredProtocol_OnlyWhenTheHeaderIsMissing()
    {
        var options = new OcppTransportOptions { AssumeProtocolWhenMissing = "ocpp1.6", EnabledProtocols = ["ocpp1.6"] };

        HandshakeResult missing = Decide(Request(Get, ("Sec-WebSocket-Protocol", null)), options);
        HandshakeResult mismatched = Decide(Request(Get, ("Sec-WebSocket-Protocol", "ocpp2.0.1")), options);
        HandshakeResult refused = Decide(Request(Get, ("Sec-WebSocket-Protocol", null)), new OcppTransportOptions());

        Assert.True(missing.Accepted, missing.Reason);
        Assert.Equal("ocpp1.6", missing.Protocol);
        Assert.Equal(400, mismatched.StatusCode); // a charger that names its protocols is taken at its word
        Assert.Contains("ocpp1.6", mismatched.Reason, StringComparison.Ordinal);
        Assert.Equal(400, refused.StatusCode); // OCPP-J requires the header unless told otherwise
        Assert.Contains("required", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AssumesNothing_ThatIsNotEnabled()
    {
        var options = new OcppTransportOptions { AssumeProtocolWhenMissing = "ocpp2.0.1", EnabledProtocols = ["ocpp1.6"] };

        HandshakeResult result = Decide(Request(Get, ("Sec-WebSocket-Protocol", null)), options);

        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public void Decide_MatchesHeaderNamesAndUpgradeTokens_CaseInsensitively()
    {
        string request =
            "GET /ocpp/CP-1 HTTP/1.1\r\nhost: csms\r\nUPGRADE: WebSocket\r\nconnection: upgrade\r\n" +
            $"SEC-WEBSOCKET-KEY: {RfcKey}\r\nsec-websocket-version: 13\r\nSec-Websocket-Protocol: ocpp1.6\r\n" +
            "authorization: Basic eA==\r\n\r\n";

        HandshakeResult result = Decide(request);

        Assert.True(result.Accepted, result.Reason);
        Assert.Equal(RfcAccept, result.AcceptKey);
        Assert.Equal("Basic eA==", result.Authorization);
    }

    [Theory]
    [InlineData("keep-alive, Upgrade")] // Firefox-style
    [InlineData("Upgrade,keep-alive")]
    [InlineData("  upgrade  ")]
    public void Decide_FindsTheUpgradeTokenAmongOtherConnectionOptions(string connection)
    {
        HandshakeResult result = Decide(Request(Get, ("Connection", connection)));

        Assert.True(result.Accepted, result.Reason);
    }

    [Fact]
    public void Decide_JoinsRepeatedConnectionHeaders()
    {
        HandshakeResult result = Decide(Request(Get, ("Connection", "keep-alive"), ("Connection", "Upgrade")));

        Assert.True(result.Accepted, result.Reason);
    }

    [Fact]
    public void Decide_AcceptsTheHeadWithOrWithoutItsBlankLine()
    {
        string request = Request(Get);

        Assert.True(Decide(request).Accepted);
        Assert.True(Decide(request[..^4]).Accepted);
    }

    [Theory]
    [InlineData("POST /ocpp/CP-1 HTTP/1.1", null, null, 405)] // only GET upgrades (RFC 6455 §4.1)
    [InlineData("get /ocpp/CP-1 HTTP/1.1", null, null, 405)] // methods are case-sensitive (RFC 9110 §9.1)
    [InlineData("GET /ocpp/CP-1", null, null, 400)] // request line without an HTTP version
    [InlineData("GET /ocpp/CP-1 HTTP/2", null, null, 400)] // not HTTP/1.x
    [InlineData("GET /ocpp/CP-1 HTTP/1.0", null, null, 400)] // RFC 6455 §4.1: the HTTP version must be at least 1.1
    [InlineData("GET /ocpp/. HTTP/1.1", null, null, 400)] // a dot-segment (RFC 3986 §5.2.4), not an id
    [InlineData("GET /ocpp/.. HTTP/1.1", null, null, 400)] // the parent dot-segment, not an id
    [InlineData("GET /ocpp/%2E%2E HTTP/1.1", null, null, 400)] // '..' percent-encoded is still '..'
    [InlineData("GET /ocpp/%2e HTTP/1.1", null, null, 400)] // '.' percent-encoded in lower case
    [InlineData("GET  /ocpp/CP-1 HTTP/1.1", null, null, 400)] // two spaces: four request-line parts
    [InlineData("GET /chargers/CP-1 HTTP/1.1", null, null, 404)] // outside the OCPP path prefix
    [InlineData("GET /OCPP/CP-1 HTTP/1.1", null, null, 404)] // the prefix is case-sensitive
    [InlineData("GET /ocpp/ HTTP/1.1", null, null, 400)] // empty charge point id
    [InlineData("GET /ocpp/CP-1/ HTTP/1.1", null, null, 400)] // trailing slash: a second path segment
    [InlineData("GET /ocpp/site/CP-1 HTTP/1.1", null, null, 400)] // two path segments
    [InlineData("GET /ocpp/1234567890123456789012345678901234567890123456789 HTTP/1.1", null, null, 400)] // 49 characters
    [InlineData("GET /ocpp/CP%0A1 HTTP/1.1", null, null, 400)] // a line feed, percent-encoded
    [InlineData("GET /ocpp/CP%001 HTTP/1.1", null, null, 400)] // a NUL, percent-encoded
    [InlineData("GET /ocpp/CP%7F1 HTTP/1.1", null, null, 400)] // DEL, percent-encoded
    [InlineData("GET /ocpp/CP%201 HTTP/1.1", null, null, 400)] // a space, percent-encoded
    [InlineData("GET /ocpp/CP%ZZ HTTP/1.1", null, null, 400)] // '%' not followed by two hex digits
    [InlineData("GET /ocpp/CP%2 HTTP/1.1", null, null, 400)] // truncated escape at the end
    [InlineData("GET /ocpp/%2F HTTP/1.1", null, null, 400)] // only an encoded slash
    [InlineData("GET /ocpp/CP%2F1 HTTP/1.1", null, null, 400)] // an encoded slash would name a second path segment
    [InlineData("GET /ocpp/CP%C3%A9 HTTP/1.1", null, null, 400)] // 'é': not ASCII
    [InlineData("GET /ocpp/CP%FF HTTP/1.1", null, null, 400)] // not UTF-8 at all
    [InlineData(Get, "Sec-WebSocket-Key", null, 400)] // missing key
    [InlineData(Get, "Sec-WebSocket-Key", "", 400)] // empty key
    [InlineData(Get, "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ", 400)] // base64 padding missing
    [InlineData(Get, "Sec-WebSocket-Key", "c2hvcnQga2V5", 400)] // decodes to 9 bytes, not 16
    [InlineData(Get, "Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAAA", 400)] // 24 characters, but they decode to 18 bytes
    [InlineData(Get, "Sec-WebSocket-Key", "not base64 at all, 24 ch", 400)] // 24 characters, but not base64
    [InlineData(Get, "Sec-WebSocket-Version", "8", 426)] // draft hybi-08, not RFC 6455
    [InlineData(Get, "Sec-WebSocket-Version", null, 426)] // missing version
    [InlineData(Get, "Upgrade", null, 400)] // missing Upgrade
    [InlineData(Get, "Upgrade", "h2c", 400)] // an upgrade to something else
    [InlineData(Get, "Connection", "keep-alive", 400)] // Connection without the upgrade token
    [InlineData(Get, "Connection", "upgraded", 400)] // a token that only starts with "upgrade"
    [InlineData(Get, "Sec-WebSocket-Protocol", null, 400)] // OCPP-J requires a subprotocol
    [InlineData(Get, "Sec-WebSocket-Protocol", "", 400)] // present but empty
    [InlineData(Get, "Sec-WebSocket-Protocol", "ocpp2.2", 400)] // a version that does not exist
    [InlineData(Get, "Sec-WebSocket-Protocol", "OCPP1.6", 400)] // subprotocol tokens are case-sensitive
    [InlineData(Get, "Sec-WebSocket-Protocol", "ocpp1.6.1", 400)] // only a prefix of it is known
    public void Decide_RefusesABadUpgrade(string requestLine, string? header, string? value, int expectedStatus)
    {
        string request = header is null ? Request(requestLine) : Request(requestLine, (header, value));

        HandshakeResult result = Decide(request);

        Assert.Equal(expectedStatus, result.StatusCode);
        Assert.False(result.Accepted);
        Assert.Null(result.ChargePointId);
        Assert.Null(result.Protocol);
        Assert.Null(result.AcceptKey);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Theory]
    [InlineData(RfcKey, RfcKey)] // RFC 6455 §11.3.1: the key must not appear more than once, even with one value
    [InlineData(RfcKey, "x3JJHMbDL1EzLkh9GBhXDw==")] // two different keys: which one to answer is undecidable
    public void Decide_RefusesARepeatedSecWebSocketKey(string first, string second)
    {
        HandshakeResult result = Decide(Request(Get, ("Sec-WebSocket-Key", first), ("Sec-WebSocket-Key", second)));

        Assert.Equal(400, result.StatusCode);
        Assert.Null(result.AcceptKey);
    }

    [Theory]
    [InlineData("/ocpp/.")] // current-directory dot-segment
    [InlineData("/ocpp/..")] // parent dot-segment
    [InlineData("/ocpp/%2E")] // percent-encoded '.'
    [InlineData("/ocpp/.%2e")] // half percent-encoded '..'
    public void ParseChargePointId_RefusesDotSegments(string target)
    {
        Assert.Null(WebSocketHandshake.ParseChargePointId(target, "/ocpp/", out string? error));
        Assert.Equal("'.' and '..' are not charge point ids", error);
    }

    [Fact]
    public void Decide_RefusesAHeaderLineWithoutAColon()
    {
        string request = Request(Get).Replace("Host: csms.example.com", "Host csms.example.com", StringComparison.Ordinal);

        HandshakeResult result = Decide(request);

        Assert.Equal(400, result.StatusCode);
    }

    [Theory]
    [InlineData("/ocpp/CP-1", "CP-1")]
    [InlineData("/ocpp/CP%2B7", "CP+7")] // percent-decoded
    [InlineData("/ocpp/%41%42%43", "ABC")]
    [InlineData("/ocpp/CP-1?token=abc", "CP-1")] // the query string is not part of the id
    [InlineData("/ocpp/CP%3F1", "CP?1")] // an encoded '?' is part of the id
    [InlineData("/ocpp/cp%2d1", "cp-1")] // lower-case hex digits
    [InlineData("/ocpp/...", "...")] // three dots are not a dot-segment
    [InlineData("/ocpp/.CP", ".CP")] // a leading dot is fine
    [InlineData("/ocpp/EVB-P1.23:4*5|6@7_8=9+!~", "EVB-P1.23:4*5|6@7_8=9+!~")] // every printable ASCII character may appear
    [InlineData("/ocpp/123456789012345678901234567890123456789012345678", "123456789012345678901234567890123456789012345678")] // 48 characters
    [InlineData("/ocpp/%31%32%33%34%35%36%37%38%39%30%31%32%33%34%35%36%37%38%39%30%31%32%33%34%35%36%37%38%39%30%31%32%33%34%35%36%37%38%39%30%31%32%33%34%35%36%37%38", "123456789012345678901234567890123456789012345678")] // 48 characters once decoded
    public void ParseChargePointId_ReturnsTheDecodedId(string target, string expected)
    {
        Assert.Equal(expected, WebSocketHandshake.ParseChargePointId(target, "/ocpp/", out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/chargers/CP-1", "not found")]
    [InlineData("/ocpp/", "expected /ocpp/{chargePointId}")]
    [InlineData("/ocpp/a/b", "expected /ocpp/{chargePointId}")]
    [InlineData("/ocpp/CP%G1", "bad percent-encoding")]
    [InlineData("/ocpp/CP%", "bad percent-encoding")]
    [InlineData("/ocpp/1234567890123456789012345678901234567890123456789", "length must be 1 to 48 characters")]
    [InlineData("/ocpp/CP%091", "only printable ASCII characters are allowed")] // a tab
    public void ParseChargePointId_SaysWhatIsWrong(string target, string expectedError)
    {
        Assert.Null(WebSocketHandshake.ParseChargePointId(target, "/ocpp/", out string? error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Decide_UsesTheConfiguredPathPrefix()
    {
        var options = new OcppTransportOptions { PathPrefix = "/steve/websocket/CentralSystemService/" };

        HandshakeResult accepted = Decide(Request("GET /steve/websocket/CentralSystemService/CP-1 HTTP/1.1"), options);
        HandshakeResult notFound = Decide(Request(Get), options);

        Assert.Equal("CP-1", accepted.ChargePointId);
        Assert.Equal(404, notFound.StatusCode);
    }

    [Theory]
    [InlineData(400, "Bad Request", "")]
    [InlineData(404, "Not Found", "")]
    [InlineData(405, "Method Not Allowed", "Allow: GET\r\n")]
    [InlineData(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n")] // RFC 6455 §4.4: name the versions spoken
    [InlineData(431, "Request Header Fields Too Large", "")]
    [InlineData(503, "Service Unavailable", "")]
    [InlineData(500, "Error", "")]
    public void ErrorResponse_IsACompleteHttpResponseThatClosesTheConnection(int status, string phrase, string extraHeader)
    {
        const string Reason = "Invalid charge point id: café"; // the body is UTF-8; Content-Length counts bytes

        string response = Encoding.UTF8.GetString(WebSocketHandshake.ErrorResponse(status, Reason));

        Assert.Equal(
            $"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 30\r\n{extraHeader}Connection: close\r\n\r\n{Reason}",
            response);
    }

    [Fact]
    public void TryFindEnd_FindsTheEndOfACompleteHead_InEveryShape_AndLeavesWhatFollows()
    {
        byte[] head = Encoding.ASCII.GetBytes(Request(Get));
        byte[] withFrame = [.. head, .. WireSamples.TextFrame(WireSamples.BootNotification)];

        foreach ((string shape, ReadOnlySequence<byte> buffer) in SequenceShapes.Of(withFrame))
        {
            Assert.True(WebSocketHandshake.TryFindEnd(buffer, 8192, out SequencePosition end, out bool tooLarge), shape);
            Assert.False(tooLarge, shape);
            Assert.Equal(head.Length, buffer.Slice(0, end).Length);
        }
    }

    [Fact]
    public void TryFindEnd_ReturnsFalse_ForEveryPrefixOfAHead()
    {
        byte[] head = Encoding.ASCII.GetBytes(Request(Get));

        for (int length = 0; length < head.Length; length++)
        {
            byte[] prefix = head[..length];
            foreach ((string shape, ReadOnlySequence<byte> buffer) in SequenceShapes.Of(prefix))
            {
                Assert.False(WebSocketHandshake.TryFindEnd(buffer, 8192, out _, out bool tooLarge), $"{length} bytes, {shape}");
                Assert.False(tooLarge, $"{length} bytes, {shape}");
            }
        }
    }

    [Fact]
    public void TryFindEnd_ReportsAHeadTooLarge_WithOrWithoutItsEnd()
    {
        byte[] head = Encoding.ASCII.GetBytes(Request(Get, ("X-Padding", new string('p', 9000))));

        Assert.False(WebSocketHandshake.TryFindEnd(new ReadOnlySequence<byte>(head), 8192, out _, out bool complete));
        Assert.True(complete); // the whole head arrived, but it is over the limit
        Assert.False(WebSocketHandshake.TryFindEnd(new ReadOnlySequence<byte>(head, 0, 8192), 8192, out _, out bool partial));
        Assert.True(partial); // the limit is reached with no end in sight: no need to wait for more
        Assert.False(WebSocketHandshake.TryFindEnd(new ReadOnlySequence<byte>(head, 0, 8191), 8192, out _, out bool underLimit));
        Assert.False(underLimit);
    }

    [Fact]
    public void TryFindEnd_AcceptsAHeadOfExactlyTheLimit()
    {
        byte[] head = Encoding.ASCII.GetBytes(Request(Get));

        Assert.True(WebSocketHandshake.TryFindEnd(new ReadOnlySequence<byte>(head), head.Length, out _, out bool tooLarge));
        Assert.False(tooLarge);
        Assert.False(WebSocketHandshake.TryFindEnd(new ReadOnlySequence<byte>(head), head.Length - 1, out _, out tooLarge));
        Assert.True(tooLarge);
    }

    private static HandshakeResult Decide(string request, OcppTransportOptions? options = null) =>
        WebSocketHandshake.Decide(Encoding.Latin1.GetBytes(request), options ?? new OcppTransportOptions());

    /// <summary>
    /// A well-formed 1.6 upgrade request. Each override replaces the header of that name (null removes it),
    /// or adds a header when the name is new or was already overridden.
    /// </summary>
    private static string Request(string requestLine, params (string Name, string? Value)[] overrides)
    {
        var headers = new List<(string Name, string Value)>
        {
            ("Host", "csms.example.com"),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", RfcKey),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Protocol", "ocpp1.6"),
        };
        var replaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string? value) in overrides)
        {
            int at = headers.FindIndex(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0 && replaced.Add(name))
            {
                headers.RemoveAt(at);
                if (value is not null)
                {
                    headers.Insert(at, (name, value));
                }
            }
            else if (value is not null)
            {
                headers.Add((name, value));
            }
        }

        var text = new StringBuilder(requestLine).Append("\r\n");
        foreach ((string name, string value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }
}

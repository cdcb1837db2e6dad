using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EvCloud.Fast.Ocpp.Transport;

/// <summary>The decision on an upgrade request: either 101 with a negotiated protocol, or an HTTP error.</summary>
public sealed class HandshakeResult
{
    private HandshakeResult(int statusCode, string reason, string? chargePointId, OcppVersion version, string? protocol, string? acceptKey, string? authorization)
    {
        StatusCode = statusCode;
        Reason = reason;
        ChargePointId = chargePointId;
        Version = version;
        Protocol = protocol;
        AcceptKey = acceptKey;
        Authorization = authorization;
    }

    /// <summary>101 when the upgrade is accepted, else the HTTP status to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>Why the request was refused (sent as the plain-text body), or "Switching Protocols".</summary>
    public string Reason { get; }

    /// <summary>The percent-decoded, validated charge point id.</summary>
    public string? ChargePointId { get; }

    /// <summary>The negotiated protocol version.</summary>
    public OcppVersion Version { get; }

    /// <summary>The negotiated subprotocol token, echoed in <c>Sec-WebSocket-Protocol</c>.</summary>
    public string? Protocol { get; }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value.</summary>
    public string? AcceptKey { get; }

    /// <summary>The raw <c>Authorization</c> header, if any (security profiles 1 and 2).</summary>
    public string? Authorization { get; }

    /// <summary>Whether the upgrade is accepted.</summary>
    public bool Accepted => StatusCode == 101;

    internal static HandshakeResult Fail(int statusCode, string reason) => new(statusCode, reason, null, OcppVersion.None, null, null, null);

    internal static HandshakeResult Accept(string id, OcppVersion version, string protocol, string acceptKey, string? authorization) =>
        new(101, "Switching Protocols", id, version, protocol, acceptKey, authorization);
}

/// <summary>
/// Parses and decides the HTTP/1.1 upgrade request of an OCPP-J connection (RFC 6455 §4.2.1, OCPP-J 1.6 §3,
/// OCPP 2.0.1 Part 4 §3). Runs once per connection, so it favours clarity over zero allocation.
/// </summary>
public static class WebSocketHandshake
{
    private static readonly byte[] Utf8HeaderEnd = "\r\n\r\n"u8.ToArray();
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Maximum length of a charge point id (OCPP 2.0.1 Part 4 §3.1.1: identity string of at most 48 characters).</summary>
    public const int MaxChargePointIdLength = 48;

    /// <summary>
    /// Finds the end of the request head (<c>\r\n\r\n</c>). Returns false while incomplete;
    /// <paramref name="tooLarge"/> is set once the head cannot fit in <paramref name="maxBytes"/>.
    /// </summary>
    public static bool TryFindEnd(in ReadOnlySequence<byte> buffer, int maxBytes, out SequencePosition end, out bool tooLarge)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, Utf8HeaderEnd, advancePastDelimiter: true))
        {
            end = reader.Position;
            tooLarge = reader.Consumed > maxBytes;
            return !tooLarge;
        }

        end = default;
        tooLarge = buffer.Length >= maxBytes;
        return false;
    }

    /// <summary>Decides the upgrade from the request head (everything before the blank line).</summary>
    public static HandshakeResult Decide(ReadOnlySpan<byte> head, OcppTransportOptions options)
    {
        string text;
        try
        {
            text = Encoding.Latin1.GetString(head);
        }
        catch (ArgumentException)
        {
            return HandshakeResult.Fail(400, "Malformed request");
        }

        string[] lines = text.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return HandshakeResult.Fail(400, "Malformed request line");
        }

        // RFC 6455 §4.1: "The method of the request MUST be GET, and the HTTP version MUST be at least 1.1."
        // HTTP/1.0 has no Upgrade mechanism; a 1.0 peer would not keep the connection open for frames.
        if (requestLine[2] == "HTTP/1.0")
        {
            return HandshakeResult.Fail(400, "WebSocket upgrades need HTTP/1.1");
        }

        if (requestLine[0] != "GET")
        {
            return HandshakeResult.Fail(405, "Only GET upgrades to a WebSocket");
        }

        string? upgrade = null, connection = null, key = null, version = null, authorization = null;
        var protocols = new List<string>();
        bool sawProtocolHeader = false;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return HandshakeResult.Fail(400, "Malformed header line");
            }

            string name = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)) upgrade = value;
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) connection = connection is null ? value : connection + "," + value;
            else if (name.Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 6455 §11.3.1: Sec-WebSocket-Key "MUST NOT appear more than once in an HTTP request".
                if (key is not null)
                {
                    return HandshakeResult.Fail(400, "Sec-WebSocket-Key must appear once");
                }

                key = value;
            }
            else if (name.Equals("Sec-WebSocket-Version", StringComparison.OrdinalIgnoreCase)) version = value;
            else if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
            else if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            {
                sawProtocolHeader = true;
                foreach (string token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    protocols.Add(token);
                }
            }
        }

        if (upgrade is null || !HasToken(upgrade, "websocket") || connection is null || !HasToken(connection, "upgrade"))
        {
            return HandshakeResult.Fail(400, "Not a WebSocket upgrade request");
        }

        if (version != "13")
        {
            return HandshakeResult.Fail(426, "Sec-WebSocket-Version must be 13");
        }

        if (key is null || !IsValidKey(key))
        {
            return HandshakeResult.Fail(400, "Missing or invalid Sec-WebSocket-Key");
        }

        string? id = ParseChargePointId(requestLine[1], options.PathPrefix, out string? idError);
        if (id is null)
        {
            return HandshakeResult.Fail(idError == "not found" ? 404 : 400, "Invalid charge point id: " + idError);
        }

        if (!sawProtocolHeader && options.AssumeProtocolWhenMissing is { } assumed)
        {
            protocols.Add(assumed);
        }

        string[] enabled = options.EnabledProtocols.Length > 0 ? options.EnabledProtocols : OcppTransportOptions.DefaultProtocols;
        foreach (string offered in protocols)
        {
            if (Array.IndexOf(enabled, offered) >= 0 && ProtocolVersion(offered) is var v && v != OcppVersion.None)
            {
                return HandshakeResult.Accept(id, v, offered, ComputeAccept(key), authorization);
            }
        }

        return HandshakeResult.Fail(400, sawProtocolHeader
            ? "No common OCPP subprotocol; this server speaks " + string.Join(", ", enabled)
            : "Sec-WebSocket-Protocol is required; this server speaks " + string.Join(", ", enabled));
    }

    /// <summary>Maps a subprotocol token to its version.</summary>
    public static OcppVersion ProtocolVersion(string token) => token switch
    {
        "ocpp1.6" => OcppVersion.Ocpp16,
        "ocpp2.0.1" => OcppVersion.Ocpp201,
        "ocpp2.1" => OcppVersion.Ocpp21,
        _ => OcppVersion.None,
    };

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a key (§4.2.2 step 5.4).</summary>
    public static string ComputeAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));

    /// <summary>
    /// Extracts and validates the charge point id: the single path segment after the prefix, percent-decoded
    /// as UTF-8, 1–48 printable ASCII characters (no spaces or control characters). A query string is ignored.
    /// </summary>
    public static string? ParseChargePointId(string target, string prefix, out string? error)
    {
        int query = target.IndexOf('?', StringComparison.Ordinal);
        string path = query >= 0 ? target[..query] : target;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            error = "not found";
            return null;
        }

        string raw = path[prefix.Length..];
        if (raw.Length == 0 || raw.Contains('/', StringComparison.Ordinal))
        {
            error = "expected " + prefix + "{chargePointId}";
            return null;
        }

        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                continue;
            }

            // RFC 3986 §2.1: '%' must be followed by two hex digits (UnescapeDataString would keep it as is).
            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
            {
                error = "bad percent-encoding";
                return null;
            }

            // NOTE: checked before decoding, because UnescapeDataString leaves bytes that are not UTF-8 escaped:
            // "%FF" would pass as the id "%FF", which is the id of the charger that connects as "%25FF".
            char escaped = (char)byte.Parse(raw.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (escaped == '/')
            {
                // An encoded slash would make two path segments one id.
                error = "expected " + prefix + "{chargePointId}";
                return null;
            }

            if (escaped is < '!' or > '~')
            {
                error = "only printable ASCII characters are allowed";
                return null;
            }
        }

        string decoded = Uri.UnescapeDataString(raw);

        if (decoded.Length is 0 or > MaxChargePointIdLength)
        {
            error = "length must be 1 to 48 characters";
            return null;
        }

        // RFC 3986 §5.2.4: "." and ".." are dot-segments that proxies and clients remove or resolve, so a charger
        // with such an id could never be addressed (nor its data directory and REST path told apart from the parent).
        if (decoded is "." or "..")
        {
            error = "'.' and '..' are not charge point ids";
            return null;
        }

        foreach (char c in decoded)
        {
            if (c is < '!' or > '~')
            {
                error = "only printable ASCII characters are allowed";
                return null;
            }
        }

        error = null;
        return decoded;
    }

    /// <summary>Writes the 101 response (§4.2.2).</summary>
    public static byte[] SwitchingProtocols(HandshakeResult result) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: " + result.AcceptKey + "\r\n" +
        "Sec-WebSocket-Protocol: " + result.Protocol + "\r\n\r\n");

    /// <summary>Writes an HTTP error response that closes the connection; <paramref name="extraHeaders"/> are complete CRLF-terminated lines.</summary>
    public static byte[] ErrorResponse(int statusCode, string reason, string? extraHeaders = null)
    {
        byte[] body = Encoding.UTF8.GetBytes(reason);
        string status = statusCode switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            426 => "Upgrade Required",
            429 => "Too Many Requests",
            431 => "Request Header Fields Too Large",
            503 => "Service Unavailable",
            _ => "Error",
        };
        string extra = (statusCode == 426 ? "Sec-WebSocket-Version: 13\r\n" : statusCode == 405 ? "Allow: GET\r\n" : "") + extraHeaders;
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {statusCode} {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n{extra}Connection: close\r\n\r\n");
        return [.. head, .. body];
    }

    private static bool HasToken(string headerValue, string token)
    {
        foreach (string part in headerValue.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidKey(string key)
    {
        // §4.1: a base64-encoded 16-byte nonce, hence 24 characters.
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int n) && n == 16;
    }
}

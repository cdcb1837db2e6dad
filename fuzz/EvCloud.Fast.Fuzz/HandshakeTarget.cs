using System.Buffers;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Fuzz;

/// <summary>
/// The HTTP/1.1 upgrade request as the connection handler reads it: <see cref="WebSocketHandshake.TryFindEnd"/> over
/// the bytes received (whole, and split in two as a second read delivers them), then
/// <see cref="WebSocketHandshake.Decide"/> on the head and the response the handler would write.
/// </summary>
/// <remarks>
/// Expected: every refusal is an HTTP status (400, 404, 405, 426; 431 from TryFindEnd). A crash: any exception,
/// the two reads disagreeing on where the head ends, an accepted upgrade whose charge point id, protocol or accept
/// key breaks the rules the handshake promises, or a status outside that list.
/// </remarks>
public sealed class HandshakeTarget : IFuzzTarget
{
    private static readonly OcppTransportOptions Strict = new();
    private static readonly OcppTransportOptions Lenient = new() { AssumeProtocolWhenMissing = "ocpp1.6", EnabledProtocols = ["ocpp1.6", "ocpp2.0.1"] };

    public string Name => "handshake";

    public void Run(ReadOnlySpan<byte> input)
    {
        int max = Strict.MaxHandshakeBytes;
        var whole = new ReadOnlySequence<byte>(input.ToArray());
        bool found = WebSocketHandshake.TryFindEnd(whole, max, out SequencePosition end, out bool tooLarge);
        ReadOnlySequence<byte> split = Segments.Split(input, input.Length / 2);
        bool foundSplit = WebSocketHandshake.TryFindEnd(split, max, out SequencePosition endSplit, out bool tooLargeSplit);
        if (found != foundSplit || tooLarge != tooLargeSplit || (found && whole.GetOffset(end) != split.GetOffset(endSplit)))
        {
            throw new FuzzInvariantException($"TryFindEnd disagrees with itself over one and two segments: {found}/{tooLarge} vs {foundSplit}/{tooLargeSplit}");
        }

        if (!found)
        {
            return; // 431 when too large, else the handler waits for more bytes
        }

        byte[] head = whole.Slice(0, end).ToArray();
        Check(WebSocketHandshake.Decide(head, Strict), Strict);
        Check(WebSocketHandshake.Decide(head, Lenient), Lenient);
    }

    private static void Check(HandshakeResult result, OcppTransportOptions options)
    {
        if (!result.Accepted)
        {
            if (result.StatusCode is not (400 or 404 or 405 or 426))
            {
                throw new FuzzInvariantException("Unexpected status " + result.StatusCode);
            }

            _ = WebSocketHandshake.ErrorResponse(result.StatusCode, result.Reason);
            return;
        }

        string id = result.ChargePointId ?? throw new FuzzInvariantException("Accepted without a charge point id");
        if (id.Length is 0 or > WebSocketHandshake.MaxChargePointIdLength || id.Any(c => c is < '!' or > '~'))
        {
            throw new FuzzInvariantException("Accepted an invalid charge point id: " + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(id)));
        }

        string[] enabled = options.EnabledProtocols.Length > 0 ? options.EnabledProtocols : OcppTransportOptions.DefaultProtocols;
        if (result.Protocol is null || Array.IndexOf(enabled, result.Protocol) < 0 || result.Version == OcppVersion.None)
        {
            throw new FuzzInvariantException("Accepted a protocol that is not enabled: " + result.Protocol);
        }

        if (result.AcceptKey is not { Length: 28 })
        {
            throw new FuzzInvariantException("Sec-WebSocket-Accept is not a base64 SHA-1: " + result.AcceptKey);
        }

        _ = WebSocketHandshake.SwitchingProtocols(result);
    }
}

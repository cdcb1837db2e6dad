using System.Buffers;
using System.Buffers.Text;
using System.Text;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// One masked client text frame, encoded once. A frame may hold one integer slot, written as
/// <c>{n}</c> in the template and kept 10 bytes wide (digits, then JSON whitespace), so a transaction id
/// learnt at run time is patched into the masked bytes in place: the frame never changes length and
/// patching allocates nothing.
/// </summary>
public sealed class ClientFrame
{
    private const string Slot = "{n}";
    private const int SlotWidth = 10; // int.MaxValue has 10 digits

    private readonly byte[] _bytes;
    private readonly uint _maskKey;
    private readonly int _payloadOffset;
    private readonly int _slotOffset = -1;

    private ClientFrame(string name, byte[] bytes, uint maskKey, int payloadOffset, int slotOffset, int payloadLength)
    {
        Name = name;
        _bytes = bytes;
        _maskKey = maskKey;
        _payloadOffset = payloadOffset;
        _slotOffset = slotOffset;
        PayloadLength = payloadLength;
    }

    /// <summary>The OCPP action, for reports.</summary>
    public string Name { get; }

    /// <summary>The whole frame as it goes on the wire: header, mask key, masked payload.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Length of the OCPP-J message inside the frame.</summary>
    public int PayloadLength { get; }

    /// <summary>
    /// Encodes <paramref name="json"/> as a masked text frame (RFC 6455 §5.3). At most one <c>{n}</c> in it
    /// becomes a patchable integer, initially 0.
    /// </summary>
    public static ClientFrame Text(string name, string json, uint maskKey = 0x5a3c_9e17)
    {
        int slot = json.IndexOf(Slot, StringComparison.Ordinal);
        string plain = slot < 0 ? json : json[..slot] + "0" + new string(' ', SlotWidth - 1) + json[(slot + Slot.Length)..];
        byte[] payload = Encoding.UTF8.GetBytes(plain);
        int slotOffset = slot < 0 ? -1 : Encoding.UTF8.GetByteCount(json.AsSpan(0, slot));
        var writer = new ArrayBufferWriter<byte>(payload.Length + WebSocketFrameWriter.MaxClientHeaderLength);
        WebSocketFrameWriter.WriteClientFrame(writer, WebSocketOpcode.Text, payload, maskKey);
        int payloadOffset = writer.WrittenCount - payload.Length;
        return new ClientFrame(name, writer.WrittenSpan.ToArray(), maskKey, payloadOffset, slotOffset, payload.Length);
    }

    /// <summary>Writes <paramref name="value"/> into the frame's slot, masked as the rest of the payload.</summary>
    public void SetNumber(int value)
    {
        if (_slotOffset < 0)
        {
            throw new InvalidOperationException(Name + " has no number slot");
        }

        Span<byte> plain = stackalloc byte[SlotWidth];
        plain.Fill((byte)' ');
        if (!Utf8Formatter.TryFormat(value, plain, out _))
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        Span<byte> masked = _bytes.AsSpan(_payloadOffset + _slotOffset, SlotWidth);
        for (int i = 0; i < SlotWidth; i++)
        {
            // The mask byte of payload byte j is byte (j mod 4) of the key, lowest first (§5.3).
            int j = _slotOffset + i;
            masked[i] = (byte)(plain[i] ^ (byte)(_maskKey >> ((j & 3) * 8)));
        }
    }

    /// <summary>The OCPP-J message, unmasked (a copy; for setup and assertions).</summary>
    public byte[] UnmaskedPayload()
    {
        byte[] payload = _bytes.AsSpan(_payloadOffset, PayloadLength).ToArray();
        WebSocketFrameReader.UnmaskSpan(payload, _maskKey, 0);
        return payload;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

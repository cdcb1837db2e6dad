using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Tests.TestSupport;

/// <summary>OCPP-J messages and the masked client frames that carry them, as a charger puts them on the wire.</summary>
internal static class WireSamples
{
    /// <summary>The masking key of RFC 6455 §5.7's examples (bytes 37 fa 21 3d on the wire).</summary>
    public const uint MaskKey = 0x3d21fa37;

    // OCPP-J 1.6 §4.2.1's CALL example.
    public const string BootNotification =
        """[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]""";

    public const string StatusNotification =
        """[2,"2f1c3a9e-6b0d-4c41-9a57-5e1d2c3b4a10","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-03-01T08:20:00Z"}]""";

    // Four sampled values: the energy register, power, and a current and a voltage per phase.
    public const string MeterValues =
        """[2,"7","MeterValues",{"connectorId":1,"transactionId":184467,"meterValue":[{"timestamp":"2024-03-01T08:30:00.000Z","sampledValue":[""" +
        """{"value":"12345.67","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"kWh"},""" +
        """{"value":"7360","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},""" +
        """{"value":"16.02","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},""" +
        """{"value":"231.4","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"}]}]}]""";

    /// <summary>A DataTransfer CALL of exactly <paramref name="length"/> bytes (at least 64).</summary>
    public static string DataTransfer(int length)
    {
        const string Head = "[2,\"9\",\"DataTransfer\",{\"vendorId\":\"com.vendorx\",\"data\":\"";
        const string Tail = "\"}]";
        return Head + new string('x', length - Head.Length - Tail.Length) + Tail;
    }

    /// <summary>A masked client frame (RFC 6455 §5.3) carrying <paramref name="payload"/>.</summary>
    public static byte[] ClientFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, uint maskKey = MaskKey, bool fin = true)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteClientFrame(output, opcode, payload, maskKey, fin);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A masked text frame carrying an OCPP-J message.</summary>
    public static byte[] TextFrame(string message, uint maskKey = MaskKey) =>
        ClientFrame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(message), maskKey);

    /// <summary>The payload of a Close frame: the status code, big-endian, then the UTF-8 reason (§5.5.1).</summary>
    public static byte[] ClosePayload(ushort code, string reason)
    {
        byte[] payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }

    /// <summary>Bytes from a hex string such as <c>"81 85 37fa213d"</c> (spaces ignored).</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}

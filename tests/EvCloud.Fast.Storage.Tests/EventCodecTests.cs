using System.Buffers;
using System.Text;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;
using MessagePack;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

public class EventCodecTests
{
    private const string Cp = "CP-Zürich-東京-01";

    [Fact]
    public void ChargerBooted_RoundTrips_WithNonAsciiTextAndAbsentOptionals()
    {
        var bytes = Encode(w => EventWriter.WriteChargerBooted(
            w, 1_700_000_000_123, U(Cp), 201, 2, new ChargerIdentity("Ünïcode ⚡ GmbH", "Modèle", "SN", null, "v1", "", "262011234567890", null, "MSN")));

        var decoded = Assert.IsType<ChargerBooted>(EventReader.Decode(bytes));

        // An empty field is absent, as it always was: it is stored as nil and reads back as null.
        Assert.Equal(
            new ChargerBooted(1_700_000_000_123, Cp, 201, 2, new ChargerIdentity("Ünïcode ⚡ GmbH", "Modèle", "SN", null, "v1", null, "262011234567890", null, "MSN")),
            decoded);
        Assert.Equal(DomainEventKind.ChargerBooted, decoded.Kind);
    }

    // Two ChargerBooted entries as the writer stored them before the boot fields became one type (the nine fields as
    // UTF-8 spans): all nine present, and a 2.0.1 boot with most of them absent (nil).
    private const string BootedAllFieldsStored =
        "9F0101CF0000018BCFE5687BA443502D311001A441636D65A7466173742D3232A4534E2D31A5424F582D31A5312E322E33A438393331A432363230A24143A54D534E2D31";

    private const string BootedFewFieldsStored =
        "9F0101CF0000018BCFE569C8A443532D32CCC902A441636D65A7466173742D3232C0C0A5322E302E31C0C0C0C0";

    [Fact]
    public void ChargerBooted_StoredByEarlierVersions_DecodesIntoTheIdentity()
    {
        Assert.Equal(
            new ChargerBooted(1_700_000_000_123, "CP-1", 16, 1, new ChargerIdentity("Acme", "Fast-22", "SN-1", "BOX-1", "1.2.3", "8931", "2620", "AC", "MSN-1")),
            EventReader.Decode(Convert.FromHexString(BootedAllFieldsStored)));
        Assert.Equal(
            new ChargerBooted(1_700_000_000_456, "CS-2", 201, 2, new ChargerIdentity("Acme", "Fast-22", null, null, "2.0.1", null, null, null, null)),
            EventReader.Decode(Convert.FromHexString(BootedFewFieldsStored)));
    }

    [Fact]
    public void ChargerBooted_IsStoredByteForByteAsEarlierVersionsStoredIt()
    {
        Assert.Equal(
            BootedAllFieldsStored,
            Convert.ToHexString(Encode(w => EventWriter.WriteChargerBooted(
                w, 1_700_000_000_123, "CP-1"u8, 16, 1, new ChargerIdentity("Acme", "Fast-22", "SN-1", "BOX-1", "1.2.3", "8931", "2620", "AC", "MSN-1")))));
        Assert.Equal(
            BootedFewFieldsStored,
            Convert.ToHexString(Encode(w => EventWriter.WriteChargerBooted(
                w, 1_700_000_000_456, "CS-2"u8, 201, 2, new ChargerIdentity("Acme", "Fast-22", null, null, "2.0.1", null, null, null, null)))));
    }

    [Fact]
    public async Task ChargerBooted_StoredByEarlierVersions_ReplaysIntoTheChargersState()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));

        storage.AppendAndApply(Convert.FromHexString(BootedAllFieldsStored));

        ChargerSnapshot charger = storage.State.GetCharger("CP-1")!;
        Assert.Equal(new ChargerIdentity("Acme", "Fast-22", "SN-1", "BOX-1", "1.2.3", "8931", "2620", "AC", "MSN-1"), charger.Identity);
        Assert.Equal(1, charger.BootCount);
    }

    [Fact]
    public void ConnectionEvents_RoundTrip()
    {
        Assert.Equal(
            new ChargerConnected(1, Cp, 16, "10.0.0.7:51234"),
            EventReader.Decode(Encode(w => EventWriter.WriteChargerConnected(w, 1, U(Cp), 16, "10.0.0.7:51234"u8))));
        Assert.Equal(
            new ChargerConnected(1, Cp, 16, null),
            EventReader.Decode(Encode(w => EventWriter.WriteChargerConnected(w, 1, U(Cp), 16, default))));
        Assert.Equal(
            new ChargerDisconnected(2, Cp, 1006),
            EventReader.Decode(Encode(w => EventWriter.WriteChargerDisconnected(w, 2, U(Cp), 1006))));
    }

    [Fact]
    public void StatusChanged_RoundTrips_WithMaximumLengthFields()
    {
        var info = new string('i', 50);
        var vendorId = new string('v', 255);
        var bytes = Encode(w => EventWriter.WriteStatusChanged(w, 10, U(Cp), 2, 7, 3, U(info), U(vendorId), U("E-42"), 9));

        Assert.Equal(new StatusChanged(10, Cp, 2, 7, 3, info, vendorId, "E-42", 9), EventReader.Decode(bytes));
    }

    [Fact]
    public void AuthorizeAndNotification_RoundTrip()
    {
        Assert.Equal(
            new AuthorizeRequested(5, Cp, "04A2B3C4D5E6F7", 1),
            EventReader.Decode(Encode(w => EventWriter.WriteAuthorizeRequested(w, 5, U(Cp), "04A2B3C4D5E6F7"u8, 1))));
        Assert.Equal(
            new ChargerNotification(6, Cp, "FirmwareStatusNotification", "{\"status\":\"Installed\"}"),
            EventReader.Decode(Encode(w => EventWriter.WriteChargerNotification(
                w, 6, U(Cp), "FirmwareStatusNotification"u8, "{\"status\":\"Installed\"}"u8))));
    }

    [Fact]
    public void TransactionEvents_RoundTrip_WithExactFractionalEnergy()
    {
        var idToken = new string('T', 36);
        Assert.Equal(
            new TransactionStarted(7, Cp, 42, 1, idToken, 12_345_600, 7, -1, 1),
            EventReader.Decode(Encode(w => EventWriter.WriteTransactionStarted(w, 7, U(Cp), 42, 1, U(idToken), 12_345_600, 7, -1, 1))));

        const string meterValue = "[{\"timestamp\":\"2025-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":\"12.3456\",\"unit\":\"kWh\"}]}]";
        Assert.Equal(
            new MeterSampled(8, Cp, 42, 1, 8, 12_345_600, meterValue),
            EventReader.Decode(Encode(w => EventWriter.WriteMeterSampled(w, 8, U(Cp), 42, 1, 8, 12_345_600, U(meterValue)))));
        Assert.Equal(
            new MeterSampled(8, Cp, -1, 0, 8, -1, null),
            EventReader.Decode(Encode(w => EventWriter.WriteMeterSampled(w, 8, U(Cp), -1, 0, 8, -1, default))));

        Assert.Equal(
            new TransactionEnded(9, Cp, 42, 20_000_001, 9, "EVDisconnected", null, "[{\"sampledValue\":[]}]"),
            EventReader.Decode(Encode(w => EventWriter.WriteTransactionEnded(
                w, 9, U(Cp), 42, 20_000_001, 9, "EVDisconnected"u8, default, "[{\"sampledValue\":[]}]"u8))));
    }

    [Fact]
    public void ChargerId_OfMaximumLength_RoundTrips()
    {
        var id = new string('x', StorageLimits.MaxChargerIdBytes);

        var decoded = EventReader.Decode(Encode(w => EventWriter.WriteChargerDisconnected(w, 1, U(id), 1000)));

        Assert.Equal(id, decoded.ChargerId);
    }

    [Theory]
    [InlineData(0)] // empty: no charger to attribute the event to
    [InlineData(StorageLimits.MaxChargerIdBytes + 1)] // longer than the key the state store can hold
    public void Writer_RejectsChargerIds_OutsideTheKeyLimit(int length)
    {
        var id = new byte[length];
        Array.Fill(id, (byte)'a');

        Assert.Throws<ArgumentException>(() => EventWriter.WriteChargerDisconnected(new ArrayBufferWriter<byte>(), 1, id, 1000));
    }

    [Theory]
    [InlineData(new byte[] { 0x93, 0x01, 0x01, 0x00 })] // array of 3: shorter than the 4-element header
    [InlineData(new byte[] { 0x94, 0x63, 0x01, 0x00, 0xA1, 0x41 })] // kind 99 does not exist
    [InlineData(new byte[] { 0x94, 0x04, 0x01, 0x00, 0xA1, 0x41 })] // StatusChanged with no fields after the header
    public void Decode_RejectsMalformedEntries(byte[] bytes)
    {
        Assert.Throws<MessagePackSerializationException>(() => EventReader.Decode(bytes));
    }

    [Fact]
    public void Encoding_IsTheDocumentedArrayLayout()
    {
        var bytes = Encode(w => EventWriter.WriteChargerDisconnected(w, 5, "A"u8, 1000));
        var reader = new MessagePackReader(bytes);

        Assert.Equal(5, reader.ReadArrayHeader());
        Assert.Equal((byte)DomainEventKind.ChargerDisconnected, reader.ReadByte());
        Assert.Equal(1, reader.ReadByte());
        Assert.Equal(5, reader.ReadInt64());
        Assert.Equal("A", reader.ReadString());
        Assert.Equal(1000, reader.ReadInt32());
        Assert.Equal(Encoding.UTF8.GetBytes("A"), Encoding.UTF8.GetBytes(EventReader.Decode(bytes).ChargerId));
    }
}

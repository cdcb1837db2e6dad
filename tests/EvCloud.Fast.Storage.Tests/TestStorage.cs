using System.Buffers;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Storage.Tests;

/// <summary>Small sizes so tests open fast, and encoders that return the bytes.</summary>
internal static class TestStorage
{
    public static StorageOptions Options(string directory) => EvCloud.Fast.Tests.Shared.SmallStorage.Options(directory);

    public static EventLog OpenLog(string directory) =>
        EventLog.Open(new EventLogOptions { DataDirectory = directory, PageSize = 1 << 16, MemorySize = 1 << 20, SegmentSize = 1 << 22 });

    public static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Booted(string chargerId, long ts = 1_000) => Encode(w => EventWriter.WriteChargerBooted(
        w, ts, U(chargerId), 16, 1, new ChargerIdentity("ACME", "Fast-22", "SN1", null, "1.2.3", null, null, null, null)));

    public static byte[] Status(string chargerId, int connectorId, byte status, long ts = 2_000) => Encode(w => EventWriter.WriteStatusChanged(
        w, ts, U(chargerId), connectorId, status, 0, default, default, default, ts));

    public static byte[] Started(string chargerId, int transactionId, int connectorId, long meterStart, long ts = 3_000) =>
        Encode(w => EventWriter.WriteTransactionStarted(w, ts, U(chargerId), transactionId, connectorId, "TAG-1"u8, meterStart, ts, -1, 1));

    public static byte[] Sampled(string chargerId, int transactionId, int connectorId, long energy, long ts = 4_000) =>
        Encode(w => EventWriter.WriteMeterSampled(w, ts, U(chargerId), transactionId, connectorId, ts, energy, "[]"u8));

    public static byte[] Ended(string chargerId, int transactionId, long meterStop, long ts = 5_000) =>
        Encode(w => EventWriter.WriteTransactionEnded(w, ts, U(chargerId), transactionId, meterStop, ts, "Local"u8, default, default));

    public static byte[] U(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}

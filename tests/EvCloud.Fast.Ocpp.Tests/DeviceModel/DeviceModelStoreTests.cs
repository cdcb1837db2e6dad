using System.Text;
using EvCloud.Fast.Ocpp.DeviceModel;
using EvCloud.Fast.Ocpp.Tests.Security;

namespace EvCloud.Fast.Ocpp.Tests.DeviceModel;

public sealed class DeviceModelStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evc-dm-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTime _time = new();
    private readonly DeviceModelStore _store;

    public DeviceModelStoreTests() => _store = new DeviceModelStore(_directory, _time);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AReportInParts_CompletesIntoTheModel()
    {
        Assert.False(_store.Accept("CS-1", Part(7, 0, tbc: true, "Model")));
        Assert.True(_store.Accept("CS-1", Part(7, 1, tbc: false, "Vendor")));

        Assert.Equal(2, _store.Get("CS-1")!.Entries.Count);
        Assert.Equal(default, _store.PendingOf("CS-1"));
    }

    [Fact]
    public void AReportThatStopsHalfway_Expires_AndItsLatePartsNeverComplete()
    {
        Assert.False(_store.Accept("CS-1", Part(1, 0, tbc: true, "Model")));
        _time.Advance(DeviceModelStore.PendingTimeout + TimeSpan.FromSeconds(1));

        Assert.False(_store.Accept("CS-1", Part(1, 1, tbc: false, "Vendor"))); // part 0 expired with its report

        Assert.Null(_store.Get("CS-1"));
        Assert.Equal(1, _store.PendingOf("CS-1").Parts);
    }

    [Fact]
    public void AtMostFourReportsAreInProgress_ANewOnePushesOutTheOldest()
    {
        for (int requestId = 1; requestId <= 5; requestId++)
        {
            Assert.False(_store.Accept("CS-1", Part(requestId, 0, tbc: true, "Model")));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(DeviceModelStore.MaxPendingReports, _store.PendingOf("CS-1").Reports);
        Assert.False(_store.Accept("CS-1", Part(1, 1, tbc: false, "Vendor"))); // report 1 was pushed out
        Assert.True(_store.Accept("CS-1", Part(5, 1, tbc: false, "Vendor")));
    }

    [Fact]
    public void TheBytesHeldPerStation_StayUnderTheBound_AndAReportTooLargeAloneIsAbandoned()
    {
        string padding = new('x', 200_000);
        for (int seqNo = 0; seqNo < 40; seqNo++)
        {
            Assert.False(_store.Accept("CS-1", Part(9, seqNo, tbc: true, "Model", padding)));
            Assert.InRange(_store.PendingOf("CS-1").Bytes, 0, DeviceModelStore.MaxPendingBytes);
        }

        Assert.False(_store.Accept("CS-1", Part(9, 40, tbc: false, "Vendor")));
        Assert.Null(_store.Get("CS-1"));
    }

    [Fact]
    public void AnotherStationsParts_DoNotCountAgainstThisOne()
    {
        string padding = new('x', 200_000);
        for (int seqNo = 0; seqNo < 15; seqNo++)
        {
            _store.Accept("CS-BIG", Part(1, seqNo, tbc: true, "Model", padding));
        }

        Assert.False(_store.Accept("CS-1", Part(1, 0, tbc: true, "Model", padding)));
        Assert.True(_store.Accept("CS-1", Part(1, 1, tbc: false, "Vendor")));
    }

    [Theory]
    [InlineData(-1)] // seqNo starts at 0 (2.0.1 NotifyReportRequest)
    [InlineData(DeviceModelStore.MaxPendingParts)] // a report with more parts than a station may hold can never complete
    [InlineData(int.MaxValue)] // LastSeqNo + 1 would overflow
    public void APartThatCanNeverCompleteAReport_IsNotHeld(int seqNo)
    {
        Assert.False(_store.Accept("CS-1", Part(3, seqNo, tbc: true, "Model")));

        Assert.Equal(0, _store.PendingOf("CS-1").Parts);
    }

    [Fact]
    public void ForgetPending_DropsEverythingInProgress()
    {
        _store.Accept("CS-1", Part(1, 0, tbc: true, "Model"));
        _store.Accept("CS-1", Part(2, 0, tbc: true, "Model"));

        _store.ForgetPending("CS-1");

        Assert.Equal(default, _store.PendingOf("CS-1"));
        Assert.False(_store.Accept("CS-1", Part(1, 1, tbc: false, "Vendor")));
    }

    [Fact]
    public void ARepeatedPart_ReplacesTheEarlierCopy_AndIsCountedOnce()
    {
        _store.Accept("CS-1", Part(1, 0, tbc: true, "Model"));
        long once = _store.PendingOf("CS-1").Bytes;

        _store.Accept("CS-1", Part(1, 0, tbc: true, "Model"));

        Assert.Equal((1, 1, once), _store.PendingOf("CS-1"));
    }

    private static byte[] Part(int requestId, int seqNo, bool tbc, string variable, string value = "v") => Encoding.UTF8.GetBytes(
        $$"""{"requestId":{{requestId}},"generatedAt":"2026-03-01T12:00:00Z","tbc":{{(tbc ? "true" : "false")}},"seqNo":{{seqNo}},"reportData":[{"component":{"name":"ChargingStation"},"variable":{"name":"{{variable}}"},"variableAttribute":[{"value":"{{value}}"}]}]}""");
}

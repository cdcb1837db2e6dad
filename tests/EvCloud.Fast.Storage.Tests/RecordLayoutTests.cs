using System.Runtime.CompilerServices;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Storage.Tests;

/// <summary>Record sizes are part of the memory budget documented on the records; a change must be deliberate.</summary>
public class RecordLayoutTests
{
    [Fact]
    public void RecordSizes_MatchTheDocumentedBudget()
    {
        Assert.Equal(
            "49 56 344 208 240",
            string.Join(' ', Unsafe.SizeOf<ChargerKey>(), Unsafe.SizeOf<ConnectorKey>(), Unsafe.SizeOf<ChargerRecord>(), Unsafe.SizeOf<ConnectorRecord>(), Unsafe.SizeOf<TransactionRecord>()));
    }
}

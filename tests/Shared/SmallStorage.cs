using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Tests.Shared;

/// <summary>Storage options sized for tests (small pages and index, so a store opens fast), no checkpoint during a test.</summary>
internal static class SmallStorage
{
    public static StorageOptions Options(string directory) => new()
    {
        DataDirectory = directory,
        CheckpointInterval = TimeSpan.FromMinutes(30),
        Log = new EventLogOptions { PageSize = 1 << 16, MemorySize = 1 << 20, SegmentSize = 1 << 22 },
        State = new StateStoreOptions { IndexSize = 1 << 16, PageSize = 1 << 16, MemorySize = 1 << 22, SegmentSize = 1 << 22, SessionPoolSize = 8 },
    };
}

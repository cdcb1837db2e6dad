using FASTER.core;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// The on-disk side of one FASTER KV store: its hybrid log device and its checkpoint manager,
/// which this store owns so it can purge checkpoints only after a newer commit point is written.
/// </summary>
internal sealed class StoreFiles : IDisposable
{
    private readonly DeviceLogCommitCheckpointManager _checkpoints;

    public StoreFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        Device = Devices.CreateLogDevice(Path.Combine(directory, "hlog.log"), recoverDevice: true);
        _checkpoints = new DeviceLogCommitCheckpointManager(
            new LocalStorageNamedDeviceFactory(),
            new DefaultCheckpointNamingScheme(Path.Combine(directory, "checkpoints")),
            removeOutdated: false);
    }

    public IDevice Device { get; }

    public FasterKVSettings<TKey, TValue> Settings<TKey, TValue>(StateStoreOptions options, IFasterEqualityComparer<TKey> comparer) => new()
    {
        IndexSize = options.IndexSize,
        LogDevice = Device,
        PageSize = options.PageSize,
        MemorySize = options.MemorySize,
        SegmentSize = options.SegmentSize,
        EqualityComparer = comparer,
        CheckpointManager = _checkpoints,
        RemoveOutdatedCheckpoints = false,
        TryRecoverLatest = false,
    };

    /// <summary>Deletes every index and log checkpoint except <paramref name="keep"/>.</summary>
    public void PurgeAllBut(Guid keep)
    {
        foreach (var token in _checkpoints.GetLogCheckpointTokens().Concat(_checkpoints.GetIndexCheckpointTokens()).Distinct().ToList())
        {
            if (token != keep)
            {
                _checkpoints.Purge(token);
            }
        }
    }

    public void Dispose()
    {
        _checkpoints.Dispose();
        Device.Dispose();
    }
}

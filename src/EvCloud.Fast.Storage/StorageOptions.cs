using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Storage;

/// <summary>Settings of the whole storage engine; one data directory holds the log and the state.</summary>
public sealed class StorageOptions
{
    /// <summary>Deleting this directory is a factory reset.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <inheritdoc cref="EventLogOptions.CommitInterval"/>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <inheritdoc cref="StateStoreOptions.CheckpointInterval"/>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Log sizes; its DataDirectory and CommitInterval are overridden by the values above.</summary>
    public EventLogOptions Log { get; set; } = new();

    /// <summary>State store sizes; its DataDirectory and CheckpointInterval are overridden by the values above.</summary>
    public StateStoreOptions State { get; set; } = new();
}

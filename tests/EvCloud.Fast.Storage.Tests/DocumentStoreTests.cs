using EvCloud.Fast.Storage.Events;
using static EvCloud.Fast.Storage.Tests.TestStorage;

namespace EvCloud.Fast.Storage.Tests;

public sealed class DocumentStoreTests
{
    [Fact]
    public async Task Documents_SurviveACrash_WithoutAnyCheckpoint()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        await storage.PutDocumentAsync("tokens", "TAG-1", [1, 2, 3]);
        await storage.PutDocumentAsync("tokens", "TAG-2", [4]);
        await storage.PutDocumentAsync("tokens", "TAG-1", [9]);
        await storage.DeleteDocumentAsync("tokens", "TAG-2");
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.True(reopened.Documents.TryGet("tokens", "TAG-1", out var value));
        Assert.Equal([9], value);
        Assert.False(reopened.Documents.TryGet("tokens", "TAG-2", out _));
        Assert.Equal(1, reopened.Documents.Count("tokens"));
    }

    [Fact]
    public async Task Documents_AreRebuiltFromTheCheckpointSnapshotPlusTheLaterEvents()
    {
        using var directory = new TempDirectory();
        var storage = StorageEngine.Open(Options(directory.Path));
        await storage.PutDocumentAsync("outbox", "CP1/1", [1]);
        await storage.PutDocumentAsync("outbox", "CP1/2", [2]);
        await storage.State.CheckpointAsync();
        await storage.DeleteDocumentAsync("outbox", "CP1/1");
        await storage.PutDocumentAsync("outbox", "CP1/3", [3]);
        await storage.CrashAsync();

        await using var reopened = StorageEngine.Open(Options(directory.Path));

        Assert.True(reopened.RecoveryStats.FromCheckpoint);
        Assert.Equal(2, reopened.RecoveryStats.ReplayedEvents);
        Assert.Equal(["CP1/2", "CP1/3"], reopened.Documents.List("outbox").Select(d => d.Key));
    }

    [Fact]
    public async Task Checkpoint_KeepsOneDocumentSnapshot_AndReusesItWhenNothingChanged()
    {
        using var directory = new TempDirectory();
        await using (var storage = StorageEngine.Open(Options(directory.Path)))
        {
            await storage.PutDocumentAsync("tokens", "A", [1]);
            await storage.State.CheckpointAsync();
            var first = Directory.GetFiles(Path.Combine(directory.Path, "state"), "documents-*");
            await storage.State.CheckpointAsync();
            Assert.Equal(first, Directory.GetFiles(Path.Combine(directory.Path, "state"), "documents-*"));
            await storage.PutDocumentAsync("tokens", "B", [2]);
            await storage.State.CheckpointAsync();
            var third = Directory.GetFiles(Path.Combine(directory.Path, "state"), "documents-*");
            Assert.Single(third);
            Assert.NotEqual(first, third);
        }

        await using var reopened = StorageEngine.Open(Options(directory.Path));
        Assert.Equal(0, reopened.RecoveryStats.ReplayedEvents);
        Assert.Equal(["A", "B"], reopened.Documents.List("tokens").Select(d => d.Key));
    }

    [Fact]
    public async Task DocumentAndCommandEvents_DecodeForLogConsumers()
    {
        using var directory = new TempDirectory();
        await using var storage = StorageEngine.Open(Options(directory.Path));
        await storage.PutDocumentAsync("tokens", "TAG-1", [7]);
        await storage.AppendDurableAsync(Encode(w => EventWriter.WriteCommandCompleted(
            w, 42, "CP1", "cmd-1", "Reset", "Completed", "{\"type\":\"Hard\"}", "{\"status\":\"Accepted\"}", null, null, "support-desk")));

        var events = new List<DomainEvent>();
        await foreach (var entry in storage.Log.ReadAsync(storage.Log.BeginAddress, follow: false))
        {
            events.Add(EventReader.Decode(entry.Payload));
        }

        var put = Assert.IsType<DocumentPut>(events[0]);
        Assert.Equal(("tokens", "TAG-1"), (put.Collection, put.Key));
        Assert.Equal([7], put.Value);
        var command = Assert.IsType<CommandCompleted>(events[1]);
        Assert.Equal(("CP1", "cmd-1", "Reset", "Completed"), (command.ChargerId, command.CommandId, command.Action, command.Outcome));
        Assert.Equal("{\"status\":\"Accepted\"}", command.ResponseJson);
        Assert.Null(command.ErrorCode);
        Assert.Equal("support-desk", command.Source);
    }
}

using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Tests.Infrastructure;

namespace EvCloud.Fast.Cluster.Tests;

/// <summary>Fenced ownership in the charger directory, on a real nats-server.</summary>
public sealed class DirectoryTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15); // a failure bound, never a synchronisation
    private NatsServer _server = null!;
    private TestNode _a = null!;
    private TestNode _b = null!;

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartNewAsync();
        _a = await TestNode.StartAsync(_server.Url, "gw-a");
        _b = await TestNode.StartAsync(_server.Url, "gw-b");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SimultaneousClaims_OfOneId_ByTwoGateways_EndWithExactlyOneOwner()
    {
        for (int round = 0; round < 60; round++)
        {
            // Half the rounds race on a fresh key (create), half on a key a third gateway owns (update).
            string id = "CP-RACE-" + round;
            long epochBefore = 0;
            if (round % 2 == 1)
            {
                await using TestNode c = await TestNode.StartAsync(_server.Url, "gw-c");
                Assert.True((await c.Directory.ClaimAsync(id, this, _ => { }, CancellationToken.None)).Owned);
                epochBefore = 1;
            }

            var lostA = new TaskCompletionSource<ChargerOwner>(TaskCreationOptions.RunContinuationsAsynchronously);
            var lostB = new TaskCompletionSource<ChargerOwner>(TaskCreationOptions.RunContinuationsAsynchronously);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<ClaimResult> a = Task.Run(async () => { await gate.Task; return await _a.Directory.ClaimAsync(id, this, o => lostA.TrySetResult(o), CancellationToken.None); });
            Task<ClaimResult> b = Task.Run(async () => { await gate.Task; return await _b.Directory.ClaimAsync(id, this, o => lostB.TrySetResult(o), CancellationToken.None); });
            gate.SetResult();
            ClaimResult[] results = await Task.WhenAll(a, b).WaitAsync(Bound);

            (ChargerOwner Owner, ulong Revision)? stored = await _a.Directory.GetAsync(id);
            Assert.NotNull(stored);

            // Both claims may succeed one after the other (the later one then takes over through the watch), or one
            // compare-and-set fails: either way, once both watches have seen the final write, one gateway holds it.
            await _a.Directory.WhenWatchedAsync(stored.Value.Revision).WaitAsync(Bound);
            await _b.Directory.WhenWatchedAsync(stored.Value.Revision).WaitAsync(Bound);
            bool aHolds = results[0].Owned && !lostA.Task.IsCompleted;
            bool bHolds = results[1].Owned && !lostB.Task.IsCompleted;
            Assert.True(aHolds ^ bHolds, $"round {round}: a holds {aHolds}, b holds {bHolds}");
            Assert.Equal(aHolds ? "gw-a" : "gw-b", stored.Value.Owner.NodeId);
            Assert.Equal(epochBefore + results.Count(r => r.Owned), stored.Value.Owner.Epoch);

            // The other learnt who owns it: from its failed compare-and-set, or from the watch.
            (ClaimResult result, TaskCompletionSource<ChargerOwner> lost) other = aHolds ? (results[1], lostB) : (results[0], lostA);
            Assert.Equal(stored.Value.Owner, other.result.Owned ? await other.lost.Task : other.result.Owner);
            Assert.False((aHolds ? _b : _a).Directory.Holds(id));
            Assert.True((aHolds ? _a : _b).Directory.Holds(id));
        }
    }

    [Fact]
    public async Task Takeover_ByAnotherGateway_ReachesTheStaleHolderThroughTheWatch_WithTheNewEpoch()
    {
        var lostA = new TaskCompletionSource<ChargerOwner>(TaskCreationOptions.RunContinuationsAsynchronously);
        ClaimResult first = await _a.Directory.ClaimAsync("CP-MOVE", this, o => lostA.TrySetResult(o), CancellationToken.None);
        Assert.True(first.Owned);
        Assert.Equal(1, first.Owner.Epoch);

        ClaimResult second = await _b.Directory.ClaimAsync("CP-MOVE", this, _ => { }, CancellationToken.None);
        Assert.True(second.Owned);
        Assert.Equal(new ChargerOwner("gw-b", 2), second.Owner);

        Assert.Equal(new ChargerOwner("gw-b", 2), await lostA.Task.WaitAsync(Bound));
        Assert.False(_a.Directory.Holds("CP-MOVE"));
    }

    [Fact]
    public async Task AReleasedClaim_IsNotCalledBack_WhenAnotherGatewayTakesTheChargerLater()
    {
        var lostA = new TaskCompletionSource<ChargerOwner>(TaskCreationOptions.RunContinuationsAsynchronously);
        object socket = new();
        Assert.True((await _a.Directory.ClaimAsync("CP-GONE", socket, o => lostA.TrySetResult(o), CancellationToken.None)).Owned);
        _a.Directory.Release("CP-GONE", socket);

        ClaimResult taken = await _b.Directory.ClaimAsync("CP-GONE", this, _ => { }, CancellationToken.None);
        await _a.Directory.WhenWatchedAsync(taken.Revision).WaitAsync(Bound);
        Assert.False(lostA.Task.IsCompleted);
    }

    [Fact]
    public async Task EventsStampedWithTheSupersededEpoch_AreStale_ForTheFence()
    {
        ClaimResult atA = await _a.Directory.ClaimAsync("CP-FENCE", this, _ => { }, CancellationToken.None);
        ClaimResult atB = await _b.Directory.ClaimAsync("CP-FENCE", this, _ => { }, CancellationToken.None);

        var fence = new Fence();
        Assert.Equal(FenceVerdict.Current, fence.Check("CP-FENCE", atA.Owner.Epoch));
        Assert.Equal(FenceVerdict.Current, fence.Check("CP-FENCE", atB.Owner.Epoch));
        Assert.Equal(FenceVerdict.Stale, fence.Check("CP-FENCE", atA.Owner.Epoch)); // gw-a forwarded late
        Assert.Equal(FenceVerdict.Current, fence.Check("CP-FENCE", atB.Owner.Epoch));
        Assert.Equal(FenceVerdict.Stale, fence.Check("CP-FENCE", 0)); // never owned
        Assert.Equal(FenceVerdict.Current, fence.Check("CP-OTHER", 1)); // chargers are fenced independently
        Assert.Equal(FenceVerdict.Stale, Fence.Compare(atA.Owner.Epoch, atB.Owner.Epoch));
    }

    [Fact]
    public async Task TheEpochStampedOnEvents_IsThisNodesLatestClaim_AlsoAfterARestartFromTheKeysHistory()
    {
        await _a.Directory.ClaimAsync("CP-HIST", this, _ => { }, CancellationToken.None);
        await _b.Directory.ClaimAsync("CP-HIST", this, _ => { }, CancellationToken.None);
        await _a.Directory.ClaimAsync("CP-HIST", this, _ => { }, CancellationToken.None); // epoch 3 at gw-a
        await _b.Directory.ClaimAsync("CP-HIST", this, _ => { }, CancellationToken.None); // epoch 4 at gw-b

        Assert.Equal(3, await _a.Directory.EpochForEventsAsync("CP-HIST", CancellationToken.None));
        await using TestNode restartedA = await TestNode.StartAsync(_server.Url, "gw-a");
        Assert.Equal(3, await restartedA.Directory.EpochForEventsAsync("CP-HIST", CancellationToken.None));
        Assert.Equal(0, await restartedA.Directory.EpochForEventsAsync("CP-NEVER", CancellationToken.None));
    }

    [Theory]
    [InlineData("CP-0001")]
    [InlineData("cp_1.2")]
    [InlineData("a*b>c d")] // NATS wildcards and a space: not allowed in a KV key as they are
    [InlineData("_41")] // looks like an escape
    [InlineData("~!@#$%^&()=+[]{}|;:'\",<>?/")]
    public async Task EveryPrintableChargePointId_HasItsOwnKey(string id)
    {
        string key = DirectoryKey.Encode(id);
        Assert.Matches("^[A-Za-z0-9_-]+$", key);
        Assert.Equal(id, DirectoryKey.Decode(key));
        Assert.True((await _a.Directory.ClaimAsync(id, this, _ => { }, CancellationToken.None)).Owned);
        Assert.Equal(new ChargerOwner("gw-a", 1), (await _b.Directory.GetAsync(id))!.Value.Owner);
    }
}

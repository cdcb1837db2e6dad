using System.Buffers;
using System.Text;
using EvCloud.Fast.Cluster.Forwarding;
using EvCloud.Fast.Cluster.Tests.Infrastructure;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Cluster.Tests;

/// <summary>Event forwarding from a gateway's log to JetStream, on a real nats-server.</summary>
public sealed class ForwarderTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // a failure bound, never a synchronisation
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "evcloud-tests", Guid.NewGuid().ToString("N"));
    private NatsServer _server = null!;
    private TestNode _node = null!;
    private StorageEngine _storage = null!;

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartNewAsync();
        _node = await TestNode.StartAsync(_server.Url, "gw-1");
        _storage = StorageEngine.Open(SmallStorage.Options(_dataDirectory));
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _node.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task ARestartedForwarder_ResumesFromItsPosition_WithNoLossAndNoDuplicateInTheStream()
    {
        await _node.Directory.ClaimAsync("CP-1", this, _ => { }, CancellationToken.None);
        await AppendConnectedAsync("CP-1", 0, 40);
        await _storage.PutDocumentAsync("tokens", "TAG-1", [1, 2, 3]); // a local document: not forwarded

        using (EventForwarder first = NewForwarder())
        {
            await first.StartAsync(CancellationToken.None);
            await first.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);
            await first.StopAsync(CancellationToken.None);
        }

        await AppendConnectedAsync("CP-1", 40, 60);
        using (EventForwarder second = NewForwarder())
        {
            await second.StartAsync(CancellationToken.None);
            await second.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);
            await second.StopAsync(CancellationToken.None);
            Assert.Equal(20, second.Published); // only what the first had not forwarded
            Assert.Equal(0, second.Duplicates);
        }

        IReadOnlyList<StreamedEvent> stream = await EventStream.ReadAllAsync(_node.Nats.JetStream, _node.Nats.Options.EventStream);
        AssertExactlyOnce(stream, 60);
        Assert.All(stream, e => Assert.Equal(("gw-1", 1L, "CP-1"), (e.Node, e.Epoch, e.Charger)));
        Assert.All(stream, e => Assert.Equal(EventForwarder.MessageId("gw-1", e.Address), e.MessageId));
    }

    [Fact]
    public async Task EntriesPublishedAgain_AfterACrashBeforeThePositionWasSaved_AreDroppedAsDuplicates()
    {
        await AppendConnectedAsync("CP-2", 0, 30);
        using (EventForwarder first = NewForwarder())
        {
            await first.StartAsync(CancellationToken.None);
            await first.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);
            await first.StopAsync(CancellationToken.None);
        }

        // As if the process died after JetStream acknowledged everything but before the position reached the disk.
        new ForwardingPosition(_storage.DataDirectory).Save(-1);
        await AppendConnectedAsync("CP-2", 30, 35);
        using (EventForwarder second = NewForwarder())
        {
            await second.StartAsync(CancellationToken.None);
            await second.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);
            await second.StopAsync(CancellationToken.None);
            Assert.Equal(35, second.Published);
            Assert.Equal(30, second.Duplicates);
        }

        AssertExactlyOnce(await EventStream.ReadAllAsync(_node.Nats.JetStream, _node.Nats.Options.EventStream), 35);
    }

    [Fact]
    public async Task WhileNatsIsDown_TheLogKeepsCommitting_AndForwardingCatchesUpWhenItIsBack()
    {
        using EventForwarder forwarder = NewForwarder();
        await forwarder.StartAsync(CancellationToken.None);
        await AppendConnectedAsync("CP-3", 0, 10);
        await forwarder.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);

        await _server.StopAsync();
        await AppendConnectedAsync("CP-3", 10, 50); // durable locally: chargers' answers are not held back by NATS
        long lagWhileDown = forwarder.LagBytes;
        Assert.True(lagWhileDown > 0);

        await _server.StartAsync();
        await forwarder.WaitForwardedAsync(await LastEntryAsync()).WaitAsync(Bound);
        await forwarder.StopAsync(CancellationToken.None);

        Assert.True(forwarder.LagBytes < lagWhileDown);
        AssertExactlyOnce(await EventStream.ReadAllAsync(_node.Nats.JetStream, _node.Nats.Options.EventStream), 50);
    }

    // The address of the log's last entry as a scan reports it (what the forwarder acknowledges).
    private async Task<long> LastEntryAsync()
    {
        long last = -1;
        await foreach (EvCloud.Fast.Storage.Log.LogEntry entry in _storage.Log.ReadAsync(_storage.Log.BeginAddress, follow: false))
        {
            last = entry.Address;
        }

        return last;
    }

    private EventForwarder NewForwarder() => new(_node.Nats, _node.Directory, _storage, NullLogger<EventForwarder>.Instance);

    // Appends ChargerConnected events whose remote endpoint is their number, durably.
    private async Task AppendConnectedAsync(string chargerId, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            EventWriter.WriteChargerConnected(buffer, 1_700_000_000_000 + i, Encoding.UTF8.GetBytes(chargerId), 1, Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await _storage.AppendDurableAsync(buffer.WrittenMemory);
        }
    }

    // Every event 0..count-1 once, in log order, and nothing else (no document, no duplicate).
    private static void AssertExactlyOnce(IReadOnlyList<StreamedEvent> stream, int count)
    {
        Assert.Equal(count, stream.Count);
        Assert.Equal(count, stream.Select(e => e.MessageId).Distinct().Count());
        int[] numbers = [.. stream.Select(e => int.Parse(((ChargerConnected)EventReader.Decode(e.Payload)).RemoteEndpoint!, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(Enumerable.Range(0, count), numbers);
        Assert.Equal(stream.Select(e => e.Address).Order(), stream.Select(e => e.Address));
    }
}

using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Cluster.Tests.Infrastructure;

/// <summary>One gateway's cluster side without a host: its NATS connection and its started directory.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(ClusterConnection nats, ChargerDirectory directory)
    {
        Nats = nats;
        Directory = directory;
    }

    public ClusterConnection Nats { get; }

    public ChargerDirectory Directory { get; }

    public static ClusterOptions Options(string url, string nodeId) => new()
    {
        Role = ClusterRole.Gateway,
        NodeId = nodeId,
        Nats = new ClusterNatsOptions { Url = url },
    };

    /// <summary>Connects node <paramref name="nodeId"/> and waits until its directory is open and watching.</summary>
    public static async Task<TestNode> StartAsync(string url, string nodeId)
    {
        var nats = new ClusterConnection(Options(url, nodeId), NullLoggerFactory.Instance);
        var directory = new ChargerDirectory(nats, NullLogger<ChargerDirectory>.Instance);
        directory.Start();
        await directory.Ready.WaitAsync(TimeSpan.FromSeconds(20));
        return new TestNode(nats, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Directory.DisposeAsync();
        await Nats.DisposeAsync();
    }
}

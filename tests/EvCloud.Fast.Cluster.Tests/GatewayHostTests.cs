using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Cluster.Forwarding;
using EvCloud.Fast.Cluster.Nats;
using EvCloud.Fast.Cluster.Ownership;
using EvCloud.Fast.Cluster.Tests.Infrastructure;
using EvCloud.Fast.Host;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Cluster.Tests;

/// <summary>Two real gateways (the host's composition with <c>Cluster:Role=gateway</c>) on one nats-server.</summary>
public sealed class GatewayHostTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // a failure bound, never a synchronisation
    private readonly List<(WebApplication App, string Data)> _apps = [];
    private NatsServer _server = null!;

    public async Task InitializeAsync() => _server = await NatsServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        foreach ((WebApplication app, string data) in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AChargerThatConnectsToAnotherGateway_IsClosedWith1001_OnTheGatewayItLeft()
    {
        WebApplication a = await StartGatewayAsync("gw-a");
        WebApplication b = await StartGatewayAsync("gw-b");

        using ClientWebSocket atA = await ConnectAsync(a, "CP-MOVING");
        await BootAsync(atA); // answered: the claim at gw-a is decided (ClaimTimeout is long here)
        Assert.True(a.Services.GetRequiredService<ChargerDirectory>().Holds("CP-MOVING"));

        using ClientWebSocket atB = await ConnectAsync(b, "CP-MOVING");
        await BootAsync(atB);

        WebSocketReceiveResult closed = await ReceiveAsync(atA);
        Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closed.CloseStatus); // 1001
        Assert.Equal("Connected to another gateway", closed.CloseStatusDescription);

        // gw-b serves on; the directory names it with the next epoch.
        await BootAsync(atB);
        Assert.Equal(new ChargerOwner("gw-b", 2), (await b.Services.GetRequiredService<ChargerDirectory>().GetAsync("CP-MOVING"))!.Value.Owner);
    }

    [Fact]
    public async Task AGateway_ForwardsItsChargersEvents_StampedWithItsEpoch_AndReportsNatsInReadiness()
    {
        WebApplication a = await StartGatewayAsync("gw-a");
        using ClientWebSocket charger = await ConnectAsync(a, "CP-FWD");
        await BootAsync(charger);

        EventForwarder forwarder = a.Services.GetRequiredService<EventForwarder>();
        ClusterConnection nats = a.Services.GetRequiredService<ClusterConnection>();
        long last = -1;
        await foreach (EvCloud.Fast.Storage.Log.LogEntry entry in a.Services.GetRequiredService<EvCloud.Fast.Storage.StorageEngine>().Log.ReadAsync(0, follow: false))
        {
            last = entry.Address;
        }

        await forwarder.WaitForwardedAsync(last).WaitAsync(Bound);
        IReadOnlyList<StreamedEvent> stream = await EventStream.ReadAllAsync(nats.JetStream, nats.Options.EventStream);
        Assert.Contains(stream, e => e.Charger == "CP-FWD" && e.Node == "gw-a" && e.Epoch == 1);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port(a.Services.GetRequiredService<ListenerEndpoints>().Http!)}") };
        using JsonDocument ready = JsonDocument.Parse(await http.GetStringAsync("/health/ready"));
        JsonElement check = ready.RootElement.GetProperty("checks").GetProperty("cluster.nats");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("gw-a", check.GetProperty("data").GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task WhileNatsIsDown_AGatewayStillAcceptsAndAnswersItsChargers_AndReadinessSaysDegraded()
    {
        WebApplication a = await StartGatewayAsync("gw-a", claimTimeout: "00:00:00.200");
        await _server.StopAsync();

        using ClientWebSocket charger = await ConnectAsync(a, "CP-OFFLINE");
        await BootAsync(charger); // served although its claim cannot be made yet

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port(a.Services.GetRequiredService<ListenerEndpoints>().Http!)}") };
        HttpResponseMessage response = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // Degraded, not Unhealthy: keep sending chargers here
        using JsonDocument ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", ready.RootElement.GetProperty("checks").GetProperty("cluster.nats").GetProperty("status").GetString());

        // Back: the pending claim completes and the events reach the stream.
        await _server.StartAsync();
        ChargerDirectory directory = a.Services.GetRequiredService<ChargerDirectory>();
        ClusterConnection nats = a.Services.GetRequiredService<ClusterConnection>();
        long last = -1;
        await foreach (EvCloud.Fast.Storage.Log.LogEntry entry in a.Services.GetRequiredService<EvCloud.Fast.Storage.StorageEngine>().Log.ReadAsync(0, follow: false))
        {
            last = entry.Address;
        }

        await a.Services.GetRequiredService<EventForwarder>().WaitForwardedAsync(last).WaitAsync(Bound);
        Assert.Equal(new ChargerOwner("gw-a", 1), (await directory.GetAsync("CP-OFFLINE"))!.Value.Owner);
        IReadOnlyList<StreamedEvent> stream = await EventStream.ReadAllAsync(nats.JetStream, nats.Options.EventStream);
        Assert.Contains(stream, e => e.Charger == "CP-OFFLINE");
        Assert.All(stream.Where(e => e.Charger == "CP-OFFLINE"), e => Assert.Equal(1, e.Epoch)); // not 0: the claim was awaited
    }

    [Fact]
    public async Task TheDefaultRole_StartsNothingOfTheCluster()
    {
        string data = NewDataDirectory();
        WebApplication app = EvCloudServer.Build([.. CommonArgs(data)]);
        _apps.Add((app, data));
        await app.StartAsync();

        Assert.Equal(ClusterRole.All, app.Services.GetRequiredService<ClusterOptions>().Role);
        Assert.Null(app.Services.GetRequiredService<OcppGateway>().Ownership);
        Assert.Null(app.Services.GetService<ClusterConnection>());
        Assert.Null(app.Services.GetService<EventForwarder>());
        Assert.Null(app.Services.GetService<IChargerOwnership>());
    }

    private async Task<WebApplication> StartGatewayAsync(string nodeId, string claimTimeout = "00:00:30")
    {
        string data = NewDataDirectory();
        WebApplication app = EvCloudServer.Build(
        [
            .. CommonArgs(data),
            "--Cluster:Role=gateway",
            $"--Cluster:NodeId={nodeId}",
            $"--Cluster:Nats:Url={_server.Url}",
            $"--Cluster:ClaimTimeout={claimTimeout}",
        ]);
        _apps.Add((app, data));
        await app.StartAsync();
        await app.Services.GetRequiredService<ChargerDirectory>().Ready.WaitAsync(Bound);
        return app;
    }

    private static string NewDataDirectory()
    {
        string data = Path.Combine(Path.GetTempPath(), "evcloud-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        return data;
    }

    private static string[] CommonArgs(string data) =>
    [
        "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
        "--Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:0",
        $"--Storage:DataDirectory={data}",
        "--Logging:LogLevel:Default=Warning",
        "--Ocpi:Enabled=false",
    ];

    private static int Port(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => ((IPEndPoint)listen.EndPoint).Port;

    private static async Task<ClientWebSocket> ConnectAsync(WebApplication gateway, string id)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        int port = Port(gateway.Services.GetRequiredService<ListenerEndpoints>().Ocpp!);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{id}"), CancellationToken.None).WaitAsync(Bound);
        return socket;
    }

    private static int _messageId;

    private static async Task BootAsync(ClientWebSocket socket)
    {
        string id = Interlocked.Increment(ref _messageId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string call = $"[2,\"{id}\",\"BootNotification\",{{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}}]";
        await socket.SendAsync(Encoding.UTF8.GetBytes(call), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        using JsonDocument reply = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        Assert.Equal(3, reply.RootElement[0].GetInt32());
        Assert.Equal(id, reply.RootElement[1].GetString());
    }

    private static Task<WebSocketReceiveResult> ReceiveAsync(ClientWebSocket socket) =>
        socket.ReceiveAsync(new byte[4096], CancellationToken.None).WaitAsync(Bound);
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Ocpp.Tests.Handlers;

/// <summary>
/// The gateway composed as the host composes it, over storage in a temporary directory, with connections on in-memory
/// pipes: a CALL goes through <see cref="OcppDispatcher.OnCall"/> and the test sees the answer and the log address the
/// receive loop would wait on before sending it (0: sent at once).
/// </summary>
internal sealed class GatewayHarness : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-gateway-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;
    private int _messageId;

    public GatewayHarness()
    {
        Storage = StorageEngine.Open(EvCloud.Fast.Tests.Shared.SmallStorage.Options(_directory));
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ocpp:Authorization:Tokens:0:IdTag"] = "TAG-1",
                ["Storage:DataDirectory"] = _directory,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Storage);
        services.AddOcppGateway(configuration);
        _services = services.BuildServiceProvider();
        Dispatcher = _services.GetRequiredService<OcppDispatcher>();
    }

    public StorageEngine Storage { get; }

    public OcppDispatcher Dispatcher { get; }

    /// <summary>A connected charger (accepted under the default AutoAccept policy).</summary>
    public OcppConnection Connect(string chargePointId, OcppVersion version = OcppVersion.Ocpp16)
    {
        string protocol = version switch
        {
            OcppVersion.Ocpp16 => "ocpp1.6",
            OcppVersion.Ocpp201 => "ocpp2.0.1",
            _ => "ocpp2.1",
        };
        var input = new Pipe();
        var output = new Pipe();
        var context = new DefaultConnectionContext(chargePointId, new Duplex(input.Reader, output.Writer), new Duplex(output.Reader, input.Writer));
        HandshakeResult handshake = HandshakeResult.Accept(chargePointId, version, protocol, WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="), null);
        var connection = new OcppConnection(context, handshake, 1, new OcppTransportOptions(), Dispatcher, new OcppConnectionRegistry());
        Dispatcher.OnConnected(connection);
        return connection;
    }

    /// <summary>Sends one CALL; returns the answer (the whole OCPP-J message) and the address its sending waits on.</summary>
    public (JsonElement Answer, long DurableAddress) Call(OcppConnection connection, string action, object payload)
    {
        string id = (++_messageId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] frame = Encoding.UTF8.GetBytes("[2,\"" + id + "\",\"" + action + "\"," + JsonSerializer.Serialize(payload) + "]");
        var message = new ReadOnlySequence<byte>(frame);
        var reader = new Utf8JsonReader(message);
        OcppFrameError error = OcppJFrameReader.TryReadHeader(
            ref reader, new byte[OcppJFrameReader.MaxMessageIdBytes], new byte[OcppJFrameReader.MaxActionBytes], new byte[256], out OcppFrameHeader header, out _);
        Assert.Equal(OcppFrameError.None, error);
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        long address = Dispatcher.OnCall(connection, header, ref reader, message, writer);
        using JsonDocument answer = JsonDocument.Parse(writer.WrittenSpan.ToArray());
        return (answer.RootElement.Clone(), address);
    }

    public void Dispose()
    {
        _services.Dispose();
        Storage.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Fuzz;

/// <summary>
/// One OCPP-J text message from a charger of one version, through the path the receive loop takes with it: UTF-8
/// check, envelope (<see cref="OcppJFrameReader"/>), then <see cref="OcppDispatcher.OnCall"/>: action lookup,
/// direction, schema validation, registration gate and the version's handler, against the gateway composed as the
/// host composes it (<c>AddOcppGateway</c>) over storage in a temporary directory. No socket: the connection is
/// an <see cref="OcppConnection"/> on in-memory pipes, and the reply is read from the message writer.
/// </summary>
/// <remarks>
/// Expected: a CALLERROR of any code but InternalError (an unknown action, a schema violation, a handler's
/// <c>OcppPayloadException</c>), a CALLRESULT, a frame error, or a <see cref="JsonException"/> (the receive loop
/// answers it with FormationViolation / RpcFrameworkError). A crash: any other exception escaping the dispatcher; an
/// InternalError answer (a handler threw on a payload its schema accepted: the dispatcher logged the exception,
/// which is rethrown here with its stack); a reply that is not one JSON array; or a CALLRESULT whose payload breaks
/// the action's response schema (the charger would reject it).
/// </remarks>
public sealed class DispatcherTarget : IFuzzTarget, IDisposable
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private readonly OcppVersion _version;
    private readonly string _directory;
    private readonly StorageEngine _storage;
    private readonly ServiceProvider _services;
    private readonly OcppDispatcher _dispatcher;
    private readonly OcppConnection _connection;
    private readonly CapturingLoggerProvider _log = new();

    public DispatcherTarget(string name, OcppVersion version)
    {
        Name = name;
        _version = version;
        _directory = Path.Combine(Path.GetTempPath(), "evcloud-fuzz-" + name + "-" + Guid.NewGuid().ToString("N"));
        _storage = StorageEngine.Open(new StorageOptions
        {
            DataDirectory = _directory,
            CheckpointInterval = TimeSpan.FromHours(1),
            Log = new EventLogOptions { PageSize = 1 << 16, MemorySize = 1 << 20, SegmentSize = 1 << 22 },
            State = new StateStoreOptions { IndexSize = 1 << 16, PageSize = 1 << 16, MemorySize = 1 << 22, SegmentSize = 1 << 22, SessionPoolSize = 8 },
        });

        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Tokens the seed corpus uses, so its transactions start (Accepted) instead of ending at Invalid.
                ["Ocpp:Authorization:Tokens:0:IdTag"] = "04A2B3C4D5E680",
                ["Ocpp:Authorization:Tokens:1:IdTag"] = "FUZZ-TAG",
                ["Storage:DataDirectory"] = _directory,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_log));
        services.AddSingleton(_storage);
        services.AddOcppGateway(configuration);
        _services = services.BuildServiceProvider();
        _dispatcher = _services.GetRequiredService<OcppDispatcher>();

        string protocol = version switch
        {
            OcppVersion.Ocpp16 => "ocpp1.6",
            OcppVersion.Ocpp201 => "ocpp2.0.1",
            _ => "ocpp2.1",
        };
        var input = new Pipe();
        var output = new Pipe();
        var context = new DefaultConnectionContext("fuzz-" + name, new DuplexPipe(input.Reader, output.Writer), new DuplexPipe(output.Reader, input.Writer));
        HandshakeResult handshake = HandshakeResult.Accept("FUZZ-" + name.ToUpperInvariant(), version, protocol, WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="), null);
        _connection = new OcppConnection(context, handshake, 1, new OcppTransportOptions(), _dispatcher, new OcppConnectionRegistry());
        _dispatcher.OnConnected(_connection);
    }

    public string Name { get; }

    /// <summary>The reply to the last CALL run (empty when it was not answered), for the replay command's listing.</summary>
    public string LastReply { get; private set; } = "";

    public void Run(ReadOnlySpan<byte> input)
    {
        // RFC 6455 §8.1: the receive loop closes with 1007 before any JSON is read.
        if (!Utf8.IsValid(input))
        {
            return;
        }

        // Messages over one pipe segment (4 KB) arrive in several; the odd last byte picks a split too.
        ReadOnlySequence<byte> message = input.Length > 0 && (input[^1] & 1) == 1
            ? Segments.Split(input, input.Length / 2)
            : new ReadOnlySequence<byte>(input.ToArray());
        var reader = new Utf8JsonReader(message, ReaderOptions);
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        byte[] id = new byte[OcppJFrameReader.MaxMessageIdBytes];
        byte[] action = new byte[OcppJFrameReader.MaxActionBytes];
        byte[] description = new byte[256];
        OcppFrameHeader header;
        LastReply = "";
        try
        {
            OcppFrameError error = OcppJFrameReader.TryReadHeader(ref reader, id, action, description, out header, out _);
            if (error != OcppFrameError.None || header.Type is not (OcppMessageType.Call or OcppMessageType.Send))
            {
                return; // answered with a CALLERROR, or an answer to a CALL of ours: not the handlers' concern
            }

            if (header.Type == OcppMessageType.Send && _version != OcppVersion.Ocpp21)
            {
                return; // MessageTypeNotSupported before 2.1
            }

            _log.Failure = null;
            _dispatcher.OnCall(_connection, header, ref reader, message, writer);
        }
        catch (JsonException)
        {
            return; // FormationViolation / RpcFrameworkError, as the receive loop answers it
        }

        if (_log.Failure is { } failure)
        {
            throw new FuzzInvariantException("The handler failed (answered InternalError): " + failure.Message, failure);
        }

        if (header.Type == OcppMessageType.Call)
        {
            LastReply = Encoding.UTF8.GetString(writer.WrittenSpan);
            CheckReply(writer.WrittenSpan, Encoding.UTF8.GetString(header.Action));
        }
    }

    private void CheckReply(ReadOnlySpan<byte> reply, string action)
    {
        var reader = new Utf8JsonReader(reply, ReaderOptions);
        OcppFrameError error;
        OcppFrameHeader header;
        try
        {
            error = OcppJFrameReader.TryReadHeader(ref reader, new byte[OcppJFrameReader.MaxMessageIdBytes], new byte[OcppJFrameReader.MaxActionBytes], new byte[256], out header, out _);
        }
        catch (JsonException ex)
        {
            throw new FuzzInvariantException("The reply is not JSON: " + Encoding.UTF8.GetString(reply), ex);
        }

        if (error != OcppFrameError.None || header.Type is not (OcppMessageType.CallResult or OcppMessageType.CallError))
        {
            throw new FuzzInvariantException($"The reply is not a CALLRESULT or CALLERROR ({error}): " + Encoding.UTF8.GetString(reply));
        }

        if (header.Type == OcppMessageType.CallError)
        {
            if (header.Action.SequenceEqual("InternalError"u8))
            {
                throw new FuzzInvariantException("InternalError: " + Encoding.UTF8.GetString(reply));
            }

            return;
        }

        Utf8JsonReader payload = reader;
        if (!_dispatcher.ValidateResponse(_connection, action, ref payload, out string? invalid))
        {
            throw new FuzzInvariantException($"The CALLRESULT breaks the {action} response schema ({invalid}): " + Encoding.UTF8.GetString(reply));
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        _storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a late flush; the temporary directory is the OS's to clean.
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Keeps the exception of the last error logged: the dispatcher logs a handler's failure before answering InternalError.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        public Exception? Failure { get; set; }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                Failure = exception ?? new InvalidOperationException(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}

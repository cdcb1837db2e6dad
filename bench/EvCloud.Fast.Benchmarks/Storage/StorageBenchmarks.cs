using System.Buffers;
using BenchmarkDotNet.Attributes;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Benchmarks.Storage;

/// <summary>
/// The storage operations behind every charger message, without the gateway: the last-seen update a Heartbeat
/// makes (<c>Touch</c>, baseline), the charger lookup every connection does, appending an event to the log
/// (not waiting), and appending one and waiting until it is durable (commit interval 0: one group commit per
/// call, the worst case a single charger sees). 10,000 chargers are known, as on a busy gateway.
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int Chargers = 10_000;

    private readonly ArrayBufferWriter<byte> _event = new(256);
    private string _directory = null!;
    private StorageEngine _storage = null!;
    private byte[][] _ids = null!;
    private ReadOnlyMemory<byte> _encoded;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "evcloud-bench-storage", Guid.NewGuid().ToString("N"));
        _storage = StorageEngine.Open(new StorageOptions { DataDirectory = _directory, CommitInterval = TimeSpan.Zero, CheckpointInterval = TimeSpan.FromHours(1) });
        _ids = new byte[Chargers][];
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < Chargers; i++)
        {
            _ids[i] = System.Text.Encoding.ASCII.GetBytes($"BENCH-{i:D5}");
            _storage.State.Touch(_ids[i], now, online: true);
        }

        EventWriter.WriteChargerConnected(_event, now, _ids[0], 16, "127.0.0.1:50000"u8);
        _encoded = _event.WrittenMemory.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _storage.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void Touch()
    {
        byte[] id = _ids[_next++ % Chargers];
        _storage.State.Touch(id, 1_700_000_000_000, online: true);
    }

    [Benchmark]
    public bool TryGetCharger() => _storage.State.TryGetCharger(_ids[_next++ % Chargers], out ChargerState _);

    [Benchmark]
    public long Append() => _storage.Log.Append(_encoded.Span);

    [Benchmark]
    public ValueTask AppendDurable() => _storage.AppendDurableAsync(_encoded);
}

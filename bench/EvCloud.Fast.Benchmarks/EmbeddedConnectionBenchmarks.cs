using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using EvCloud.Fast.Benchmarks.Embedded;

namespace EvCloud.Fast.Benchmarks;

/// <summary>
/// Frame → dispatch → state and event → reply through <c>OcppConnectionHandler</c> over in-memory pipes: the
/// whole server side of one message, one charger sending the next message when the previous reply arrived.
/// </summary>
/// <remarks>
/// MeterValues (with a transaction), StartTransaction and StopTransaction are acknowledged only once their
/// event is durable, so with one charger their time is mostly the group-commit wait: the commit loop waits
/// until <c>CommitInterval</c> has passed since the previous commit began (2 ms by default), then flushes.
/// <c>CommitIntervalMs = 0</c> commits as soon as an event is waited for, which leaves the flush itself.
/// <c>MeterValues_16Chargers</c> sends from 16 chargers at once, so one commit serves many messages as it
/// does on a busy gateway.
/// </remarks>
[MemoryDiagnoser]
public class EmbeddedConnectionBenchmarks
{
    private const int Fleet = 16;

    private EmbeddedGateway _gateway = null!;
    private HotPathCharger _charger = null!;
    private HotPathFleet _fleet = null!;

    /// <summary>The event log's group-commit interval (<c>StorageOptions.CommitInterval</c>).</summary>
    [Params(2.0, 0.0)]
    public double CommitIntervalMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _gateway = EmbeddedGateway.Start(TimeSpan.FromMilliseconds(CommitIntervalMs));
        _gateway.WarmLog();
        _charger = HotPathCharger.ConnectAsync(_gateway, "CP-BENCH").GetAwaiter().GetResult();
        _fleet = HotPathFleet.ConnectAsync(_gateway, "CP-FLEET-", Fleet).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>State touch only, no event, no durability wait.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask Heartbeat() => _charger.SendAsync(HotMessage.Heartbeat);

    /// <summary>An event appended and applied; not money, so answered without waiting for the commit.</summary>
    [Benchmark]
    public ValueTask StatusNotification() => _charger.SendAsync(HotMessage.StatusNotification);

    /// <summary>Local token lookup and an event; no durability wait.</summary>
    [Benchmark]
    public ValueTask Authorize() => _charger.SendAsync(HotMessage.Authorize);

    /// <summary>Billing data: answered once its event is durable.</summary>
    [Benchmark]
    public ValueTask MeterValues() => _charger.SendAsync(HotMessage.MeterValues);

    /// <summary>A StartTransaction and its StopTransaction, each durable before its answer; reported per message.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask StartStopTransaction()
    {
        await _charger.StartAsync().ConfigureAwait(false);
        await _charger.StopAsync().ConfigureAwait(false);
    }

    /// <summary>16 chargers each send MeterValues at once; their events share commits. Reported per message.</summary>
    [Benchmark(OperationsPerInvoke = Fleet)]
    public ValueTask MeterValues_16Chargers() => _fleet.SendAsync(HotMessage.MeterValues);

    /// <summary>OCPP 2.0.1 TransactionEvent Updated with 4 sampled values: billing data, answered once durable.</summary>
    [Benchmark]
    public ValueTask TransactionEvent() => _charger.SendAsync(HotMessage.TransactionEvent);

    /// <summary>16 stations each send TransactionEvent Updated at once. Reported per message.</summary>
    [Benchmark(OperationsPerInvoke = Fleet)]
    public ValueTask TransactionEvent_16Chargers() => _fleet.SendAsync(HotMessage.TransactionEvent);
}

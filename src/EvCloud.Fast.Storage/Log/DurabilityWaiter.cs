using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Sources;

namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// Waits until an appended event is durable, reusable across waits so a connection awaits
/// durability of every money-carrying message without allocating. Keep one per connection:
/// 40 bytes per charger instead of a Task per message (10k chargers × 1 msg/s would otherwise be
/// 10k Task objects per second for the GC).
/// </summary>
/// <remarks>One outstanding wait at a time; a second concurrent wait throws.</remarks>
public sealed class DurabilityWaiter : IValueTaskSource
{
    private readonly EventLog _log;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _busy;

    public DurabilityWaiter(EventLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>Log address this waiter is registered for; read by the commit loop under its lock.</summary>
    internal long Address { get; private set; }

    /// <summary>
    /// Completes once the log's committed tail covers the entry appended at <paramref name="address"/>;
    /// synchronously if it already does. Faults with <see cref="ObjectDisposedException"/> once the
    /// log is disposed, and with <see cref="DurabilityException"/> when the commit that would cover it fails or
    /// commits are failing when it is asked (at once then: a failing disk never leaves a wait hanging).
    /// </summary>
    public ValueTask WaitDurableAsync(long address)
    {
        if (_log.CommittedUntil > address)
        {
            return default;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowConcurrentWait();
        }

        _core.Reset();
        Address = address;
        switch (_log.Register(this, out var failure))
        {
            case EventLog.Registration.Pending:
                return new ValueTask(this, _core.Version);
            case EventLog.Registration.AlreadyDurable:
                Volatile.Write(ref _busy, 0);
                return default;
            case EventLog.Registration.Failing:
                Volatile.Write(ref _busy, 0);
                return ValueTask.FromException(new DurabilityException(failure!));
            default:
                Volatile.Write(ref _busy, 0);
                return ValueTask.FromException(new ObjectDisposedException(nameof(EventLog)));
        }
    }

    internal void Complete() => _core.SetResult(true);

    internal void Fail(Exception error) => _core.SetException(error);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    [DoesNotReturn]
    private static void ThrowConcurrentWait() =>
        throw new InvalidOperationException("A DurabilityWaiter serves one outstanding wait at a time; await the previous one first.");
}

using System.Runtime.InteropServices;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// Two-phase in-flight counter that lets a checkpoint wait for every append-and-apply that started
/// before it: the checkpoint reads the log tail T, flips the phase, and waits for the old phase to
/// drain. Calls entering afterwards append at or above T, so "all events below T are applied" holds.
/// Two Interlocked operations per event; no lock.
/// </summary>
internal sealed class ApplyGate
{
    private readonly PaddedCounter[] _active = new PaddedCounter[2];
    private int _phase;

    public int Enter()
    {
        var phase = Volatile.Read(ref _phase);
        Interlocked.Increment(ref _active[phase].Value);
        return phase;
    }

    public void Exit(int phase) => Interlocked.Decrement(ref _active[phase].Value);

    /// <summary>Returns once every call that entered before this one started has exited.</summary>
    public void Drain()
    {
        var old = Volatile.Read(ref _phase);
        Interlocked.Exchange(ref _phase, old ^ 1);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _active[old].Value) != 0)
        {
            spinner.SpinOnce();
        }
    }

    /// <summary>64-byte stride so the two counters never share a cache line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct PaddedCounter
    {
        [FieldOffset(0)]
        public long Value;
    }
}

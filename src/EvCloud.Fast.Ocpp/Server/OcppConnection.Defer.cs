using System.Buffers;

namespace EvCloud.Fast.Ocpp.Server;

public sealed partial class OcppConnection
{
    /// <summary>The longest a deferred CALL waits, whatever it waits for; then it is answered from what is known.</summary>
    internal static readonly TimeSpan MaxDeferral = TimeSpan.FromSeconds(30);

    // A CALL whose answer waits for something outside the receive loop; null unless one is waiting.
    private DeferredCall? _deferred;

    /// <summary>
    /// Whether the CALL being handled may be deferred (<see cref="Defer"/>): false while a deferred CALL is handled
    /// again, so that it is answered then with what is known.
    /// </summary>
    internal bool MayDefer => _deferred is null;

    /// <summary>
    /// Called by the dispatcher while it handles a CALL that has not changed anything yet and whose answer depends on
    /// <paramref name="until"/> (a token owner's real-time answer): the receive loop stops reading after this frame,
    /// keeps a copy of it, and handles it again once <paramref name="until"/> completes (at most
    /// <see cref="MaxDeferral"/>). Later frames of the charger wait, so its messages are still answered in order.
    /// </summary>
    internal void Defer(Task until) => _deferred = new DeferredCall(until);

    /// <summary>Keeps the deferred CALL's text: the pipe's buffer is released before it is handled again.</summary>
    private void KeepDeferred(in ReadOnlySequence<byte> message)
    {
        DeferredCall deferred = _deferred!;
        deferred.Length = (int)message.Length;
        deferred.Message = ArrayPool<byte>.Shared.Rent(deferred.Length);
        message.CopyTo(deferred.Message);
    }

    /// <summary>Waits for what the deferred CALL depends on, then handles it again; returns the log address to wait for.</summary>
    private async ValueTask<long> RunDeferredAsync()
    {
        DeferredCall deferred = _deferred!;
        try
        {
            await deferred.Until.WaitAsync(MaxDeferral).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            long address = 0;
            OnTextMessage(new ReadOnlySequence<byte>(deferred.Message!, 0, deferred.Length), ref address);
            return address;
        }
        finally
        {
            _deferred = null;
            if (deferred.Message is { } message)
            {
                ArrayPool<byte>.Shared.Return(message);
            }
        }
    }

    private sealed class DeferredCall(Task until)
    {
        public Task Until { get; } = until;

        public byte[]? Message { get; set; }

        public int Length { get; set; }
    }
}

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// Lock-free pool of <see cref="StateSession"/>s: a fixed array of slots claimed with
/// Interlocked.Exchange, starting at a per-thread offset so threads rarely collide. Renting and
/// returning allocate nothing; only a burst beyond the pool size creates (and later disposes) extra sessions.
/// </summary>
internal sealed class SessionPool : IDisposable
{
    private readonly StateSession?[] _slots;
    private readonly Func<StateSession> _factory;

    public SessionPool(int size, Func<StateSession> factory)
    {
        _factory = factory;
        _slots = new StateSession?[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i] = factory();
        }
    }

    public StateSession Rent()
    {
        var slots = _slots;
        var start = Environment.CurrentManagedThreadId % slots.Length;
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i;
            if (index >= slots.Length)
            {
                index -= slots.Length;
            }

            var session = Interlocked.Exchange(ref slots[index], null);
            if (session is not null)
            {
                return session;
            }
        }

        return _factory();
    }

    public void Return(StateSession session)
    {
        var slots = _slots;
        var start = Environment.CurrentManagedThreadId % slots.Length;
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i;
            if (index >= slots.Length)
            {
                index -= slots.Length;
            }

            if (Interlocked.CompareExchange(ref slots[index], session, null) is null)
            {
                return;
            }
        }

        session.Dispose();
    }

    /// <summary>Disposes the pooled sessions; call only once no session is rented.</summary>
    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }
}

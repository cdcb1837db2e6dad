using System.Buffers.Binary;
using System.Net;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// Counts authentication failures per source address and blocks an address for a cool-down once it reaches the
/// limit within the window. Memory is fixed: a table of <see cref="Slots"/> entries (48 bytes each, 192 KB),
/// each address probing two neighbouring slots and evicting the least recently active one, so a flood of
/// addresses can only displace other addresses, never grow the table. IPv6 addresses count per /64 (one
/// subscriber's allocation), since a single host can use billions of addresses in its /64.
/// </summary>
/// <remarks>
/// Behind a NAT or a load balancer that hides the charger address, every charger shares one address: raise
/// <see cref="ChargerSecurityOptions.FailureLimit"/> or set it to 0 there.
/// </remarks>
public sealed class AuthFailureLimiter
{
    /// <summary>Table size.</summary>
    public const int Slots = 4096;

    private readonly Entry[] _entries = new Entry[Slots];
    private readonly Lock _lock = new();
    private readonly int _limit;
    private readonly long _windowMs;
    private readonly long _cooldownMs;

    /// <summary>Creates the limiter from <c>Ocpp:Security:FailureLimit</c>, <c>:FailureWindow</c> and <c>:FailureCooldown</c>.</summary>
    public AuthFailureLimiter(ChargerSecurityOptions options)
    {
        _limit = options.FailureLimit;
        _windowMs = (long)options.FailureWindow.TotalMilliseconds;
        _cooldownMs = (long)options.FailureCooldown.TotalMilliseconds;
    }

    /// <summary>Whether the limiter is on.</summary>
    public bool Enabled => _limit > 0;

    /// <summary>Whether <paramref name="address"/> is cooling down at <paramref name="nowMs"/> (a monotonic millisecond clock).</summary>
    public bool IsBlocked(IPAddress? address, long nowMs, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled || address is null)
        {
            return false;
        }

        UInt128 key = KeyOf(address);
        lock (_lock)
        {
            int i = Find(key);
            if (i >= 0 && _entries[i].BlockedUntil > nowMs)
            {
                retryAfter = TimeSpan.FromMilliseconds(_entries[i].BlockedUntil - nowMs);
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts one failure; returns true when this failure starts a cool-down.</summary>
    public bool RecordFailure(IPAddress? address, long nowMs)
    {
        if (!Enabled || address is null)
        {
            return false;
        }

        UInt128 key = KeyOf(address);
        lock (_lock)
        {
            int i = Find(key);
            if (i < 0)
            {
                i = Victim(key, nowMs);
                _entries[i] = new Entry { Key = key, InUse = true, WindowStart = nowMs };
            }

            ref Entry e = ref _entries[i];
            if (nowMs - e.WindowStart > _windowMs)
            {
                e.WindowStart = nowMs;
                e.Count = 0;
            }

            e.LastSeen = nowMs;
            e.Count++;
            if (e.Count >= _limit && e.BlockedUntil <= nowMs)
            {
                e.BlockedUntil = nowMs + _cooldownMs;
                e.Count = 0;
                e.WindowStart = e.BlockedUntil;
                return true;
            }
        }

        return false;
    }

    private int Find(UInt128 key)
    {
        int first = Home(key);
        for (int probe = 0; probe < 2; probe++)
        {
            int i = (first + probe) & (Slots - 1);
            if (_entries[i].InUse && _entries[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    private int Victim(UInt128 key, long nowMs)
    {
        int a = Home(key), b = (a + 1) & (Slots - 1);
        if (!_entries[a].InUse)
        {
            return a;
        }

        if (!_entries[b].InUse)
        {
            return b;
        }

        // Prefer evicting an address that is not blocked, then the one least recently seen.
        bool aBlocked = _entries[a].BlockedUntil > nowMs, bBlocked = _entries[b].BlockedUntil > nowMs;
        if (aBlocked != bBlocked)
        {
            return aBlocked ? b : a;
        }

        return _entries[a].LastSeen <= _entries[b].LastSeen ? a : b;
    }

    private static int Home(UInt128 key) => (int)((ulong)(key ^ (key >> 64)) * 0x9E3779B97F4A7C15UL >> 52) & (Slots - 1);

    internal static UInt128 KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            bytes.Clear();
            address.TryWriteBytes(bytes[12..], out _);
            bytes[10] = bytes[11] = 0xFF;
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear(); // the /64 prefix
        }

        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private struct Entry
    {
        public UInt128 Key;
        public bool InUse;
        public long WindowStart;
        public long LastSeen;
        public long BlockedUntil;
        public int Count;
    }
}

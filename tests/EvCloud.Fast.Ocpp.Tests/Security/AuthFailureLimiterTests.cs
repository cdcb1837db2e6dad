using System.Net;
using EvCloud.Fast.Ocpp.Security;

namespace EvCloud.Fast.Ocpp.Tests.Security;

public sealed class AuthFailureLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.11");

    [Fact]
    public void AnAddress_IsBlockedAtTheLimit_ForTheCooldown_ThenAllowedAgain()
    {
        var limiter = Limiter(limit: 3);
        Assert.False(limiter.RecordFailure(A, 0));
        Assert.False(limiter.RecordFailure(A, 10));
        Assert.False(limiter.IsBlocked(A, 20, out _));
        Assert.True(limiter.RecordFailure(A, 20));

        Assert.True(limiter.IsBlocked(A, 30, out TimeSpan retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(60_000 - 10), retryAfter);
        Assert.False(limiter.IsBlocked(B, 30, out _));
        Assert.False(limiter.IsBlocked(A, 60_021, out _));
    }

    [Fact]
    public void FailuresSpreadWiderThanTheWindow_DoNotBlock()
    {
        var limiter = Limiter(limit: 3);
        for (long t = 0; t < 10 * 61_000; t += 31_000)
        {
            limiter.RecordFailure(A, t);
            Assert.False(limiter.IsBlocked(A, t, out _));
        }
    }

    [Fact]
    public void IPv6Addresses_CountPerSlash64_AndMappedIPv4_AsIPv4()
    {
        var limiter = Limiter(limit: 2);
        limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"), 0);
        limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::9"), 1);
        Assert.True(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:2::77"), 2, out _));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:3::1"), 2, out _));

        limiter.RecordFailure(A, 0);
        limiter.RecordFailure(A.MapToIPv6(), 1);
        Assert.True(limiter.IsBlocked(A, 2, out _));
    }

    [Fact]
    public void AFloodOfOtherAddresses_DoesNotFreeABlockedAddress()
    {
        var limiter = Limiter(limit: 2);
        limiter.RecordFailure(A, 0);
        limiter.RecordFailure(A, 1);
        for (int i = 0; i < 100_000; i++)
        {
            // One failure each: the table (fixed at Slots entries) churns, but an unblocked entry is always evicted first.
            limiter.RecordFailure(new IPAddress(BitConverter.GetBytes(0x0A00_0000 + i)), 2);
        }

        Assert.True(limiter.IsBlocked(A, 3, out _));
    }

    [Fact]
    public void ALimitOfZero_DisablesTheLimiter()
    {
        var limiter = Limiter(limit: 0);
        for (int i = 0; i < 100; i++)
        {
            limiter.RecordFailure(A, i);
        }

        Assert.False(limiter.IsBlocked(A, 100, out _));
    }

    private static AuthFailureLimiter Limiter(int limit) => new(new ChargerSecurityOptions
    {
        FailureLimit = limit,
        FailureWindow = TimeSpan.FromMinutes(1),
        FailureCooldown = TimeSpan.FromMinutes(1),
    });
}

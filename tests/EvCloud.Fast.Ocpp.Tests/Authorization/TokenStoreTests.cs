using System.Text;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Authorization;

public class TokenStoreTests
{
    private static readonly DateTimeOffset Expiry = new(2024, 6, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly long ExpiryMs = Expiry.ToUnixTimeMilliseconds();
    private static readonly long Now = new DateTimeOffset(2024, 3, 1, 8, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(AuthorizationStatus.Accepted)]
    [InlineData(AuthorizationStatus.Blocked)]
    [InlineData(AuthorizationStatus.Expired)]
    [InlineData(AuthorizationStatus.Invalid)]
    public void Authorize_AnswersTheTokensStatus(AuthorizationStatus status)
    {
        TokenStore store = Store(new TokenRecord { IdTag = "04A2B3C4D5E680", Status = status });

        Assert.Equal(status, store.Authorize("04A2B3C4D5E680"u8, Now).Status);
    }

    [Fact]
    public void Authorize_ReturnsTheParentIdTagAndTheExpiry()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "04A2B3C4D5E680", ParentIdTag = "FLEET-7", ExpiryDate = Expiry });

        AuthorizationResult result = store.Authorize("04A2B3C4D5E680"u8, Now);

        Assert.Equal(AuthorizationStatus.Accepted, result.Status);
        Assert.Equal("FLEET-7", result.ParentIdTag);
        Assert.Equal(ExpiryMs, result.ExpiryUnixMs);
    }

    [Fact]
    public void Authorize_WithoutExpiryOrParent_ReturnsZeroAndNull()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" });

        AuthorizationResult result = store.Authorize("A"u8, Now);

        Assert.Equal(0, result.ExpiryUnixMs);
        Assert.Null(result.ParentIdTag);
    }

    [Theory]
    [InlineData(-1, AuthorizationStatus.Accepted)] // a millisecond before the expiry
    [InlineData(0, AuthorizationStatus.Expired)] // at the expiry
    [InlineData(1, AuthorizationStatus.Expired)]
    public void Authorize_ExpiresRelativeToTheGivenTime_NotTheClock(long offsetMs, AuthorizationStatus expected)
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A", ExpiryDate = Expiry });

        Assert.Equal(expected, store.Authorize("A"u8, ExpiryMs + offsetMs).Status);
    }

    [Fact]
    public void Authorize_KeepsABlockedTokenBlocked_AfterItsExpiry()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A", Status = AuthorizationStatus.Blocked, ExpiryDate = Expiry });

        Assert.Equal(AuthorizationStatus.Blocked, store.Authorize("A"u8, ExpiryMs + 1).Status);
    }

    [Theory]
    [InlineData(AuthorizationStatus.Invalid)]
    [InlineData(AuthorizationStatus.Accepted)] // an open site
    public void Authorize_AnswersTheConfiguredStatus_ForAnUnknownToken(AuthorizationStatus unknownTokens)
    {
        var store = new TokenStore(new TokenOptions { UnknownTokens = unknownTokens, Tokens = [new TokenRecord { IdTag = "A" }] });

        AuthorizationResult result = store.Authorize("B"u8, Now);

        Assert.Equal(unknownTokens, result.Status);
        Assert.Null(result.ParentIdTag);
        Assert.Equal(0, result.ExpiryUnixMs);
    }

    [Theory]
    [InlineData("04a2b3c4d5e680")] // id tags are case-sensitive
    [InlineData("04A2B3C4D5E68")] // a prefix
    [InlineData("04A2B3C4D5E6800")] // longer
    [InlineData("")]
    public void Authorize_MatchesTheIdTagExactly(string idTag)
    {
        TokenStore store = Store(new TokenRecord { IdTag = "04A2B3C4D5E680" });

        Assert.Equal(AuthorizationStatus.Invalid, store.Authorize(Encoding.UTF8.GetBytes(idTag), Now).Status);
    }

    [Fact]
    public void Authorize_FindsANonAsciiIdTag()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "Jürgen-01" });

        Assert.Equal(AuthorizationStatus.Accepted, store.Authorize("Jürgen-01"u8, Now).Status);
    }

    [Fact]
    public void Authorize_AnswersConcurrentTx_OnlyForANewTransaction()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" });
        store.TransactionOpened("A"u8);

        Assert.Equal(AuthorizationStatus.ConcurrentTx, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
        Assert.Equal(AuthorizationStatus.Accepted, store.Authorize("A"u8, Now).Status); // an Authorize to stop the running one
    }

    [Fact]
    public void Authorize_AllowsANewTransaction_OnceTheOpenOneCloses()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" });
        store.TransactionOpened("A"u8);
        store.TransactionOpened("A"u8);

        store.TransactionClosed("A"u8);
        Assert.Equal(AuthorizationStatus.ConcurrentTx, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
        store.TransactionClosed("A"u8);
        Assert.Equal(AuthorizationStatus.Accepted, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
    }

    [Theory]
    [InlineData(false, null, AuthorizationStatus.ConcurrentTx)]
    [InlineData(true, null, AuthorizationStatus.Accepted)] // the site allows concurrency
    [InlineData(false, true, AuthorizationStatus.Accepted)] // this token may run several (a fleet card)
    [InlineData(true, false, AuthorizationStatus.ConcurrentTx)] // this token may not, whatever the site says
    public void Authorize_LetsTheTokenOverrideTheSitesConcurrencyRule(bool siteAllows, bool? tokenAllows, AuthorizationStatus expected)
    {
        var store = new TokenStore(new TokenOptions
        {
            AllowConcurrentTransactions = siteAllows,
            Tokens = [new TokenRecord { IdTag = "A", AllowConcurrentTransactions = tokenAllows }],
        });
        store.TransactionOpened("A"u8);

        Assert.Equal(expected, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
    }

    [Theory]
    [InlineData(AuthorizationStatus.Blocked)]
    [InlineData(AuthorizationStatus.Invalid)]
    public void Authorize_ReportsTheTokensOwnRefusal_RatherThanConcurrentTx(AuthorizationStatus status)
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A", Status = status });
        store.TransactionOpened("A"u8);

        Assert.Equal(status, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
    }

    [Fact]
    public void Authorize_ReportsExpired_RatherThanConcurrentTx()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A", ExpiryDate = Expiry });
        store.TransactionOpened("A"u8);

        Assert.Equal(AuthorizationStatus.Expired, store.Authorize("A"u8, ExpiryMs, forNewTransaction: true).Status);
    }

    [Fact]
    public void OpenCounts_NeverGoBelowZero()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" });

        store.TransactionClosed("A"u8); // a stop for a transaction started before a restart
        store.TransactionClosed("A"u8);
        store.TransactionOpened("A"u8);

        Assert.Equal(AuthorizationStatus.ConcurrentTx, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
        store.TransactionClosed("A"u8);
        store.TransactionClosed("A"u8);
        store.TransactionOpened("A"u8);
        Assert.Equal(AuthorizationStatus.ConcurrentTx, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
        store.TransactionClosed("A"u8);
        Assert.Equal(AuthorizationStatus.Accepted, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
    }

    [Fact]
    public void OpenCounts_AreKeptPerToken_AndIgnoreAnEmptyIdTag()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" }, new TokenRecord { IdTag = "B" });

        store.TransactionOpened("A"u8);
        store.TransactionOpened(""u8); // StopTransaction without an idTag
        store.TransactionClosed(""u8);

        Assert.Equal(AuthorizationStatus.ConcurrentTx, store.Authorize("A"u8, Now, forNewTransaction: true).Status);
        Assert.Equal(AuthorizationStatus.Accepted, store.Authorize("B"u8, Now, forNewTransaction: true).Status);
    }

    [Fact]
    public void OpenCounts_SurviveReplacingTheToken()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "A" });
        store.TransactionOpened("A"u8);

        store.Upsert(new TokenRecord { IdTag = "A", ParentIdTag = "FLEET-7" });

        AuthorizationResult result = store.Authorize("A"u8, Now, forNewTransaction: true);
        Assert.Equal(AuthorizationStatus.ConcurrentTx, result.Status);
        Assert.Equal("FLEET-7", result.ParentIdTag);
    }

    [Fact]
    public void UpsertAndRemove_ChangeWhatAuthorizeSees()
    {
        TokenStore store = Store();

        store.Upsert(new TokenRecord { IdTag = "A", Status = AuthorizationStatus.Blocked });
        Assert.Equal(AuthorizationStatus.Blocked, store.Authorize("A"u8, Now).Status);
        Assert.Single(store.All);

        Assert.True(store.Remove("A"));
        Assert.False(store.Remove("A"));
        Assert.Equal(AuthorizationStatus.Invalid, store.Authorize("A"u8, Now).Status);
        Assert.Empty(store.All);
    }

    [Fact]
    public void Authorize_AllocatesNothing_ForAKnownToken()
    {
        TokenStore store = Store(new TokenRecord { IdTag = "04A2B3C4D5E680", ParentIdTag = "FLEET-7", ExpiryDate = Expiry });
        store.TransactionOpened("04A2B3C4D5E680"u8);

        bool answeredConcurrentTx = true;

        long allocated = AllocationMeter.Measure(() =>
        {
            // NOTE: no Assert.Equal in the loop: comparing enums through it allocates.
            answeredConcurrentTx &= store.Authorize("04A2B3C4D5E680"u8, Now, forNewTransaction: true).Status == AuthorizationStatus.ConcurrentTx;
        });

        Assert.True(answeredConcurrentTx);
        Assert.Equal(0, allocated);
    }

    private static TokenStore Store(params TokenRecord[] tokens) => new(new TokenOptions { Tokens = [.. tokens] });
}

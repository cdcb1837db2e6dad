using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>A session whose tariff fails while pricing is held for review, then priced once the tariff is fixed.</summary>
public sealed class HeldSessionTests : IAsyncLifetime
{
    private PipelineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PipelineHarness.OpenAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ATariffThatFails_HoldsTheSession_WithoutACdr_UntilTheFixedTariffPricesIt()
    {
        // Valid only from 2030: pricing a 2026 session throws (TariffNotValidException).
        await _harness.DefaultTariffAsync("LATER", 0.30m, "\"start_date_time\":\"2030-01-01T00:00:00Z\",");
        await _harness.ChargeAsync(7);
        await _harness.RunAsync();

        Assert.False(_harness.Store.Contains("CDR-7"));
        Assert.Empty(await _harness.RecordedAsync());
        HeldSession held = Assert.Single(_harness.Pipeline.HeldSessions());
        Assert.Equal("CDR-7", held.CdrId);
        Assert.Equal("LATER", held.TariffId);
        Assert.Contains("TariffNotValidException", held.Reason, StringComparison.Ordinal);

        // Still failing: still held, attempt counted.
        HeldRetryResult still = Assert.Single(await _harness.Pipeline.RetryHeldAsync());
        Assert.False(still.Priced);
        Assert.Equal(2, Assert.Single(_harness.Pipeline.HeldSessions()).Attempts);

        await _harness.DefaultTariffAsync("LATER", 0.30m);
        HeldRetryResult priced = Assert.Single(await _harness.Pipeline.RetryHeldAsync());
        Assert.True(priced.Priced);

        CdrSummary cdr = _harness.Store.Find("CDR-7")!;
        Assert.Equal(3.00m, cdr.TotalExclVat);
        Assert.Equal(3.63m, cdr.TotalInclVat);
        Assert.Single(_harness.Store.OfTransaction(7));
        Assert.Empty(_harness.Pipeline.HeldSessions());
        Assert.Equal(["CDR-7"], await _harness.RecordedAsync());
        Assert.Empty(await _harness.Pipeline.RetryHeldAsync());
    }

    [Fact]
    public async Task AnAmountBeyondTheDecimalRange_HoldsTheSession_AndOtherSessionsArePriced()
    {
        await _harness.DefaultTariffAsync("HUGE", 0.30m);
        await _harness.Tariffs.AssignAsync(TariffStore.Scope("CP-BAD"), "HUGE-BAD");
        await _harness.DefaultTariffAsync("HUGE-BAD", 70000000000000000000000000000m);
        await _harness.Tariffs.AssignAsync(TariffStore.DefaultScope, "HUGE");
        await _harness.ChargeAsync(8, "CP-BAD");
        await _harness.ChargeAsync(9, "CP-GOOD");
        await _harness.RunAsync();

        Assert.Equal("CDR-8", Assert.Single(_harness.Pipeline.HeldSessions()).CdrId);
        Assert.False(_harness.Store.Contains("CDR-8"));
        Assert.Equal(3.00m, _harness.Store.Find("CDR-9")!.TotalExclVat);
    }

    [Fact]
    public async Task ARunningSessionWhoseTariffFails_ShowsNoCostSoFar_InsteadOfFailing()
    {
        await _harness.DefaultTariffAsync("LATER", 0.30m, "\"start_date_time\":\"2030-01-01T00:00:00Z\",");
        await _harness.ChargeAsync(12, end: false);
        await _harness.RunAsync();

        (Sessions.TrackedSession session, Tariffs.PricedSession? priced) = _harness.Pipeline.PriceSoFar(12)!.Value;
        Assert.Equal(12, session.TransactionId);
        Assert.Null(priced);
    }

    [Fact]
    public async Task ParallelRetries_WriteTheCdrOnce()
    {
        await _harness.DefaultTariffAsync("LATER", 0.30m, "\"start_date_time\":\"2030-01-01T00:00:00Z\",");
        await _harness.ChargeAsync(11);
        await _harness.RunAsync();
        await _harness.DefaultTariffAsync("LATER", 0.30m);

        Task<IReadOnlyList<HeldRetryResult>>[] retries = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() => _harness.Pipeline.RetryHeldAsync()))];
        await Task.WhenAll(retries);

        Assert.Single(_harness.Store.OfTransaction(11));
        Assert.Equal(["CDR-11"], await _harness.RecordedAsync());
    }
}

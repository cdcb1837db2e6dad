using System.Globalization;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Tariffs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvCloud.Fast.Cdr.Tests;

/// <summary>Corrections: the session's CDRs always add up to the CDR in force, whatever the order and concurrency of requests.</summary>
public sealed class CorrectionTests : IAsyncLifetime
{
    private static readonly decimal[] s_prices = [0.10m, 0.25m, 0.30m, 0.47m];

    private static int s_transaction = 1000;

    private PipelineHarness _harness = null!;
    private Tariff[] _tariffs = [];

    public async Task InitializeAsync()
    {
        _harness = await PipelineHarness.OpenAsync();
        _tariffs = new Tariff[s_prices.Length];
        for (int i = 0; i < s_prices.Length; i++)
        {
            _tariffs[i] = await _harness.DefaultTariffAsync("T" + i.ToString(CultureInfo.InvariantCulture), s_prices[i]);
        }
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CorrectingTheSameCdrTwice_CreditsTheReplacementInForce_AndBillsTheLastOne()
    {
        int transaction = Interlocked.Increment(ref s_transaction);
        StoredCdr original = await _harness.OriginalAsync(transaction, _tariffs[0]); // 10 kWh × 0.10 = 1.00

        CdrCorrectionResult first = (await _harness.Pipeline.CorrectAsync(original.Id, _tariffs[1]))!; // 2.50
        CdrCorrectionResult second = (await _harness.Pipeline.CorrectAsync(original.Id, _tariffs[2]))!; // 3.00

        Assert.Equal(original.Id, first.Credited);
        Assert.Equal(first.Replacement.Id, second.Credited);
        Assert.Equal(first.Replacement.Id, second.Credit!.CreditReferenceId);
        Assert.Equal("-2.50", second.Credit.TotalExclVat);
        Assert.Equal(3.00m, Net(transaction, c => c.TotalExclVat));
        Assert.Equal(original.Id + "-R2", InForce(transaction).Id);
    }

    [Fact]
    public async Task TheAnswer_IsWhatWasStored()
    {
        int transaction = Interlocked.Increment(ref s_transaction);
        StoredCdr original = await _harness.OriginalAsync(transaction, _tariffs[0]);

        CdrCorrectionResult result = (await _harness.Pipeline.CorrectAsync(original.Id, _tariffs[3]))!;

        foreach (StoredCdr answered in new[] { result.Credit!, result.Replacement })
        {
            StoredCdr stored = (await _harness.Store.ReadAsync(answered.Id))!;
            Assert.Equal(stored.CdrJson, answered.CdrJson);
            Assert.Equal(stored.TotalExclVat, answered.TotalExclVat);
        }
    }

    [Fact]
    public async Task ACredit_CannotBeCorrected()
    {
        int transaction = Interlocked.Increment(ref s_transaction);
        StoredCdr original = await _harness.OriginalAsync(transaction, _tariffs[0]);
        CdrCorrectionResult result = (await _harness.Pipeline.CorrectAsync(original.Id, _tariffs[1]))!;

        Assert.Null(await _harness.Pipeline.CorrectAsync(result.Credit!.Id, _tariffs[2]));
        Assert.Null(await _harness.Pipeline.CorrectAsync("CDR-unknown", _tariffs[2]));
    }

    [Fact]
    public async Task ParallelCorrections_EachCreditADifferentCdr_AndTheSessionNetsToTheLastReplacement()
    {
        int transaction = Interlocked.Increment(ref s_transaction);
        StoredCdr original = await _harness.OriginalAsync(transaction, _tariffs[0]);

        // Released together from a gate the test holds, so they arrive at the pipeline at the same time.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<CdrCorrectionResult?>[] corrections = [.. Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await _harness.Pipeline.CorrectAsync(original.Id, _tariffs[i % _tariffs.Length]);
        }))];
        gate.SetResult();
        CdrCorrectionResult[] results = [.. (await Task.WhenAll(corrections)).Select(r => r!)];

        Assert.Equal(16, results.Select(r => r.Credited).Distinct().Count());
        Assert.Equal(16, results.Select(r => r.Replacement.Id).Distinct().Count());
        IReadOnlyList<CdrSummary> chain = _harness.Store.OfTransaction(transaction);
        Assert.Equal(1 + (16 * 2), chain.Count);
        Assert.Equal(InForce(transaction).TotalExclVat, Net(transaction, c => c.TotalExclVat));
        Assert.Equal(InForce(transaction).TotalInclVat, Net(transaction, c => c.TotalInclVat ?? 0));
        Assert.Equal(chain[^1].Id, InForce(transaction).Id);
    }

    /// <summary>A correction: which CDR of the session to name (index into its CDRs, credits included) and the tariff.</summary>
    public sealed record Step(int Target, int Tariff);

    [Property(MaxTest = 60)]
    public bool AnySequenceOfCorrections_NetsToTheLastReplacement(NonEmptyArray<(NonNegativeInt Target, NonNegativeInt Tariff)> steps)
    {
        return Run().GetAwaiter().GetResult();

        async Task<bool> Run()
        {
            int transaction = Interlocked.Increment(ref s_transaction);
            StoredCdr original = await _harness.OriginalAsync(transaction, _tariffs[0]);
            string last = original.Id;
            foreach ((NonNegativeInt target, NonNegativeInt tariff) in steps.Get)
            {
                IReadOnlyList<CdrSummary> chain = _harness.Store.OfTransaction(transaction);
                CdrSummary named = chain[target.Get % chain.Count];
                CdrCorrectionResult? result = await _harness.Pipeline.CorrectAsync(named.Id, _tariffs[tariff.Get % _tariffs.Length]);
                if (named.Credit != (result is null))
                {
                    return false; // a credit is refused, everything else is corrected
                }

                last = result?.Replacement.Id ?? last;
            }

            CdrSummary lastReplacement = _harness.Store.Find(last)!;
            IReadOnlyList<CdrSummary> all = _harness.Store.OfTransaction(transaction);
            var credited = all.Where(c => c.Credit).Select(c => c.CreditReferenceId).ToList();
            return Net(transaction, c => c.TotalExclVat) == lastReplacement.TotalExclVat
                && Net(transaction, c => c.TotalInclVat ?? 0) == lastReplacement.TotalInclVat
                && credited.Distinct().Count() == credited.Count
                && InForce(transaction).Id == last;
        }
    }

    private decimal Net(int transaction, Func<CdrSummary, decimal> amount) => _harness.Store.OfTransaction(transaction).Sum(amount);

    private CdrSummary InForce(int transaction)
    {
        IReadOnlyList<CdrSummary> chain = _harness.Store.OfTransaction(transaction);
        var credited = chain.Where(c => c.Credit).Select(c => c.CreditReferenceId).ToHashSet();
        return Assert.Single(chain, c => !c.Credit && !credited.Contains(c.Id));
    }
}

using EvCloud.Fast.Benchmarks.Embedded;
using Xunit.Abstractions;

namespace EvCloud.Fast.Benchmarks.Tests;

/// <summary>
/// BootNotification is not a steady-state message (a charger boots once per power cycle) and may allocate: it reads
/// its strings and records them. The budgets are what a boot of the sample frames allocates since the boot fields
/// became one type (<c>ChargerIdentity</c>) shared by the handler, the event, the state snapshot and the API: about
/// 469 B (1.6) and 259 B (2.0.1), against 514 B and 266 B before, when each field was also copied to a UTF-8 array.
/// Each budget is that measure plus 19 B, less than the smallest object (24 B), so one more object per boot fails.
/// </summary>
public sealed class BootNotificationAllocationTests : IAsyncLifetime
{
    private const int BootsPerWindow = 1000;
    private const int Windows = 3;

    private readonly ITestOutputHelper _output;
    private EmbeddedGateway _gateway = null!;

    public BootNotificationAllocationTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync()
    {
        _gateway = EmbeddedGateway.Start(TimeSpan.FromMilliseconds(2));
        _gateway.WarmLog();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("ocpp1.6", 488)]
    [InlineData("ocpp2.0.1", 278)]
    public async Task BootNotification_AllocatesNoMoreThanItsBudget(string protocol, int budgetBytesPerBoot)
    {
        AllocationBudgets file = AllocationBudgets.Load();
        ClientFrame boot = ClientFrame.Text("BootNotification", protocol == "ocpp1.6" ? Ocpp16Samples.BootNotification : Ocpp2Samples.BootNotification);

        // Off xunit's synchronization context: continuations posted to it would allocate and be counted.
        double perBoot = await Task.Run(async () =>
        {
            EmbeddedCharger charger = await _gateway.ConnectAsync("CP-BOOT-" + protocol, protocol).ConfigureAwait(false);
            await SendAsync(charger, boot, BootsPerWindow).ConfigureAwait(false); // warm-up, not counted
            double least = double.MaxValue;
            for (int w = 0; w < Windows; w++)
            {
                long commitsAtStart = _gateway.Storage.Log.CommitCount;
                long start = GC.GetTotalAllocatedBytes(precise: true);
                await SendAsync(charger, boot, BootsPerWindow).ConfigureAwait(false);
                long bytes = GC.GetTotalAllocatedBytes(precise: true) - start;
                long commits = _gateway.Storage.Log.CommitCount - commitsAtStart;

                // NOTE: as in the steady-state budgets, the log's own commits (on its clock) are allowed at the per-commit
                // budget and noise only adds bytes, so the least window is the boot's own cost.
                least = Math.Min(least, (double)(bytes - (commits * file.BytesPerCommit) - file.NoiseBytesPerWindow) / BootsPerWindow);
            }

            return least;
        });

        _output.WriteLine($"BootNotification {protocol}: {perBoot:0.#} B per boot (budget {budgetBytesPerBoot} B)");
        Assert.True(perBoot <= budgetBytesPerBoot, $"BootNotification {protocol}: {perBoot:0.#} B per boot, budget {budgetBytesPerBoot} B");
    }

    private static async Task SendAsync(EmbeddedCharger charger, ClientFrame boot, int count)
    {
        await Task.Yield(); // the state machine is allocated at its first suspension, before counting
        for (int i = 0; i < count; i++)
        {
            await charger.SendAndReceiveAsync(boot).ConfigureAwait(false);
            charger.EnsureCallResult("BootNotification");
        }
    }
}

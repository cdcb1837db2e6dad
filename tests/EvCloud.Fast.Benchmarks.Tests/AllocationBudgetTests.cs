using EvCloud.Fast.Benchmarks.Embedded;
using Xunit.Abstractions;

namespace EvCloud.Fast.Benchmarks.Tests;

/// <summary>
/// Every entry of <c>allocation-budgets.json</c> holds: steady-state messages pushed through the embedded
/// gateway allocate no more than their budget. This asserts allocation only, never time.
/// </summary>
public sealed class AllocationBudgetTests : IClassFixture<EmbeddedGatewayFixture>
{
    private const string FrameParsing = "FrameParsing";
    private const int MinWindows = 3;
    private const int MaxWindows = 10;

    private readonly EmbeddedGatewayFixture _fixture;
    private readonly ITestOutputHelper _output;

    public AllocationBudgetTests(EmbeddedGatewayFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public static TheoryData<string> Budgets()
    {
        var data = new TheoryData<string>();
        foreach (AllocationBudget budget in AllocationBudgets.Load().Budgets)
        {
            data.Add(budget.Name);
        }

        return data;
    }

    [Fact]
    public void TheBudgetFile_CoversTheParsingPathAndEveryHotMessage()
    {
        HashSet<string> names = AllocationBudgets.Load().Budgets.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(FrameParsing, names);
        foreach (HotMessage message in Enum.GetValues<HotMessage>())
        {
            Assert.Contains(message.ToString(), names);
        }
    }

    [Theory]
    [MemberData(nameof(Budgets))]
    public async Task SteadyStateMessages_AllocateNoMoreThanTheirBudget(string name)
    {
        AllocationBudgets file = AllocationBudgets.Load();
        AllocationBudget budget = file.Budgets.Single(b => b.Name == name);
        int messages = file.MessagesPerWindow;

        // Off xunit's synchronization context: continuations posted to it would allocate and be counted.
        List<Window> windows = await Task.Run(async () =>
        {
            await MeasureAsync(name, messages, file.CalibrationMessagesPerWindow).ConfigureAwait(false); // warm-up, not counted
            var measured = new List<Window>();
            while (measured.Count < MaxWindows)
            {
                measured.Add(await MeasureAsync(name, messages, file.CalibrationMessagesPerWindow).ConfigureAwait(false));
                if (measured.Count >= MinWindows && Estimate(measured, file).PerMessage <= budget.BytesPerMessage + Tolerance(measured, file))
                {
                    break;
                }
            }

            return measured;
        });

        // NOTE: GC.GetTotalAllocatedBytes counts every thread of the process, as it must (the connection loop and the
        // commit loop run on pool threads), so it also counts whatever else the process does meanwhile: thread-pool
        // threads being added, the test host reporting. That noise only ever adds bytes, a few KB in some windows and
        // none in others, so the least of at least three windows is the messages' own cost (more windows, up to ten,
        // while every one so far was over). A real per-message allocation, at least 24 B per message, shows in every
        // window. Durable messages also pay for group commits; how much is measured in the same run (see Estimate).
        (double perMessage, double perCommit) = Estimate(windows, file);
        double tolerance = Tolerance(windows, file);
        string detail = $"{name}: {perMessage:0.###} B/message (budget {budget.BytesPerMessage} B + {tolerance} B tolerance)" +
            (windows[0].IsDurable ? $", {perCommit:0} B per commit measured in this run (budget {file.BytesPerCommit} B)" : "") +
            $"; windows of {messages} messages: {string.Join(", ", windows.Select(w => w.ToString()))}";
        _output.WriteLine(detail);
        Assert.True(perMessage <= budget.BytesPerMessage + tolerance, detail);
        Assert.True(perCommit <= file.BytesPerCommit, detail);
    }

    /// <summary>
    /// The bytes per message, and per commit, of the best windows. A window of a message that does not wait for its
    /// commit (or the parsing path) is its bytes, less the noise allowance and its commits at the per-commit budget,
    /// over its messages. A durable message's window is two measurements of
    /// the same message, one from the fleet (about 32 messages per commit) and one from a single charger (one message
    /// per commit, since each waits for its own reply): bytes = commits × c + messages × m in both, solved for m and c.
    /// </summary>
    /// <remarks>
    /// NOTE: the solve takes the single-charger calibration with the fewest bytes per message over all windows: noise
    /// only adds bytes, and noise in the calibration would lower m (by the noise per calibration message divided by
    /// about 31, the fleet's messages per commit less one), so the quietest calibration is the one to trust. Noise in
    /// a fleet window raises m, and the least m over the windows is kept. So a 24 B/message allocation hides only if
    /// every calibration window carries about 31 × 12 B × 200 = 74 KB of noise, and a clean build fails only if every
    /// fleet window carries 12 B × 2,000 = 24 KB beyond the noise allowance; the noise seen is a few KB.
    /// </remarks>
    private static (double PerMessage, double PerCommit) Estimate(List<Window> windows, AllocationBudgets file)
    {
        if (!windows[0].IsDurable)
        {
            // NOTE: the log's commit loop also commits a window's non-durable events on its own clock (a few commits per
            // window, or none, by timing); each is allowed at the file's per-commit budget. A 24 B/message allocation is
            // 48 KB per window, beyond what the handful of commits a window sees could cover.
            return (Math.Max(0, windows.Min(w => (double)(w.Bytes - (w.Commits * file.BytesPerCommit) - file.NoiseBytesPerWindow) / w.Messages)), 0);
        }

        Window solo = windows.MinBy(w => (double)w.SoloBytes / w.SoloMessages);
        double bestMessage = double.MaxValue, commit = 0;
        foreach (Window fleet in windows)
        {
            double fleetBytes = fleet.Bytes - file.NoiseBytesPerWindow;
            double determinant = ((double)fleet.Messages * solo.SoloCommits) - ((double)solo.SoloMessages * fleet.Commits);
            if (determinant <= 0)
            {
                Assert.Fail($"The fleet shared no commits ({fleet}): the commit cost cannot be told from the messages' cost");
            }

            double m = ((fleetBytes * solo.SoloCommits) - ((double)solo.SoloBytes * fleet.Commits)) / determinant;
            if (m < bestMessage)
            {
                bestMessage = m;
                commit = (((double)fleet.Messages * solo.SoloBytes) - (solo.SoloMessages * fleetBytes)) / determinant;
            }
        }

        return (Math.Max(0, bestMessage), commit);
    }

    /// <summary>What the commit calibration may be off by, per message: durable messages only (see Estimate).</summary>
    private static double Tolerance(List<Window> windows, AllocationBudgets file) =>
        windows[0].IsDurable ? file.CalibrationToleranceBytesPerMessage : 0;

    /// <summary>
    /// Bytes allocated process-wide, and commits made, while <paramref name="count"/> warm messages of one kind are
    /// handled; for a durable message, also while <paramref name="calibration"/> of them come from one charger.
    /// </summary>
    private async Task<Window> MeasureAsync(string name, int count, int calibration)
    {
        if (name == FrameParsing)
        {
            return new Window(MeasureParsing(count), 0, count);
        }

        var message = Enum.Parse<HotMessage>(name);

        // The state machine of this method is allocated at its first suspension: make that happen before counting.
        await Task.Yield();
        // NOTE: the budget charger's StatusNotification (Charging on the connector of its open transaction) waits for a
        // commit too, so it is measured as a durable message: its commits are solved for, not allowed at the budget.
        if (message is HotMessage.MeterValues or HotMessage.TransactionEvent or HotMessage.StartTransaction or HotMessage.StopTransaction
            or HotMessage.StatusNotification)
        {
            // Durable before acknowledged: with one charger every message waits for a commit of its own. A fleet
            // sends at once, so one commit serves many messages, as on a busy gateway; the single charger's window
            // measures what a commit costs (see Estimate).
            HotPathFleet fleet = _fixture.Fleet;
            (long bytes, long commits, int sent) = await MeasureDurableAsync(message, count / fleet.Size, fleet.Size,
                m => fleet.SendAsync(m), m => fleet.FirstFailure(m)).ConfigureAwait(false);
            HotPathCharger charger = _fixture.Charger;
            (long soloBytes, long soloCommits, int soloSent) = await MeasureDurableAsync(message, calibration, 1,
                m => charger.SendAsync(m), m => (m == HotMessage.TransactionEvent ? charger.Station : charger.Charger) is { LastReplyIsCallResult: false } c ? c : null)
                .ConfigureAwait(false);
            return new Window(bytes, commits, sent, soloBytes, soloCommits, soloSent);
        }

        Storage.Log.EventLog log = _fixture.Gateway.Storage.Log;
        HotPathCharger single = _fixture.Charger;
        long start = GC.GetTotalAllocatedBytes(precise: true), commitsAtStart = log.CommitCount;
        for (int i = 0; i < count; i++)
        {
            await single.SendAsync(message).ConfigureAwait(false);
            if (!single.Charger.LastReplyIsCallResult)
            {
                Assert.Fail($"{message}: expected a CALLRESULT, got {single.Charger.LastReplyText}");
            }
        }

        return new Window(GC.GetTotalAllocatedBytes(precise: true) - start, log.CommitCount - commitsAtStart, count);
    }

    /// <summary>
    /// <paramref name="rounds"/> rounds of <paramref name="message"/> from <paramref name="size"/> chargers at once:
    /// bytes and commits counted around each round. StartTransaction and StopTransaction alternate (each is a real
    /// transaction, see HotPathCharger); only the named one is counted.
    /// </summary>
    private async Task<(long Bytes, long Commits, int Messages)> MeasureDurableAsync(
        HotMessage message, int rounds, int size, Func<HotMessage, ValueTask> send, Func<HotMessage, EmbeddedCharger?> failure)
    {
        await Task.Yield(); // this state machine too is allocated at its first suspension, before counting
        Storage.Log.EventLog log = _fixture.Gateway.Storage.Log;
        long bytes = 0, commits = 0;
        for (int i = 0; i < rounds; i++)
        {
            if (message is HotMessage.MeterValues or HotMessage.TransactionEvent or HotMessage.StatusNotification)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true), commitsBefore = log.CommitCount;
                await send(message).ConfigureAwait(false);
                bytes += GC.GetTotalAllocatedBytes(precise: true) - before;
                commits += log.CommitCount - commitsBefore;
                EnsureCallResults(failure, message);
                continue;
            }

            long startBefore = GC.GetTotalAllocatedBytes(precise: true), startCommits = log.CommitCount;
            await send(HotMessage.StartTransaction).ConfigureAwait(false);
            long stopBefore = GC.GetTotalAllocatedBytes(precise: true), stopCommits = log.CommitCount;
            EnsureCallResults(failure, HotMessage.StartTransaction);
            await send(HotMessage.StopTransaction).ConfigureAwait(false);
            long stopAfter = GC.GetTotalAllocatedBytes(precise: true), stopCommitsAfter = log.CommitCount;
            EnsureCallResults(failure, HotMessage.StopTransaction);
            bool started = message == HotMessage.StartTransaction;
            bytes += started ? stopBefore - startBefore : stopAfter - stopBefore;
            commits += started ? stopCommits - startCommits : stopCommitsAfter - stopCommits;
        }

        return (bytes, commits, rounds * size);
    }

    private static long MeasureParsing(int count)
    {
        var path = new FrameParsingPath();
        // The parsing path validates against the 1.6 schemas; TransactionEvent (2.x) is measured end to end only.
        HotMessage[] kinds = Enum.GetValues<HotMessage>().Where(m => m != HotMessage.TransactionEvent).ToArray();
        var frames = new SegmentedFrame[kinds.Length * 2];
        for (int i = 0; i < kinds.Length; i++)
        {
            ClientFrame frame = Ocpp16Samples.Frame(kinds[i]);
            frames[2 * i] = new SegmentedFrame(frame);
            frames[(2 * i) + 1] = new SegmentedFrame(frame, (frame.Bytes.Length + 1) / 2);
        }

        foreach (SegmentedFrame frame in frames)
        {
            Assert.True(path.TryParseCall(frame.Refill()), frame + " does not parse");
        }

        long start = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < count; i++)
        {
            if (!path.TryParseCall(frames[i % frames.Length].Refill()))
            {
                Assert.Fail(frames[i % frames.Length] + " does not parse");
            }
        }

        return GC.GetTotalAllocatedBytes(precise: true) - start;
    }

    private static void EnsureCallResults(Func<HotMessage, EmbeddedCharger?> failure, HotMessage message)
    {
        if (failure(message) is { } failed)
        {
            Assert.Fail($"{message} from {failed.ChargePointId}: expected a CALLRESULT, got {failed.LastReplyText}");
        }
    }

    /// <summary>
    /// One measured window: bytes allocated process-wide, commits made, messages handled; for a durable message, the
    /// same from one charger alone (the commit calibration).
    /// </summary>
    private readonly record struct Window(long Bytes, long Commits, int Messages, long SoloBytes = 0, long SoloCommits = 0, int SoloMessages = 0)
    {
        public bool IsDurable => SoloMessages > 0;

        public override string ToString() => IsDurable
            ? $"{Bytes} B/{Commits} commits (alone: {SoloBytes} B/{SoloCommits} commits/{SoloMessages} messages)"
            : $"{Bytes} B/{Commits} commits";
    }
}

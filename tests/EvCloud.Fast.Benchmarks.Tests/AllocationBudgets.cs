using System.Text.Json;

namespace EvCloud.Fast.Benchmarks.Tests;

/// <summary><c>bench/EvCloud.Fast.Benchmarks/allocation-budgets.json</c>, copied next to the test assembly.</summary>
public sealed class AllocationBudgets
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Warm messages per measured window.</summary>
    public int MessagesPerWindow { get; set; }

    /// <summary>
    /// Allowed bytes per group commit of the event log, as measured in the same run (a durable message's window
    /// is solved for its per-message and per-commit bytes): a cost paid once per commit, whatever the number of
    /// messages it makes durable.
    /// </summary>
    public double BytesPerCommit { get; set; }

    /// <summary>Messages one charger sends alone, per window of a durable message, to measure the commit cost.</summary>
    public int CalibrationMessagesPerWindow { get; set; }

    /// <summary>
    /// How far the per-message bytes of a durable message, solved with the measured commit cost, may be above its
    /// budget: the estimate's error, well below the 24 B of the smallest object.
    /// </summary>
    public double CalibrationToleranceBytesPerMessage { get; set; }

    /// <summary>Where the per-commit bytes come from.</summary>
    public string? CommitReason { get; set; }

    /// <summary>Bytes per window that no message causes (background work of the runtime and the test host).</summary>
    public long NoiseBytesPerWindow { get; set; }

    /// <summary>Why the noise allowance cannot hide a per-message allocation.</summary>
    public string? NoiseReason { get; set; }

    /// <summary>One entry per message type (and the parsing path).</summary>
    public List<AllocationBudget> Budgets { get; set; } = [];

    /// <summary>Reads the file shipped with the tests.</summary>
    public static AllocationBudgets Load() =>
        JsonSerializer.Deserialize<AllocationBudgets>(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "allocation-budgets.json")), Options)
        ?? throw new InvalidDataException("allocation-budgets.json is empty");
}

/// <summary>The bytes one steady-state message may allocate, process-wide.</summary>
public sealed class AllocationBudget
{
    /// <summary>A <c>HotMessage</c> name, or <c>FrameParsing</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Allowed bytes per message (a fraction when a cost is shared by many messages).</summary>
    public double BytesPerMessage { get; set; }

    /// <summary>Why the budget is not 0, and where the bytes come from.</summary>
    public string? Reason { get; set; }
}

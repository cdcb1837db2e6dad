using EvCloud.Fast.Fuzz;

namespace EvCloud.Fast.Fuzz.Tests;

/// <summary>
/// Every seed of <c>fuzz/corpus/&lt;target&gt;</c> and every fixed crash of <c>fuzz/crashes-fixed/&lt;target&gt;</c> runs
/// through its target's entry point, the one AFL++ calls, and crashes nothing. Inputs in <c>fuzz/crashes-open</c>
/// (found, not fixed yet) are not replayed; a test only checks that each names an existing target.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fuzz");

    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (string name in FuzzTargets.Names)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCorpusAndFixedCrashInput_RunsWithoutACrash(string target)
    {
        string[] files = Inputs("corpus", target).Concat(Inputs("crashes-fixed", target)).ToArray();
        Assert.NotEmpty(Inputs("corpus", target));

        IFuzzTarget fuzz = FuzzTargets.Create(target);
        var crashes = new List<string>();
        try
        {
            foreach (string file in files)
            {
                try
                {
                    fuzz.Run(File.ReadAllBytes(file));
                }
                catch (Exception ex)
                {
                    crashes.Add($"{Path.GetRelativePath(Root, file)}: {ex}");
                }
            }
        }
        finally
        {
            (fuzz as IDisposable)?.Dispose();
        }

        Assert.True(crashes.Count == 0, $"{crashes.Count} of {files.Length} inputs crashed {target}:\n" + string.Join("\n\n", crashes));
    }

    [Fact]
    public void EveryCorpusFolder_IsATarget_AndEveryTargetHasACorpus()
    {
        string[] folders = Directory.GetDirectories(Path.Combine(Root, "corpus")).Select(Path.GetFileName).ToArray()!;
        Assert.Equal(FuzzTargets.Names.Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));
        foreach (string kind in new[] { "crashes-fixed", "crashes-open" })
        {
            string path = Path.Combine(Root, kind);
            if (Directory.Exists(path))
            {
                Assert.All(Directory.GetDirectories(path), d => Assert.Contains(Path.GetFileName(d), FuzzTargets.Names));
            }
        }
    }

    [Fact]
    public void TheAnswersTheGatewayGivesToBadMessages_AreNotCrashes()
    {
        // A schema violation, an unknown action, JSON cut short and an answer to a CALL never made are answered
        // (CALLERROR, or nothing): the target must not count them as crashes, or the fuzzer would report only those.
        IFuzzTarget fuzz = FuzzTargets.Create("ocpp16");
        try
        {
            fuzz.Run("""[2,"1","StartTransaction",{"connectorId":"one"}]"""u8);
            fuzz.Run("""[2,"2","NoSuchAction",{}]"""u8);
            fuzz.Run("""[2,"3","Heartbeat",{}"""u8);
            fuzz.Run("""[3,"4",{}]"""u8);
        }
        finally
        {
            (fuzz as IDisposable)?.Dispose();
        }
    }

    private static IEnumerable<string> Inputs(string kind, string target)
    {
        string directory = Path.Combine(Root, kind, target);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];
    }
}

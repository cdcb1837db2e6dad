using System.Text.Json;
using EvCloud.Fast.Load;
using EvCloud.Fast.Load.Profiles;

if (args.Length == 2 && args[0] == "results")
{
    return ResultsPage.Write(args[1]);
}

// Profile runs (steady, stress, storm, transactions, populate) and their worker processes; 'idle' below.
bool worker = args.Length > 1 && args[0] == "worker";
if (worker || (args.Length > 0 && RunOptions.IsProfile(args[0])))
{
    RunOptions run;
    try
    {
        run = RunOptions.Parse(worker ? args[1..] : args);
    }
    catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        Console.Error.WriteLine(RunOptions.Usage);
        return 2;
    }

    if (worker)
    {
        return await Worker.RunAsync(run);
    }

    RunReport result = await new Coordinator(run, "EvCloud.Fast.Load " + string.Join(' ', args)).RunAsync();
    string markdown = RunSummary.Markdown(result, run.Out);
    if (run.Out is { } prefix)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        await File.WriteAllTextAsync(prefix + ".json", JsonSerializer.Serialize(result, RunReportJsonContext.Default.RunReport) + "\n");
        await File.WriteAllTextAsync(prefix + ".md", markdown);
        RunSummary.Plots(result, prefix);
    }

    Console.WriteLine(markdown);
    return result.Aborted || result.Startup.Failed > 0 || result.Errors.Count > 0 ? 1 : 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(LoadOptions.Usage);
    Console.WriteLine();
    Console.WriteLine(RunOptions.Usage);
    return 0;
}

IdleReport report = await new IdleRun(options, string.Join(' ', args)).RunAsync();
string json = JsonSerializer.Serialize(report, ReportJsonContext.Default.IdleReport);
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, json + "\n");
}

Console.WriteLine(Summary.Format(report));
return report.Aborted || report.Startup.Failed > 0 ? 1 : 0;

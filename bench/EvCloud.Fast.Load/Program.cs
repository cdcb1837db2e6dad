using System.Text.Json;
using EvCloud.Fast.Load;

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

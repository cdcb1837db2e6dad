using System.Diagnostics;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Host;

namespace EvCloud.Fast.Integration.Tests.Host;

/// <summary>The command line as a user types it: help, typos, configuration switches and the tools.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("export-cdrs", "--help")]
    [InlineData("--Storage:DataDirectory=/nowhere", "--help")]
    public async Task Help_PrintsTheUsage_AndExitsZero_WithoutStartingTheServer(params string[] args)
    {
        (int exit, string output, _, string[]? served) = await InvokeAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("export-cdrs", output, StringComparison.Ordinal);
        Assert.Null(served);
    }

    [Theory]
    [InlineData("--bogus")] // not an option of the server
    [InlineData("--export")] // a misspelt tool
    [InlineData("serve", "--Storage:DataDirectory=./x")] // a stray argument next to a valid switch
    [InlineData("export-cdrs", "a.csv", "--format", "xml")] // a format the export does not write
    [InlineData("export-cdrs", "a.csv", "--from", "yesterday")] // not a date
    public async Task AnUnknownOrInvalidCommandLine_FailsWithTheUsage_AndStartsNothing(params string[] args)
    {
        (int exit, _, string error, string[]? served) = await InvokeAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
        Assert.Null(served);
    }

    [Fact]
    public async Task ConfigurationSwitches_InBothSpellings_GoToTheServer()
    {
        (int exit, _, _, string[]? served) = await InvokeAsync(
            ["--Storage:DataDirectory", "/srv/evcloud", "--Ocpp:Chargers:BootPolicy=KnownOnly", "--urls", "http://127.0.0.1:0"]);

        Assert.Equal(0, exit);
        Assert.Equal(["--Storage:DataDirectory", "/srv/evcloud", "--Ocpp:Chargers:BootPolicy=KnownOnly", "--urls", "http://127.0.0.1:0"], served!);
    }

    [Fact]
    public async Task HashApiKey_PrintsTheConfigurationHash_AndStartsNothing()
    {
        (int exit, string output, _, string[]? served) = await InvokeAsync(["hash-api-key", "abc"]);

        Assert.Equal(0, exit);
        Assert.Equal("hash: sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", output.Trim());
        Assert.Null(served);
    }

    [Fact]
    public async Task ExportCdrs_ReadsTheDataDirectoryFromTheEnvironment_AndWritesARelativeFileInTheCurrentDirectory()
    {
        string root = Path.Combine(Path.GetTempPath(), "evcloud-tests", "cli-" + Guid.NewGuid().ToString("N"));
        string data = Path.Combine(root, "var", "data");
        string cwd = Path.Combine(root, "work");
        Directory.CreateDirectory(cwd);
        try
        {
            await using (CdrStore store = await CdrStore.OpenAsync(data, TimeSpan.FromMilliseconds(1)))
            {
                await store.AddAsync([Sample("CDR-ENV-1", 1), Sample("CDR-ENV-2", 2)]);
            }

            // The installed binary as an operator runs it: the data directory only in the environment (as the
            // systemd unit's environment file sets it), the output file named relative to where the command runs.
            var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EvCloud.Fast.Host.dll"), "export-cdrs", "out.csv"])
            {
                WorkingDirectory = cwd,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["Storage__DataDirectory"] = data;
            using Process process = Process.Start(psi)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Contains("2 CDRs", await stdout, StringComparison.Ordinal);
            string[] lines = await File.ReadAllLinesAsync(Path.Combine(cwd, "out.csv"));
            Assert.Equal(CdrExport.CsvHeader, lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.Contains(lines, l => l.StartsWith("CDR-ENV-1,", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("CDR-ENV-2,", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(cwd, "data")), "the export created a data directory where it ran");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ExportCdrs_FromADataDirectoryThatDoesNotExist_FailsInsteadOfWritingAnEmptyFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), "evcloud-tests", "missing-" + Guid.NewGuid().ToString("N"));
        string target = missing + ".csv";

        (int exit, _, string error, _) = await InvokeAsync(["export-cdrs", target, $"--Storage:DataDirectory={missing}"]);

        Assert.NotEqual(0, exit);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
        Assert.False(File.Exists(target));
    }

    private static async Task<(int Exit, string Output, string Error, string[]? Served)> InvokeAsync(string[] args)
    {
        string[]? served = null;
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await EvCloudCommandLine.InvokeAsync(args, (configuration, _) =>
        {
            served = configuration;
            return Task.CompletedTask;
        }, output, error);
        return (exit, output.ToString(), error.ToString(), served);
    }

    private static StoredCdr Sample(string id, int transactionId) => new()
    {
        Id = id,
        TransactionId = transactionId,
        ChargerId = "CP-ENV",
        ConnectorId = 1,
        IdTag = "TAG-1",
        StartMs = 1_800_000_000_000,
        EndMs = 1_800_000_600_000,
        CreatedMs = 1_800_000_601_000,
        Currency = "EUR",
        TotalExclVat = "3.60",
        TotalInclVat = "4.36",
        TotalEnergyKwh = "12",
        TariffId = "ROAM-KWH",
        CdrJson = System.Text.Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\"}"),
        Points = [new StoredPoint(1_800_000_000_000, 0, true), new StoredPoint(1_800_000_600_000, 12_000, false)],
        TimeZone = "Europe/Amsterdam",
    };
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Storage;

namespace EvCloud.Fast.Host;

/// <summary>
/// The command line (System.CommandLine): no command runs the server; <c>export-cdrs</c> and <c>hash-api-key</c> are
/// tools that run instead of it. Configuration switches (<c>--Section:Key=value</c> or <c>--Section:Key value</c>, and
/// the host's <c>--urls</c> / <c>--environment</c>) are accepted anywhere and go, with appsettings.json and the
/// environment variables, into the configuration the server and the tools read, exactly as in ASP.NET Core; any other
/// unknown option or argument is an error that prints the usage and exits with 1, so a typo never starts a server.
/// </summary>
public static class EvCloudCommandLine
{
    /// <summary>Top-level configuration keys the ASP.NET Core host reads that carry no section.</summary>
    private static readonly string[] HostKeys = ["urls", "environment"];

    /// <summary>
    /// Parses <paramref name="args"/> and runs what it asks for; <paramref name="serve"/> runs the server with the
    /// configuration switches (Program.cs passes <see cref="EvCloudServer.Build"/> and <c>RunAsync</c>). Returns the
    /// process exit code.
    /// </summary>
    public static Task<int> InvokeAsync(string[] args, Func<string[], CancellationToken, Task> serve, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(serve);
        (string[] configuration, string[] commandLine) = SplitConfigurationSwitches(args);
        RootCommand root = Create(configuration, serve, output, error);
        ParseResult parsed = root.Parse(commandLine);
        // NOTE: ProcessTerminationTimeout null leaves SIGINT/SIGTERM to the ASP.NET Core host, whose graceful shutdown
        // writes the final checkpoint; the parser's own handler would end the process after its timeout instead.
        // A command line with errors gets its usage on standard error too, so a script's output stays clean.
        TextWriter usage = parsed.Errors.Count > 0 ? error : output;
        return parsed.InvokeAsync(new InvocationConfiguration { Output = usage, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }

    /// <summary>
    /// Separates configuration switches from the command line proper. A switch is <c>--Name=value</c> or
    /// <c>--Name value</c> where the name has a <c>:</c> (a configuration path) or is one of the host's top-level keys;
    /// the rest is left to the parser.
    /// </summary>
    public static (string[] Configuration, string[] CommandLine) SplitConfigurationSwitches(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var configuration = new List<string>();
        var commandLine = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!IsConfigurationSwitch(arg))
            {
                commandLine.Add(arg);
                continue;
            }

            configuration.Add(arg);
            if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
            {
                configuration.Add(args[++i]);
            }
        }

        return ([.. configuration], [.. commandLine]);
    }

    private static bool IsConfigurationSwitch(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
        {
            return false;
        }

        int end = arg.IndexOf('=', StringComparison.Ordinal);
        ReadOnlySpan<char> name = end < 0 ? arg.AsSpan(2) : arg.AsSpan(2, end - 2);
        if (name.IsEmpty)
        {
            return false;
        }

        if (name.Contains(':'))
        {
            return true;
        }

        foreach (string key in HostKeys)
        {
            if (name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static RootCommand Create(string[] configuration, Func<string[], CancellationToken, Task> serve, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "EvCloud.Fast: OCPP gateway, CDRs and OCPI roaming in one server. Without a command it runs the server.\n\n" +
            "Configuration is read the ASP.NET Core way: appsettings.json next to the binary, environment variables\n" +
            "(Storage__DataDirectory=/var/lib/evcloud) and switches anywhere on the command line\n" +
            "(--Storage:DataDirectory=./data or --Storage:DataDirectory ./data). Relative paths are relative to the\n" +
            "current directory.");
        root.SetAction((_, cancellationToken) => serve(configuration, cancellationToken));

        var target = new Argument<string>("file")
        {
            Description = "Where to write, relative to the current directory; - for standard output",
            DefaultValueFactory = _ => "-",
        };
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only CDRs whose session ended at or after this time (ISO 8601)", CustomParser = ParseTime };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only CDRs whose session ended before this time (ISO 8601)", CustomParser = ParseTime };
        var charger = new Option<string?>("--charger") { Description = "Only this charger's CDRs" };
        var export = new Command("export-cdrs",
            "Write the CDR store as CSV or JSON lines, from Storage:DataDirectory (default ./data). Run it while the server is stopped.")
        {
            target, format, from, to, charger,
        };
        export.SetAction((result, cancellationToken) => ExportCdrsAsync(
            EvCloudServer.ReadConfiguration(configuration),
            result.GetRequiredValue(target),
            result.GetRequiredValue(format),
            result.GetValue(from),
            result.GetValue(to),
            result.GetValue(charger),
            output,
            error,
            cancellationToken));
        root.Add(export);

        var key = new Argument<string?>("key")
        {
            Description = "The key to hash; - reads it from standard input; none generates a new key",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hash = new Command("hash-api-key", "Print the Api:Keys:N:Hash value of an API key, so configuration never holds the key itself") { key };
        hash.SetAction(result =>
        {
            string? given = result.GetValue(key);
            if (given == "-")
            {
                given = Console.In.ReadLine()?.Trim();
            }

            if (string.IsNullOrEmpty(given))
            {
                given = ApiKeyStore.NewKey();
                output.WriteLine("key:  " + given);
            }

            output.WriteLine("hash: " + ApiKeyStore.ConfigurationHash(given));
        });
        root.Add(hash);
        return root;
    }

    private static DateTimeOffset? ParseTime(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return time;
        }

        result.AddError($"'{text}' is not a date and time (ISO 8601, e.g. 2026-11-01T00:00:00Z)");
        return null;
    }

    private static async Task<int> ExportCdrsAsync(IConfiguration configuration, string target, string format, DateTimeOffset? from, DateTimeOffset? to, string? chargerId, TextWriter console, TextWriter error, CancellationToken cancellationToken)
    {
        string dataDirectory = Path.GetFullPath((configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions()).DataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            // NOTE: opening the store creates it; an export from a mistyped directory would leave an empty store behind
            // and write an empty file that looks like "no CDRs".
            await error.WriteLineAsync($"No data directory at {dataDirectory} (set Storage:DataDirectory)").ConfigureAwait(false);
            return 2;
        }

        await using CdrStore store = await CdrStore.OpenAsync(dataDirectory, TimeSpan.FromMilliseconds(2), cancellationToken).ConfigureAwait(false);
        if (target == "-")
        {
            await CdrExport.WriteAsync(store, console, format, from, to, chargerId, null, cancellationToken).ConfigureAwait(false);
            await console.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        string path = Path.GetFullPath(target);
        int count;
        await using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)))
        {
            count = await CdrExport.WriteAsync(store, writer, format, from, to, chargerId, null, cancellationToken).ConfigureAwait(false);
        }

        await console.WriteLineAsync($"{count} CDRs from {dataDirectory} written to {path}").ConfigureAwait(false);
        return 0;
    }
}

using System.Text;

namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>
/// Turns the official OCPP JSON schemas into typed payload records, enums, one source-generated
/// <c>JsonSerializerContext</c> per version and a table of actions. The output is checked in; a test regenerates it in
/// memory and fails when the files on disk differ, so a schema or generator change without regeneration fails CI.
/// </summary>
public static class OcppCodeGenerator
{
    /// <summary>The schemas, relative to the repository root.</summary>
    public const string SchemaDirectory = "src/EvCloud.Fast.Ocpp/Schemas";

    /// <summary>Where the generated files go, relative to the repository root: one folder per version.</summary>
    public const string OutputDirectory = "src/EvCloud.Fast.Ocpp/Messages/Generated";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Generates every file, sorted by path.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(string repositoryRoot)
    {
        var files = new List<GeneratedFile>();
        foreach (ProtocolVersionSpec version in ProtocolVersionSpec.All)
        {
            string folder = Path.Combine(repositoryRoot, SchemaDirectory, version.SchemaFolder);
            List<SchemaFile> schemas = [.. Directory.GetFiles(folder, "*.json").Select(path => SchemaFile.Load(path, version))];
            var builder = new SchemaModelBuilder(version, schemas);
            builder.Build();
            var actionsWithResponse = new HashSet<string>(schemas.Where(s => s.IsResponse).Select(s => s.Action), StringComparer.Ordinal);
            foreach (TypeModel type in builder.Types)
            {
                files.Add(new GeneratedFile($"{version.Suffix}/{type.Name}.cs", CSharpEmitter.Type(type, version, actionsWithResponse)));
            }

            files.Add(new GeneratedFile($"{version.Suffix}/{version.ContextName}.cs", CSharpEmitter.Context(version, builder.Types)));
            files.Add(new GeneratedFile($"{version.Suffix}/{version.ActionsClassName}.cs", CSharpEmitter.Actions(version, builder.Messages)));
        }

        return [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    /// <summary>
    /// What differs between <paramref name="files"/> and the checked-in output: one line per file that is missing,
    /// changed, or present on disk but no longer generated. Empty when the output is current.
    /// </summary>
    public static IReadOnlyList<string> Compare(string repositoryRoot, IReadOnlyList<GeneratedFile> files)
    {
        string output = Path.Combine(repositoryRoot, OutputDirectory);
        var differences = new List<string>();
        var expected = new HashSet<string>(files.Select(f => f.RelativePath), StringComparer.Ordinal);
        foreach (GeneratedFile file in files)
        {
            string path = Path.Combine(output, file.RelativePath);
            if (!File.Exists(path))
            {
                differences.Add($"missing: {file.RelativePath}");
            }
            else if (File.ReadAllText(path) != file.Content)
            {
                differences.Add($"changed: {file.RelativePath}");
            }
        }

        foreach (string stale in OnDisk(output).Where(p => !expected.Contains(p)))
        {
            differences.Add($"not generated: {stale}");
        }

        return differences;
    }

    /// <summary>Writes the files that changed and deletes generated files no schema produces any more.</summary>
    /// <returns>The number of files written and deleted.</returns>
    public static (int Written, int Deleted) Write(string repositoryRoot, IReadOnlyList<GeneratedFile> files)
    {
        string output = Path.Combine(repositoryRoot, OutputDirectory);
        int written = 0, deleted = 0;
        var expected = new HashSet<string>(files.Select(f => f.RelativePath), StringComparer.Ordinal);
        foreach (string stale in OnDisk(output).Where(p => !expected.Contains(p)))
        {
            File.Delete(Path.Combine(output, stale));
            deleted++;
        }

        foreach (GeneratedFile file in files)
        {
            string path = Path.Combine(output, file.RelativePath);
            if (File.Exists(path) && File.ReadAllText(path) == file.Content)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content, Utf8NoBom);
            written++;
        }

        return (written, deleted);
    }

    /// <summary>The folder holding <c>EvCloud.Fast.sln</c>, searched upwards from <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EvCloud.Fast.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No EvCloud.Fast.sln in {start} or any folder above it.");
    }

    private static IEnumerable<string> OnDisk(string output) =>
        Directory.Exists(output)
            ? Directory.GetFiles(output, "*.cs", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(output, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
            : [];
}

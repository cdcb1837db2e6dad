using EvCloud.Fast.Ocpp.Codegen;

// Regenerates the OCPP payload types from the schemas:
//   dotnet run --project tools/EvCloud.Fast.Ocpp.Codegen            writes src/EvCloud.Fast.Ocpp/Messages/Generated
//   dotnet run --project tools/EvCloud.Fast.Ocpp.Codegen -- --check  exits 1 if the checked-in output is stale
bool check = args.Contains("--check");
string? rootArgument = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
string root = rootArgument ?? OcppCodeGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory());

IReadOnlyList<GeneratedFile> files = OcppCodeGenerator.Generate(root);
if (check)
{
    IReadOnlyList<string> differences = OcppCodeGenerator.Compare(root, files);
    foreach (string difference in differences)
    {
        Console.Error.WriteLine(difference);
    }

    Console.WriteLine(differences.Count == 0
        ? $"{files.Count} generated files are current."
        : $"{differences.Count} of the generated files are stale: run `dotnet run --project tools/EvCloud.Fast.Ocpp.Codegen`.");
    return differences.Count == 0 ? 0 : 1;
}

(int written, int deleted) = OcppCodeGenerator.Write(root, files);
Console.WriteLine($"{files.Count} files generated under {OcppCodeGenerator.OutputDirectory}: {written} written, {deleted} deleted.");
return 0;

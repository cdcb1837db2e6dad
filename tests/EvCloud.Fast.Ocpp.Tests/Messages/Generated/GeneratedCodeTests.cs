using EvCloud.Fast.Ocpp.Codegen;

namespace EvCloud.Fast.Ocpp.Tests.Messages.Generated;

/// <summary>The checked-in generated code is what the generator makes of the schemas now.</summary>
public class GeneratedCodeTests
{
    [Fact]
    public void CheckedInGeneratedCode_IsWhatTheGeneratorProducesFromTheSchemasNow()
    {
        string root = GeneratedTypesFixture.RepositoryRoot;

        IReadOnlyList<string> differences = OcppCodeGenerator.Compare(root, OcppCodeGenerator.Generate(root));

        Assert.True(differences.Count == 0,
            "The generated OCPP types are stale; run `dotnet run --project tools/EvCloud.Fast.Ocpp.Codegen` and commit the result:\n"
            + string.Join("\n", differences));
    }

    [Fact]
    public void Generator_IsDeterministic()
    {
        string root = GeneratedTypesFixture.RepositoryRoot;

        Assert.Equal(OcppCodeGenerator.Generate(root), OcppCodeGenerator.Generate(root));
    }

    [Fact]
    public void FramePath_DoesNotUseTheGeneratedTypes()
    {
        // The charger message path reads payloads with hand-written zero-allocation readers; the generated records
        // allocate and are for commands, the API and tools.
        string ocpp = Path.Combine(GeneratedTypesFixture.RepositoryRoot, "src", "EvCloud.Fast.Ocpp");
        string[] offenders = [.. new[] { "Rpc", "Transport", "Handlers", "Server", "Authorization", "DeviceModel", "Security" }
            .Select(folder => Path.Combine(ocpp, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => File.ReadAllText(file).Contains("Messages.Generated", StringComparison.Ordinal))];

        Assert.Empty(offenders);
    }

    [Fact]
    public void DefinitionsThatDifferUnderOneName_BecomeSeparateTypesNamedAfterTheirAction()
    {
        string root = Directory.CreateTempSubdirectory("ocpp-codegen-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "EvCloud.Fast.sln"), "");
            foreach (string folder in new[] { "ocpp1.6", "ocpp2.0.1", "ocpp2.1" })
            {
                Directory.CreateDirectory(Path.Combine(root, OcppCodeGenerator.SchemaDirectory, folder));
            }

            string v201 = Path.Combine(root, OcppCodeGenerator.SchemaDirectory, "ocpp2.0.1");
            File.WriteAllText(Path.Combine(v201, "AlphaRequest.json"), Schema("""["Accepted","Rejected"]""", "Alpha's wording."));
            File.WriteAllText(Path.Combine(v201, "BetaRequest.json"), Schema("""["Accepted","Rejected"]""", "Beta's wording."));
            File.WriteAllText(Path.Combine(v201, "GammaRequest.json"), Schema("""["Accepted","Rejected","Pending"]""", "Gamma's."));

            var files = OcppCodeGenerator.Generate(root).ToDictionary(f => f.RelativePath, f => f.Content);

            // Alpha and Beta differ only in the description: one type, Alpha's description (first file).
            Assert.Contains("Alpha's wording.", files["V201/StatusEnumType.cs"]);
            Assert.Contains("Declared alike by 2 schemas of this version, whose descriptions differ", files["V201/StatusEnumType.cs"]);
            Assert.Contains("public required StatusEnumType Status", files["V201/BetaRequest.cs"]);
            // Gamma's has another value: its own type, named after its action.
            Assert.Contains("Pending", files["V201/GammaStatusEnumType.cs"]);
            Assert.Contains("public required GammaStatusEnumType Status", files["V201/GammaRequest.cs"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        static string Schema(string values, string description) => $$$"""
            {"$id":"urn:X","definitions":{"StatusEnumType":{"description":"{{{description}}}","type":"string","enum":{{{values}}}}},
             "type":"object","additionalProperties":false,"properties":{"status":{"$ref":"#/definitions/StatusEnumType"}},"required":["status"]}
            """;
    }
}

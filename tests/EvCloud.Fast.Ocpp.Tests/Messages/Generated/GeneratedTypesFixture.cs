using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpp.Codegen;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using EvCloud.Fast.Ocpp.Messages.Generated.V21;

namespace EvCloud.Fast.Ocpp.Tests.Messages.Generated;

/// <summary>The repository, the schema files as JSON and the generated action tables, per version.</summary>
internal static class GeneratedTypesFixture
{
    public static string RepositoryRoot { get; } = OcppCodeGenerator.FindRepositoryRoot(AppContext.BaseDirectory);

    public static IReadOnlyList<OcppMessageTypes> Actions(OcppVersion version) => version switch
    {
        OcppVersion.Ocpp16 => V16Actions.All,
        OcppVersion.Ocpp201 => V201Actions.All,
        OcppVersion.Ocpp21 => V21Actions.All,
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    public static OcppMessageTypes Action(OcppVersion version, string action) =>
        Actions(version).Single(a => a.Action == action);

    /// <summary>The schema file of one message, parsed.</summary>
    public static JsonObject SchemaJson(OcppVersion version, string action, bool response)
    {
        (string folder, string requestSuffix) = version switch
        {
            OcppVersion.Ocpp16 => ("ocpp1.6", ""),
            OcppVersion.Ocpp201 => ("ocpp2.0.1", "Request"),
            _ => ("ocpp2.1", "Request"),
        };
        string directory = Path.Combine(RepositoryRoot, OcppCodeGenerator.SchemaDirectory, folder);
        string path = Path.Combine(directory, action + (response ? "Response" : requestSuffix) + ".json");
        if (!File.Exists(path))
        {
            // 2.1 NotifyPeriodicEventStream is a SEND message, named without "Request".
            path = Path.Combine(directory, action + ".json");
        }

        return (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
    }

    public static TheoryData<OcppVersion, string, bool> Messages()
    {
        var data = new TheoryData<OcppVersion, string, bool>();
        foreach (OcppVersion version in new[] { OcppVersion.Ocpp16, OcppVersion.Ocpp201, OcppVersion.Ocpp21 })
        {
            foreach (OcppAction action in SchemaFixture.Schemas.Actions(version))
            {
                data.Add(version, action.Name, false);
                if (action.Response is not null)
                {
                    data.Add(version, action.Name, true);
                }
            }
        }

        return data;
    }
}

namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>Where one OCPP version's schemas live and what the generated code for it is called.</summary>
/// <param name="SchemaFolder">The folder under <c>Schemas/</c> (<c>ocpp2.0.1</c>).</param>
/// <param name="Label">The version as people write it (<c>2.0.1</c>).</param>
/// <param name="Suffix">The namespace and folder suffix (<c>V201</c>), so the same schema name in two versions is two types.</param>
/// <param name="RequestFilesHaveSuffix">
/// True where request files are named <c>&lt;Action&gt;Request.json</c> (2.x); the 1.6 files are <c>&lt;Action&gt;.json</c>.
/// </param>
public sealed record ProtocolVersionSpec(string SchemaFolder, string Label, string Suffix, bool RequestFilesHaveSuffix)
{
    /// <summary>The three versions the gateway speaks, in the order their folders are generated.</summary>
    public static IReadOnlyList<ProtocolVersionSpec> All { get; } =
    [
        new("ocpp1.6", "1.6", "V16", RequestFilesHaveSuffix: false),
        new("ocpp2.0.1", "2.0.1", "V201", RequestFilesHaveSuffix: true),
        new("ocpp2.1", "2.1", "V21", RequestFilesHaveSuffix: true),
    ];

    /// <summary>The namespace of this version's generated types.</summary>
    public string Namespace => $"EvCloud.Fast.Ocpp.Messages.Generated.{Suffix}";

    /// <summary>The source-generated <c>JsonSerializerContext</c> of this version.</summary>
    public string ContextName => $"{Suffix}JsonContext";

    /// <summary>The static class listing this version's actions with their request and response types.</summary>
    public string ActionsClassName => $"{Suffix}Actions";
}

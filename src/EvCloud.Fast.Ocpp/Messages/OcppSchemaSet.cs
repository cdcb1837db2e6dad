using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Every OCPP action of every supported version with its compiled request and response schemas, loaded from the
/// official OCA schema files embedded in this assembly (<c>Schemas/&lt;version&gt;/*.json</c>).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Build it once at startup with <see cref="LoadEmbedded"/>; per-frame work is then
/// <see cref="TryGetAction"/> (a byte-keyed hash lookup) and <see cref="OcppSchemaValidator.TryValidate"/>, neither of
/// which allocates.
/// </remarks>
public sealed class OcppSchemaSet
{
    private const string ResourcePrefix = "Schemas/";

    private static readonly Lazy<OcppSchemaSet> Embedded = new(LoadEmbeddedCore, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Utf8ActionTable _ocpp16;
    private readonly Utf8ActionTable _ocpp201;
    private readonly Utf8ActionTable _ocpp21;
    private readonly Dictionary<OcppVersion, IReadOnlyList<OcppAction>> _actions;

    private OcppSchemaSet(Dictionary<OcppVersion, IReadOnlyList<OcppAction>> actions)
    {
        _actions = actions;
        _ocpp16 = new Utf8ActionTable(ActionsOrEmpty(actions, OcppVersion.Ocpp16));
        _ocpp201 = new Utf8ActionTable(ActionsOrEmpty(actions, OcppVersion.Ocpp201));
        _ocpp21 = new Utf8ActionTable(ActionsOrEmpty(actions, OcppVersion.Ocpp21));
    }

    /// <summary>
    /// The schemas of OCPP 1.6, 2.0.1 and 2.1 from this assembly's resources. Compiling all 387 files takes tens of
    /// milliseconds, so the result is built once per process and every call returns that same instance.
    /// </summary>
    /// <exception cref="InvalidDataException">A schema uses a keyword the validator does not support, or a request
    /// and response file do not pair up.</exception>
    public static OcppSchemaSet LoadEmbedded() => Embedded.Value;

    /// <summary>
    /// Finds <paramref name="actionUtf8"/> (the CALL's action field, unescaped) among <paramref name="version"/>'s
    /// actions without allocating. Matching is exact and case-sensitive, as OCPP action names are.
    /// </summary>
    /// <returns>False for an unknown action (answer NotImplemented) or a version without schemas.</returns>
    public bool TryGetAction(OcppVersion version, ReadOnlySpan<byte> actionUtf8, [NotNullWhen(true)] out OcppAction? action)
    {
        Utf8ActionTable? table = version switch
        {
            OcppVersion.Ocpp16 => _ocpp16,
            OcppVersion.Ocpp201 => _ocpp201,
            OcppVersion.Ocpp21 => _ocpp21,
            _ => null,
        };
        if (table is null)
        {
            action = null;
            return false;
        }

        return table.TryGet(actionUtf8, out action);
    }

    /// <summary>The actions of <paramref name="version"/> ordered by name; empty for a version without schemas.</summary>
    public IReadOnlyList<OcppAction> Actions(OcppVersion version) => ActionsOrEmpty(_actions, version);

    /// <summary>Builds a set from schema files given as (<c>ocpp1.6/BootNotification.json</c>, UTF-8 bytes) pairs.</summary>
    internal static OcppSchemaSet Load(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        var byVersion = new Dictionary<OcppVersion, SortedDictionary<string, (CompiledSchema? Request, CompiledSchema? Response)>>();
        foreach ((string path, byte[] json) in files)
        {
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !path.EndsWith(".json", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"OCPP schema resource '{path}' is not '<version>/<name>.json'.");
            }

            OcppVersion version = path[..slash] switch
            {
                "ocpp1.6" => OcppVersion.Ocpp16,
                "ocpp2.0.1" => OcppVersion.Ocpp201,
                "ocpp2.1" => OcppVersion.Ocpp21,
                string other => throw new InvalidDataException($"OCPP schema folder '{other}' is not a known version."),
            };
            string fileName = path[(slash + 1)..^".json".Length];
            (string action, bool isResponse) = SplitFileName(fileName, version);
            CompiledSchema schema = OcppSchemaCompiler.Compile(fileName, version, json);

            if (!byVersion.TryGetValue(version, out var actions))
            {
                actions = new SortedDictionary<string, (CompiledSchema?, CompiledSchema?)>(StringComparer.Ordinal);
                byVersion.Add(version, actions);
            }

            actions.TryGetValue(action, out var pair);
            if ((isResponse ? pair.Response : pair.Request) is not null)
            {
                throw new InvalidDataException($"OCPP schema '{path}' duplicates another file of action '{action}'.");
            }

            actions[action] = isResponse ? (pair.Request, schema) : (schema, pair.Response);
        }

        var result = new Dictionary<OcppVersion, IReadOnlyList<OcppAction>>();
        foreach ((OcppVersion version, var actions) in byVersion)
        {
            var list = new List<OcppAction>(actions.Count);
            foreach ((string name, var pair) in actions)
            {
                if (pair.Request is null)
                {
                    throw new InvalidDataException($"OCPP {version} action '{name}' has a response schema but no request schema.");
                }

                list.Add(new OcppAction(string.Intern(name), version, pair.Request, pair.Response));
            }

            result.Add(version, list.AsReadOnly());
        }

        return new OcppSchemaSet(result);
    }

    // 1.6 names requests <Action>.json; 2.x names them <Action>Request.json. Both name responses <Action>Response.json.
    // A 2.x file with neither suffix is a SEND message (2.1 NotifyPeriodicEventStream), which has no response.
    private static (string Action, bool IsResponse) SplitFileName(string fileName, OcppVersion version)
    {
        if (fileName.EndsWith("Response", StringComparison.Ordinal))
        {
            return (fileName[..^"Response".Length], true);
        }

        if (version != OcppVersion.Ocpp16 && fileName.EndsWith("Request", StringComparison.Ordinal))
        {
            return (fileName[..^"Request".Length], false);
        }

        return (fileName, false);
    }

    private static OcppSchemaSet LoadEmbeddedCore()
    {
        Assembly assembly = typeof(OcppSchemaSet).Assembly;
        var files = new List<KeyValuePair<string, byte[]>>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            // NOTE: MSBuild's %(RecursiveDir) keeps the OS separator, so a Windows build embeds "Schemas/ocpp1.6\X.json".
            string name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidDataException($"Resource '{resource}' is listed but cannot be opened.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files.Add(new(name[ResourcePrefix.Length..], buffer.ToArray()));
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException("No OCPP schemas are embedded in " + assembly.GetName().Name + ".");
        }

        return Load(files);
    }

    private static IReadOnlyList<OcppAction> ActionsOrEmpty(Dictionary<OcppVersion, IReadOnlyList<OcppAction>> actions, OcppVersion version) =>
        actions.TryGetValue(version, out IReadOnlyList<OcppAction>? list) ? list : [];
}

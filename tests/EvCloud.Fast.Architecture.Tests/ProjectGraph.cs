using System.Xml.Linq;

namespace EvCloud.Fast.Architecture.Tests;

/// <summary>
/// The project references of <c>src/*/*.csproj</c>, read from the project files themselves (not from built
/// assemblies), so a forbidden reference fails the test before anything uses it.
/// </summary>
internal static class ProjectGraph
{
    /// <summary>
    /// The intended graph, each project with the projects it builds on directly. A project may reference these and
    /// anything they reach (Api naming Ocpp or Storage directly points down the graph, not across or back); nothing
    /// else. A new project under src/ is placed here on purpose, or the test fails.
    /// </summary>
    /// <remarks>
    /// Storage ← Ocpp ← Commands ← {Api, Ocpi} ← Host, with Cdr (on Storage and the pure Tariffs engine) and Http
    /// (the API's route prefix, policy names and problem+json, on nothing of ours) beside them: Api and Ocpi never see each other, and
    /// nothing below the Host sees the Host.
    /// </remarks>
    public static readonly IReadOnlyDictionary<string, string[]> Intended = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["EvCloud.Fast.Storage"] = [],
        ["EvCloud.Fast.Http"] = [],
        ["EvCloud.Fast.Tariffs"] = [],
        ["EvCloud.Fast.Ocpp"] = ["EvCloud.Fast.Storage"],
        ["EvCloud.Fast.Cdr"] = ["EvCloud.Fast.Storage", "EvCloud.Fast.Tariffs"],
        ["EvCloud.Fast.Commands"] = ["EvCloud.Fast.Ocpp"],
        ["EvCloud.Fast.Api"] = ["EvCloud.Fast.Commands", "EvCloud.Fast.Cdr", "EvCloud.Fast.Http"],
        ["EvCloud.Fast.Ocpi"] = ["EvCloud.Fast.Commands", "EvCloud.Fast.Cdr", "EvCloud.Fast.Http"],
        ["EvCloud.Fast.Host"] = ["EvCloud.Fast.Api", "EvCloud.Fast.Ocpi"],
    };

    /// <summary>The repository's <c>src</c> folder, found from the test's output folder upwards.</summary>
    public static string SourceDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvCloud.Fast.sln")))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }

        throw new InvalidOperationException("EvCloud.Fast.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every project under <paramref name="sourceDirectory"/> with the project names it references.</summary>
    public static Dictionary<string, string[]> Read(string sourceDirectory)
    {
        var graph = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(sourceDirectory, "*.csproj", SearchOption.AllDirectories))
        {
            // NOTE: names, not paths: "..\EvCloud.Fast.Api\EvCloud.Fast.Api.csproj" and "../EvCloud.Fast.Api/..." are one arrow.
            graph[Path.GetFileNameWithoutExtension(file)] = [.. XDocument.Load(file).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => (string?)e.Attribute("Include") ?? "")
                .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))];
        }

        return graph;
    }

    /// <summary>
    /// Every arrow of <paramref name="actual"/> outside <paramref name="intended"/> (and its reach), as
    /// <c>From → To</c>, plus every project the intended graph does not place.
    /// </summary>
    public static List<string> Violations(IReadOnlyDictionary<string, string[]> actual, IReadOnlyDictionary<string, string[]> intended)
    {
        var violations = new List<string>();
        foreach ((string project, string[] references) in actual.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!intended.ContainsKey(project))
            {
                violations.Add(project + " is not in the intended project graph");
                continue;
            }

            HashSet<string> allowed = Reach(project, intended);
            violations.AddRange(references.Where(r => !allowed.Contains(r)).Select(r => project + " → " + r));
        }

        return violations;
    }

    private static HashSet<string> Reach(string project, IReadOnlyDictionary<string, string[]> intended)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(intended[project]);
        while (pending.TryPop(out string? next))
        {
            if (reached.Add(next) && intended.TryGetValue(next, out string[]? below))
            {
                foreach (string b in below)
                {
                    pending.Push(b);
                }
            }
        }

        return reached;
    }
}

namespace EvCloud.Fast.Architecture.Tests;

public sealed class ProjectGraphTests
{
    [Fact]
    public void EveryProjectReferenceUnderSrc_PointsDownTheIntendedGraph()
    {
        Dictionary<string, string[]> actual = ProjectGraph.Read(ProjectGraph.SourceDirectory());

        List<string> violations = ProjectGraph.Violations(actual, ProjectGraph.Intended);

        Assert.True(violations.Count == 0, "Project references outside the intended graph:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void EveryProjectOfTheIntendedGraph_ExistsUnderSrc()
    {
        Dictionary<string, string[]> actual = ProjectGraph.Read(ProjectGraph.SourceDirectory());

        foreach (string project in ProjectGraph.Intended.Keys)
        {
            Assert.True(actual.ContainsKey(project), project + " is in the intended graph but not under src/");
        }
    }

    [Fact]
    public void Ocpi_ReachesChargersThroughTheCommandLayer_NotThroughTheRestApi()
    {
        Dictionary<string, string[]> actual = ProjectGraph.Read(ProjectGraph.SourceDirectory());

        Assert.Contains("EvCloud.Fast.Commands", actual["EvCloud.Fast.Ocpi"]);
        Assert.DoesNotContain("EvCloud.Fast.Api", actual["EvCloud.Fast.Ocpi"]);
        Assert.DoesNotContain("EvCloud.Fast.Ocpi", actual["EvCloud.Fast.Api"]);
    }

    [Theory]
    [InlineData("EvCloud.Fast.Ocpi", "EvCloud.Fast.Api")] // across: the two front doors never see each other
    [InlineData("EvCloud.Fast.Api", "EvCloud.Fast.Ocpi")] // across, the other way
    [InlineData("EvCloud.Fast.Commands", "EvCloud.Fast.Api")] // back: the command layer serves the API
    [InlineData("EvCloud.Fast.Ocpp", "EvCloud.Fast.Commands")] // back: the gateway knows nothing of commands
    [InlineData("EvCloud.Fast.Storage", "EvCloud.Fast.Ocpp")] // back: storage is the bottom
    [InlineData("EvCloud.Fast.Api", "EvCloud.Fast.Host")] // back: only the Host composes
    [InlineData("EvCloud.Fast.Commands", "EvCloud.Fast.Http")] // sideways: commands carry no HTTP conventions
    public void AForbiddenArrow_IsReportedByName(string from, string to)
    {
        Dictionary<string, string[]> graph = ProjectGraph.Intended.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        graph[from] = [.. graph[from], to];

        Assert.Equal([from + " → " + to], ProjectGraph.Violations(graph, ProjectGraph.Intended));
    }

    [Fact]
    public void AShortcutDownTheGraph_IsAllowed()
    {
        Dictionary<string, string[]> graph = ProjectGraph.Intended.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        graph["EvCloud.Fast.Host"] = [.. graph["EvCloud.Fast.Host"], "EvCloud.Fast.Storage", "EvCloud.Fast.Commands"];

        Assert.Empty(ProjectGraph.Violations(graph, ProjectGraph.Intended));
    }

    [Fact]
    public void AProjectOutsideTheGraph_IsReported()
    {
        Dictionary<string, string[]> graph = ProjectGraph.Intended.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        graph["EvCloud.Fast.Console"] = ["EvCloud.Fast.Commands"];

        Assert.Equal(["EvCloud.Fast.Console is not in the intended project graph"], ProjectGraph.Violations(graph, ProjectGraph.Intended));
    }
}

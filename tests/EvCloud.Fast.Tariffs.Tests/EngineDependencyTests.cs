using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Tariffs.Tests;

public sealed class EngineDependencyTests
{
    [Fact]
    public void TheEngine_ReferencesOnlyTheBaseLibrary()
    {
        // Apps, settlement runs and partners' CDR checks take the engine without the storage or web stack;
        // a reference to EvCloud.Fast.Storage, FASTER or ASP.NET Core here would drag them along.
        var references = typeof(TariffPricer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(
            name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib",
            $"{name} is not part of the base library"));
        Assert.Contains("System.Text.Json", references);
    }
}

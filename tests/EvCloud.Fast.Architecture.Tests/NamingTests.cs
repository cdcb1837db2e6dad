using System.Reflection;

namespace EvCloud.Fast.Architecture.Tests;

public sealed class NamingTests
{
    public static TheoryData<string> EndpointAssemblies => new()
    {
        "EvCloud.Fast.Api",
        "EvCloud.Fast.Ocpi",
    };

    [Theory]
    [MemberData(nameof(EndpointAssemblies))]
    public void EveryEndpointHandlerThatReturnsATask_EndsInAsync(string assemblyName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

        // NOTE: compiler-generated members (lambdas, local functions, state machines) have names with '<'; a lambda
        // handler has no name to get wrong.
        string[] offenders = [.. assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Endpoints", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(declared).Select(m => (Type: t, Method: m)))
            .Where(x => !x.Method.Name.Contains('<', StringComparison.Ordinal) && IsAwaitable(x.Method.ReturnType) && !x.Method.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(x => x.Type.FullName + "." + x.Method.Name)
            .Order(StringComparer.Ordinal)];

        Assert.True(offenders.Length == 0, "Returns a task but does not end in Async:\n" + string.Join('\n', offenders));
    }

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) ||
        (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)));
}

namespace EvCloud.Fast.Api.Tests;

public sealed class ApiRoutesTests
{
    [Fact]
    public void Prefix_IsVersioned() => Assert.Equal("/api/v1", ApiRoutes.Prefix);
}

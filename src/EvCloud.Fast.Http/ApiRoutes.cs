namespace EvCloud.Fast.Http;

/// <summary>Route prefixes of the unified application API.</summary>
public static class ApiRoutes
{
    /// <summary>Every endpoint of the API lives under this prefix.</summary>
    public const string Prefix = "/api/v1";
}

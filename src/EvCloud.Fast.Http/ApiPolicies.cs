namespace EvCloud.Fast.Http;

/// <summary>
/// Authorization policy names of the application API, one per API key role (reader, operator, admin; each role
/// includes the ones before it). The API registers the policies; every module that maps endpoints under
/// <see cref="ApiRoutes.Prefix"/> names them, so one key works across the REST API and the OCPI admin endpoints.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Any valid key.</summary>
    public const string Read = "api:read";

    /// <summary>Operator or admin keys.</summary>
    public const string Operate = "api:operate";

    /// <summary>Admin keys.</summary>
    public const string Admin = "api:admin";
}

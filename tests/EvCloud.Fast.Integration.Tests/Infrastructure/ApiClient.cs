using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>
/// The API as an application sees it: HTTP on loopback with an API key. The three well-known test keys are configured
/// by <see cref="ServerArgs"/> (hashes only, as in production configuration).
/// </summary>
public sealed class ApiClient : IDisposable
{
    public const string AdminKey = "evc_test-admin-key-000000000000000000000000000";
    public const string OperatorKey = "evc_test-operator-key-0000000000000000000000000";
    public const string ReaderKey = "evc_test-reader-key-00000000000000000000000000";

    private readonly HttpClient _http;

    public ApiClient(TestServer server, string? key = AdminKey)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>Configuration for the test keys plus a fast outbox, for <see cref="TestServer.StartAsync"/>.</summary>
    public static string[] ServerArgs(params string[] extra) =>
    [
        "--Api:Keys:0:Name=test-admin", "--Api:Keys:0:Role=Admin", "--Api:Keys:0:Hash=" + Hash(AdminKey),
        "--Api:Keys:1:Name=test-operator", "--Api:Keys:1:Role=Operator", "--Api:Keys:1:Hash=" + Hash(OperatorKey),
        "--Api:Keys:2:Name=test-reader", "--Api:Keys:2:Role=Reader", "--Api:Keys:2:Hash=" + Hash(ReaderKey),
        "--Api:OutboxConnectGrace=00:00:00.300",
        "--Api:OutboxSweepInterval=00:00:00.050",
        .. extra,
    ];

    public HttpClient Http => _http;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, string json = "{}") =>
        _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PutAsync(string path, string json) =>
        _http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Reads a JSON body, asserting the status first (the body is in the failure message).</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem with the given status and stable code, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        JsonElement problem = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static string Hash(string key) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Dispose() => _http.Dispose();
}

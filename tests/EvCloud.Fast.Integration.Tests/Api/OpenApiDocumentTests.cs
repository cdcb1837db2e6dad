using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Api;

/// <summary>One server with every module mapped (both OCPI roles), and the OpenAPI document it serves.</summary>
public sealed class OpenApiServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    /// <summary>The document exactly as served, for the linter.</summary>
    public string Json { get; private set; } = "";

    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(ApiClient.ServerArgs(
            "--Ocpi:Roles=CPO,EMSP", "--Ocpi:CountryCode=NL", "--Ocpi:PartyId=CPO", "--Ocpi:AllowPrivateAddresses=true"));
        using var anonymous = new ApiClient(Server, key: null);
        HttpResponseMessage response = await anonymous.GetAsync("openapi/v1.json");
        Json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Json);
        Document = JsonDocument.Parse(Json).RootElement.Clone();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The OpenAPI document against the server that serves it: an independent linter (Redocly CLI) finds no errors, every
/// operation that needs a key says so and documents the 401 the server really sends, and the problem schema holds
/// every member of real problem bodies.
/// </summary>
public sealed class OpenApiDocumentTests : IClassFixture<OpenApiServerFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private readonly OpenApiServerFixture _fixture;

    public OpenApiDocumentTests(OpenApiServerFixture fixture) => _fixture = fixture;

    private JsonElement Document => _fixture.Document;

    [Fact]
    public async Task ServedDocument_PassesRedoclyLint_WithNoErrors()
    {
        string lintDirectory = Path.Combine(OcppRpcClientTests.RepositoryRoot(), "tests", "openapi-lint");
        Assert.True(File.Exists(Path.Combine(lintDirectory, "node_modules", "@redocly", "cli", "package.json")),
            "Redocly CLI is not installed: run `npm ci --prefix tests/openapi-lint` (the README's test command does)");
        string file = Path.Combine(Path.GetTempPath(), "evcloud-openapi-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, _fixture.Json);
        try
        {
            var psi = new ProcessStartInfo("npx", ["--no-install", "redocly", "lint", file, "--config", "redocly.yaml", "--format", "json"])
            {
                WorkingDirectory = lintDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // No network from a test: no usage telemetry, no update check.
            psi.Environment["REDOCLY_TELEMETRY"] = "off";
            psi.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            psi.Environment["NO_COLOR"] = "1";
            using Process lint = Process.Start(psi)!;
            Task<string> stdout = lint.StandardOutput.ReadToEndAsync();
            Task<string> stderr = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            string output = await stdout;
            int start = output.IndexOf('{', StringComparison.Ordinal);
            Assert.True(start >= 0, "redocly printed no report (exit " + lint.ExitCode + "):\n" + output + await stderr);
            JsonElement report = JsonDocument.Parse(output[start..]).RootElement;

            var errors = new StringBuilder();
            foreach (JsonElement problem in report.GetProperty("problems").EnumerateArray())
            {
                if (problem.GetProperty("severity").GetString() == "error")
                {
                    errors.Append(problem.GetProperty("ruleId").GetString()).Append(": ").Append(problem.GetProperty("message").GetString());
                    foreach (JsonElement location in problem.GetProperty("location").EnumerateArray())
                    {
                        errors.Append(" at ").Append(location.GetProperty("pointer").GetString());
                    }

                    errors.AppendLine();
                }
            }

            Assert.True(report.GetProperty("totals").GetProperty("errors").GetInt32() == 0, errors.ToString());
            Assert.True(lint.ExitCode == 0, "redocly exited with " + lint.ExitCode + ":\n" + await stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void EveryOperation_HasASummaryAndAnId_And_ThoseNeedingAKey_Document401AndTheirRole()
    {
        var failures = new List<string>();
        int authenticated = 0, anonymous = 0;
        foreach ((string name, JsonElement operation) in Operations())
        {
            if (!HasText(operation, "summary") && !HasText(operation, "description"))
            {
                failures.Add(name + ": no summary or description");
            }

            if (!HasText(operation, "operationId"))
            {
                failures.Add(name + ": no operationId");
            }

            JsonElement responses = operation.GetProperty("responses");
            if (RequiresKey(operation))
            {
                authenticated++;
                if (!responses.TryGetProperty("401", out _))
                {
                    failures.Add(name + ": requires a key but documents no 401");
                }

                if (!operation.TryGetProperty("description", out JsonElement description) || !description.GetString()!.Contains("API key", StringComparison.Ordinal))
                {
                    failures.Add(name + ": requires a key but does not say which role");
                }
            }
            else
            {
                anonymous++;
                if (responses.TryGetProperty("401", out _) || responses.TryGetProperty("403", out _))
                {
                    failures.Add(name + ": anonymous but documents 401/403");
                }
            }

            foreach (JsonProperty response in responses.EnumerateObject())
            {
                if (int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400
                    && (!response.Value.TryGetProperty("content", out JsonElement content)
                        || !content.TryGetProperty("application/problem+json", out JsonElement media)
                        || media.GetProperty("schema").GetProperty("$ref").GetString() != "#/components/schemas/Problem"))
                {
                    failures.Add(name + ": " + response.Name + " is not the Problem schema as application/problem+json");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(authenticated > 50, authenticated + " authenticated operations");
        Assert.True(anonymous >= 1, "/health is anonymous");
    }

    [Fact]
    public async Task OperationsDocumentedWithAKey_AnswerWithout_401_AndAnonymousOnesDoNot()
    {
        using var anonymousClient = new ApiClient(_fixture.Server, key: null);
        var failures = new List<string>();
        foreach ((string name, JsonElement operation) in Operations())
        {
            string[] parts = name.Split(' ', 2);
            string method = parts[0], path = parts[1];
            bool requiresKey = RequiresKey(operation);
            if (!requiresKey && method != "get")
            {
                continue; // never change state from a test that walks the document
            }

            // Authentication runs before the route's values are bound or its body read, so any placeholder will do.
            string url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "1").TrimStart('/');
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
            using HttpResponseMessage response = await anonymousClient.Http.SendAsync(request);
            if (requiresKey != (response.StatusCode == HttpStatusCode.Unauthorized))
            {
                failures.Add(name + ": documented " + (requiresKey ? "with" : "without") + " a key, answered " + (int)response.StatusCode + " without one");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task ProblemSchema_DeclaresEveryMemberOfRealProblems_AndTheirCodes()
    {
        JsonElement schema = Document.GetProperty("components").GetProperty("schemas").GetProperty("Problem");
        JsonElement properties = schema.GetProperty("properties");
        string[] codes = [.. properties.GetProperty("code").GetProperty("enum").EnumerateArray().Select(c => c.GetString()!)];
        using var anonymous = new ApiClient(_fixture.Server, key: null);
        using var reader = new ApiClient(_fixture.Server, ApiClient.ReaderKey);
        using var admin = new ApiClient(_fixture.Server);
        JsonElement[] problems =
        [
            await ApiClient.ProblemAsync(await anonymous.GetAsync("api/v1/chargers"), HttpStatusCode.Unauthorized, "unauthorized"),
            await ApiClient.ProblemAsync(await reader.GetAsync("api/v1/api-keys"), HttpStatusCode.Forbidden, "forbidden"),
            await ApiClient.ProblemAsync(await reader.GetAsync("api/v1/chargers/CP-NEVER-SEEN"), HttpStatusCode.NotFound, "charger_not_found"),
            await ApiClient.ProblemAsync(await reader.GetAsync("api/v1/chargers?limit=0"), HttpStatusCode.BadRequest, "validation_failed"),
            await ApiClient.ProblemAsync(await admin.PostAsync("api/v1/api-keys", "{not json"), HttpStatusCode.BadRequest, "malformed_body"),
        ];

        foreach (JsonElement problem in problems)
        {
            foreach (JsonProperty member in problem.EnumerateObject())
            {
                Assert.True(properties.TryGetProperty(member.Name, out _), "'" + member.Name + "' is sent but not in the Problem schema: " + problem);
            }

            foreach (JsonElement required in schema.GetProperty("required").EnumerateArray())
            {
                Assert.True(problem.TryGetProperty(required.GetString()!, out _), "required '" + required.GetString() + "' is missing from " + problem);
            }

            Assert.Contains(problem.GetProperty("code").GetString(), codes);
        }
    }

    [Fact]
    public void TariffBodies_AreTheOcpiTariffObject_AndStringChoicesAreListedAsEnums()
    {
        JsonElement schemas = Document.GetProperty("components").GetProperty("schemas");
        JsonElement put = Document.GetProperty("paths").GetProperty("/api/v1/tariffs/{tariffId}").GetProperty("put");
        Assert.Equal("#/components/schemas/OcpiTariff", put.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/OcpiTariff", put.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        JsonElement list = Document.GetProperty("paths").GetProperty("/api/v1/tariffs").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("#/components/schemas/OcpiTariff", list.GetProperty("items").GetProperty("$ref").GetString());

        // OCPI's own names and types, as partners exchange them (mod_tariffs Tariff object).
        JsonElement tariff = schemas.GetProperty("OcpiTariff");
        Assert.Equal(["country_code", "currency", "elements", "id", "party_id"], tariff.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("date-time", tariff.GetProperty("properties").GetProperty("last_updated").GetProperty("format").GetString());
        JsonElement component = tariff.GetProperty("properties").GetProperty("elements").GetProperty("items").GetProperty("properties")
            .GetProperty("price_components").GetProperty("items").GetProperty("properties");
        Assert.Equal("number", component.GetProperty("price").GetProperty("type").GetString());
        Assert.Empty(UntypedMembers(tariff, "OcpiTariff"));
        Assert.Contains("ISO-4217", tariff.GetProperty("properties").GetProperty("currency").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["ENERGY", "FLAT", "PARKING_TIME", "TIME"], component.GetProperty("type").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToArray());

        Assert.Equal(new string?[] { "ocpp1.6", "ocpp2.0.1", "ocpp2.1" }, Enum(schemas, "ChargerSummary", "protocol"));
        Assert.Equal(new string?[] { "Reader", "Operator", "Admin" }, Enum(schemas, "ApiKeyCreate", "role"));
        Assert.Contains("Queued", Enum(schemas, "QueuedCommandView", "state"));
        Assert.True(schemas.GetProperty("ChargerSummary").GetProperty("properties").GetProperty("online").TryGetProperty("description", out _), "contract fields carry their XML comments");
    }

    // Members whose schema says nothing about their value (a custom converter the schema export could not see through).
    private static IEnumerable<string> UntypedMembers(JsonElement schema, string path)
    {
        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty member in properties.EnumerateObject())
            {
                if (!member.Value.TryGetProperty("type", out _) && !member.Value.TryGetProperty("$ref", out _) && !member.Value.TryGetProperty("enum", out _))
                {
                    yield return path + "." + member.Name;
                }

                foreach (string inner in UntypedMembers(member.Value, path + "." + member.Name))
                {
                    yield return inner;
                }
            }
        }

        if (schema.TryGetProperty("items", out JsonElement items))
        {
            foreach (string inner in UntypedMembers(items, path + "[]"))
            {
                yield return inner;
            }
        }
    }

    private static string?[] Enum(JsonElement schemas, string schema, string property) =>
        [.. schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("enum").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString())];

    [Fact]
    public void SecuritySchemes_AreTheTwoWaysTheServerAcceptsAKey()
    {
        JsonElement schemes = Document.GetProperty("components").GetProperty("securitySchemes");
        JsonElement bearer = schemes.GetProperty("ApiKeyBearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        JsonElement header = schemes.GetProperty("ApiKeyHeader");
        Assert.Equal("apiKey", header.GetProperty("type").GetString());
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.Equal("X-API-Key", header.GetProperty("name").GetString());

        // The reference page renders descriptions as CommonMark, where "<API key>" is an HTML tag that disappears.
        foreach (JsonElement scheme in schemes.EnumerateObject().Select(p => p.Value))
        {
            Assert.DoesNotMatch("<[A-Za-z][^>]*>", scheme.GetProperty("description").GetString()!);
        }

        Assert.DoesNotMatch("<[A-Za-z][^>]*>", Document.GetProperty("info").GetProperty("description").GetString()!);
    }

    private IEnumerable<(string Name, JsonElement Operation)> Operations()
    {
        foreach (JsonProperty path in Document.GetProperty("paths").EnumerateObject())
        {
            foreach (JsonProperty item in path.Value.EnumerateObject())
            {
                if (Methods.Contains(item.Name))
                {
                    yield return (item.Name + " " + path.Name, item.Value);
                }
            }
        }
    }

    // An operation's own security list overrides the document's; an empty list means anonymous.
    private bool RequiresKey(JsonElement operation) =>
        operation.TryGetProperty("security", out JsonElement own) ? own.GetArrayLength() > 0
        : Document.TryGetProperty("security", out JsonElement global) && global.GetArrayLength() > 0;

    private static bool HasText(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && !string.IsNullOrWhiteSpace(value.GetString());
}

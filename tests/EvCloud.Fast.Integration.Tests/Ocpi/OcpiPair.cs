using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// Two servers on loopback: one CPO (party NL/CPO, three locations on chargers CP-OCPI-1..3) and one eMSP (party
/// DE/EMS). <see cref="ConnectAsync"/> runs the credentials handshake the way an operator would: the CPO's admin
/// issues a token A, the eMSP's admin registers with it.
/// </summary>
public sealed class OcpiPair : IAsyncDisposable
{
    private OcpiPair(TestServer cpo, TestServer emsp)
    {
        Cpo = cpo;
        Emsp = emsp;
        CpoApi = new ApiClient(cpo);
        EmspApi = new ApiClient(emsp);
    }

    public TestServer Cpo { get; }

    public TestServer Emsp { get; }

    public ApiClient CpoApi { get; }

    public ApiClient EmspApi { get; }

    public string CpoBase => $"http://127.0.0.1:{Cpo.HttpEndPoint.Port}";

    public string EmspBase => $"http://127.0.0.1:{Emsp.HttpEndPoint.Port}";

    public static async Task<OcpiPair> StartAsync(params string[] cpoExtra)
    {
        TestServer cpo = await TestServer.StartAsync(ApiClient.ServerArgs([.. CpoArgs(), .. cpoExtra]));
        TestServer emsp = await TestServer.StartAsync(ApiClient.ServerArgs("--Ocpi:Roles=EMSP", "--Ocpi:AllowPrivateAddresses=true", "--Ocpi:CountryCode=DE", "--Ocpi:PartyId=EMS", "--Ocpi:BusinessName=Test eMSP"));
        return new OcpiPair(cpo, emsp);
    }

    public static IEnumerable<string> CpoArgs()
    {
        yield return "--Ocpi:Roles=CPO";
        yield return "--Ocpi:AllowPrivateAddresses=true"; // both instances and the fake partners are on loopback
        yield return "--Ocpi:CountryCode=NL";
        yield return "--Ocpi:PartyId=CPO";
        yield return "--Ocpp:CallTimeout=00:00:05";
        for (int i = 0; i < 3; i++)
        {
            string l = $"--Ocpi:Locations:{i}:";
            yield return l + $"Id=LOC{i + 1}";
            yield return l + $"Name=Garage {i + 1}";
            yield return l + "Address=Stationsplein 1";
            yield return l + "City=Amsterdam";
            yield return l + "PostalCode=1012AB";
            yield return l + "Country=NLD";
            yield return l + "Latitude=52.37403";
            yield return l + "Longitude=4.88969";
            yield return l + "TimeZone=Europe/Amsterdam";
            yield return l + $"LastUpdated=2026-01-0{i + 1}T00:00:00Z";
            yield return l + $"Evses:0:Uid=EVSE-{i + 1}";
            yield return l + $"Evses:0:EvseId=NL*CPO*E{i + 1}*1";
            yield return l + $"Evses:0:ChargePointId=CP-OCPI-{i + 1}";
            yield return l + "Evses:0:ConnectorId=1";
            yield return l + "Evses:0:Capabilities:0=REMOTE_START_STOP_CAPABLE";
            yield return l + "Evses:0:Connectors:0:Id=1";
            yield return l + "Evses:0:Connectors:0:Standard=IEC_62196_T2";
            yield return l + "Evses:0:Connectors:0:Format=SOCKET";
            yield return l + "Evses:0:Connectors:0:PowerType=AC_3_PHASE";
            yield return l + "Evses:0:Connectors:0:MaxVoltage=230";
            yield return l + "Evses:0:Connectors:0:MaxAmperage=32";
        }
    }

    /// <summary>The handshake: the CPO issues token A for "emsp", the eMSP registers with the CPO's versions URL.</summary>
    public async Task<JsonElement> ConnectAsync(string? version = null, string? encoding = null)
    {
        JsonElement created = await ApiClient.JsonAsync(await CpoApi.PostAsync("api/v1/ocpi/partners", "{\"id\":\"emsp\"}"), HttpStatusCode.Created);
        string body = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = "cpo",
            ["versionsUrl"] = created.GetProperty("versionsUrl").GetString(),
            ["token"] = created.GetProperty("tokenA").GetString(),
            ["version"] = version,
            ["tokenEncoding"] = encoding,
        });
        return await ApiClient.JsonAsync(await EmspApi.PostAsync("api/v1/ocpi/partners/register", body), HttpStatusCode.OK);
    }

    /// <summary>Issues a token A on the CPO for a hand-driven partner.</summary>
    public async Task<string> IssueTokenAAsync(string id)
    {
        JsonElement created = await ApiClient.JsonAsync(await CpoApi.PostAsync("api/v1/ocpi/partners", $"{{\"id\":\"{id}\"}}"), HttpStatusCode.Created);
        return created.GetProperty("tokenA").GetString()!;
    }

    /// <summary>GETs <paramref name="path"/> until it exists and satisfies <paramref name="until"/> (bounded: 15 s).</summary>
    public static async Task<JsonElement> PollAsync(ApiClient api, string path, Func<JsonElement, bool> until)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        JsonElement last = default;
        while (!timeout.IsCancellationRequested)
        {
            HttpResponseMessage response = await api.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await ApiClient.JsonAsync(response, HttpStatusCode.OK);
                if (until(last))
                {
                    return last;
                }
            }

            await Task.Delay(25, CancellationToken.None);
        }

        throw new TimeoutException($"{path} never reached the expected state; last: {(last.ValueKind == JsonValueKind.Undefined ? "absent" : last.GetRawText())}");
    }

    public async ValueTask DisposeAsync()
    {
        CpoApi.Dispose();
        EmspApi.Dispose();
        await Cpo.DisposeAsync();
        await Emsp.DisposeAsync();
    }
}

/// <summary>OCPI requests by hand: a partner that is a test, with its own token and encoding.</summary>
public sealed class OcpiHttp : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(
        HttpMethod method, string url, string? token, object? body = null, bool base64 = true, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Token " + (base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(token)) : token));
        }

        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        HttpResponseMessage response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public void Dispose() => _http.Dispose();
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Sessions;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Ocpi;

/// <summary>
/// The CPO's ChargingProfiles Receiver (OCPI 2.2.1 §19.2.1): an eMSP sets, reads and clears the profile of its
/// driver's session; each becomes the OCPP call at the charger, and the charger's answer is POSTed to response_url.
/// </summary>
public sealed class OcpiChargingProfilesTests : IAsyncLifetime
{
    private OcpiPair _pair = null!;

    public async Task InitializeAsync() => _pair = await OcpiPair.StartAsync("--Ocpi:Push:SessionUpdateInterval=00:00:00");

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task SetGetAndClear_ReachTheCharger_AndTheResultsReachTheResponseUrl()
    {
        await _pair.ConnectAsync();
        await ApiClient.JsonAsync(
            await _pair.EmspApi.PutAsync("api/v1/ocpi/tokens/SC-USER-1", "{\"type\":\"RFID\",\"contractId\":\"DE-EMS-C00000042-1\",\"whitelist\":\"ALWAYS\"}"), HttpStatusCode.OK);
        await using RawCharger charger = await ConnectAndBootAsync(_pair.Cpo, "CP-OCPI-1", "ocpp1.6");
        int transactionId = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "SC-USER-1", meterStart = 0, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();
        string sessionId = transactionId.ToString(CultureInfo.InvariantCulture);
        await OcpiPair.PollAsync(_pair.EmspApi, "api/v1/ocpi/sessions/NL/CPO/" + sessionId, _ => true);

        using var sink = new ResultSink();
        using var http = new OcpiHttp();
        string token = _pair.Emsp.Services.GetRequiredService<PartnerRegistry>().Get("cpo")!.OutgoingToken!;
        string url = _pair.CpoBase + "/ocpi/cpo/2.2.1/chargingprofiles/" + sessionId;

        // PUT → SetChargingProfile (TxProfile of the transaction) → ChargingProfileResult.
        (_, JsonElement put) = await http.SendAsync(HttpMethod.Put, url, token, new
        {
            charging_profile = new { charging_rate_unit = "A", charging_profile_period = new object[] { new { start_period = 0, limit = 16 }, new { start_period = 600, limit = 8.5 } } },
            response_url = sink.Url + "set",
        });
        Assert.Equal("ACCEPTED", put.GetProperty("data").GetProperty("result").GetString());
        Assert.True(put.GetProperty("data").GetProperty("timeout").GetInt32() > 0);
        (string messageId, JsonElement set) = await ExpectCallAsync(charger, "SetChargingProfile");
        JsonElement profile = set.GetProperty("csChargingProfiles");
        Assert.Equal(transactionId, profile.GetProperty("transactionId").GetInt32());
        Assert.Equal("TxProfile", profile.GetProperty("chargingProfilePurpose").GetString());
        Assert.Equal("Relative", profile.GetProperty("chargingProfileKind").GetString());
        Assert.Equal(8.5m, profile.GetProperty("chargingSchedule").GetProperty("chargingSchedulePeriod")[1].GetProperty("limit").GetDecimal());
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");
        (string path, JsonElement result) = await sink.NextAsync();
        Assert.Equal(("/set", "ACCEPTED"), (path, result.GetProperty("result").GetString()));

        // GET → GetCompositeSchedule → ActiveChargingProfileResult.
        (_, JsonElement get) = await http.SendAsync(HttpMethod.Get, url + "?duration=900&response_url=" + Uri.EscapeDataString(sink.Url + "active"), token);
        Assert.Equal("ACCEPTED", get.GetProperty("data").GetProperty("result").GetString());
        (messageId, JsonElement composite) = await ExpectCallAsync(charger, "GetCompositeSchedule");
        Assert.Equal((1, 900), (composite.GetProperty("connectorId").GetInt32(), composite.GetProperty("duration").GetInt32()));
        await AnswerAsync(charger, messageId, """
            {"status":"Accepted","connectorId":1,"scheduleStart":"2026-11-24T10:05:00Z",
             "chargingSchedule":{"duration":900,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.0},{"startPeriod":300,"limit":8.5}]}}
            """);
        (path, result) = await sink.NextAsync();
        Assert.Equal(("/active", "ACCEPTED"), (path, result.GetProperty("result").GetString()));
        JsonElement active = result.GetProperty("profile");
        Assert.Equal("2026-11-24T10:05:00Z", active.GetProperty("start_date_time").GetString());
        Assert.Equal(8.5m, active.GetProperty("charging_profile").GetProperty("charging_profile_period")[1].GetProperty("limit").GetDecimal());

        // DELETE → ClearChargingProfile of exactly that profile → ClearProfileResult.
        (_, JsonElement delete) = await http.SendAsync(HttpMethod.Delete, url + "?response_url=" + Uri.EscapeDataString(sink.Url + "clear"), token);
        Assert.Equal("ACCEPTED", delete.GetProperty("data").GetProperty("result").GetString());
        (messageId, JsonElement clear) = await ExpectCallAsync(charger, "ClearChargingProfile");
        Assert.Equal(profile.GetProperty("chargingProfileId").GetInt32(), clear.GetProperty("id").GetInt32());
        await AnswerAsync(charger, messageId, "{\"status\":\"Accepted\"}");
        (path, result) = await sink.NextAsync();
        Assert.Equal(("/clear", "ACCEPTED"), (path, result.GetProperty("result").GetString()));

        // A session that does not exist.
        (_, JsonElement unknown) = await http.SendAsync(HttpMethod.Delete, _pair.CpoBase + "/ocpi/cpo/2.2.1/chargingprofiles/999999?response_url=" + Uri.EscapeDataString(sink.Url + "x"), token);
        Assert.Equal("UNKNOWN_SESSION", unknown.GetProperty("data").GetProperty("result").GetString());
        Assert.NotNull(_pair.Cpo.Services.GetRequiredService<RoamingContext>().Session(transactionId));
    }

    /// <summary>The eMSP's response_url: records each POST and answers an OCPI success.</summary>
    private sealed class ResultSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Channel<(string Path, JsonElement Body)> _received = Channel.CreateUnbounded<(string, JsonElement)>();

        public ResultSink()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            }

            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public async Task<(string Path, JsonElement Body)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return await _received.Reader.ReadAsync(timeout.Token);
        }

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                string body = await reader.ReadToEndAsync();
                _received.Writer.TryWrite((context.Request.Url!.AbsolutePath, JsonDocument.Parse(body).RootElement.Clone()));
                byte[] answer = Encoding.UTF8.GetBytes("{\"status_code\":1000,\"timestamp\":\"2026-11-24T10:00:00Z\"}");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(answer);
                context.Response.Close();
            }
        }
    }
}

using System.Buffers;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Storage.Events;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Api;

public sealed class EventStreamTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stream_ShowsChargerAndTransactionEvents_InVersionNeutralForm()
    {
        using var api = new ApiClient(_server, ApiClient.ReaderKey);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?chargerId=CP-SSE");
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-SSE", "ocpp1.6");

        Assert.Equal("charger.online", (await events.NextAsync()).Type);
        ServerSentEvent booted = await events.NextAsync();
        Assert.Equal("charger.booted", booted.Type);
        Assert.Equal("Accepted", booted.Data.GetProperty("registration").GetString());
        ServerSentEvent status = await events.NextAsync();
        Assert.Equal("connector.status", status.Type);
        Assert.Equal("Available", status.Data.GetProperty("status").GetString());

        JsonElement start = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-SSE", meterStart = 1500, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        ServerSentEvent started = await events.NextOfTypeAsync("transaction.started");
        Assert.Equal(start.GetProperty("transactionId").GetInt32(), started.Data.GetProperty("transactionId").GetInt32());
        Assert.Equal(1500m, started.Data.GetProperty("meterStartWh").GetDecimal());
        Assert.Equal("CP-SSE", started.Data.GetProperty("chargerId").GetString());
    }

    [Fact]
    public async Task Reconnecting_WithLastEventId_ResumesRightAfterIt_AcrossARestart()
    {
        using var api = new ApiClient(_server);
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-RESUME", "ocpp1.6");
        string lastSeen;
        await using (EventStreamReader events = await EventStreamReader.OpenAsync(api, "?chargerId=CP-RESUME&types=connector.status"))
        {
            await SendStatusAsync(charger, "Preparing");
            ServerSentEvent preparing = await events.NextAsync();
            Assert.Equal("Preparing", preparing.Data.GetProperty("status").GetString());
            lastSeen = preparing.Id;
        }

        // While the application is away: two more changes, and a server restart.
        await SendStatusAsync(charger, "Charging");
        await SendStatusAsync(charger, "Finishing");
        await _server.RestartAsync();
        await using RawCharger back = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-RESUME");
        await SendStatusAsync(back, "Available");

        using var after = new ApiClient(_server);
        await using EventStreamReader resumed = await EventStreamReader.OpenAsync(after, "?chargerId=CP-RESUME&types=connector.status", lastSeen);
        var received = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ServerSentEvent e = await resumed.NextAsync();
            Assert.True(long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(lastSeen, System.Globalization.CultureInfo.InvariantCulture));
            received.Add(e.Data.GetProperty("status").GetString()!);
        }

        Assert.Equal(["Charging", "Finishing", "Available"], received);
    }

    [Fact]
    public async Task FromStart_ReplaysHistory_AndAnUnknownLastEventIdIsRefused()
    {
        await (await ConnectAndBootAsync(_server, "CP-HISTORY", "ocpp2.0.1")).DisposeAsync();
        using var api = new ApiClient(_server);

        await using (EventStreamReader history = await EventStreamReader.OpenAsync(api, "?from=start&chargerId=CP-HISTORY&types=charger.booted"))
        {
            ServerSentEvent booted = await history.NextAsync();
            Assert.Equal("ocpp2.0.1", booted.Data.GetProperty("protocol").GetString());
        }

        foreach (string bogus in new[] { "999999999999", "65", "101" }) // beyond the log; inside the first entries, not at one
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events");
            request.Headers.Add("Last-Event-ID", bogus);
            await ApiClient.ProblemAsync(await api.Http.SendAsync(request), HttpStatusCode.BadRequest, "validation_failed");
        }
    }

    [Theory]
    [InlineData("""{"text":"\ud800"}""")] // a lone high surrogate escape: no JSON writer can write it out as text
    [InlineData("""{"text":"ok \udfff then"}""")] // a lone low surrogate escape in the middle
    [InlineData("""{"\ud83d":1}""")] // a lone surrogate escape in a property name
    [InlineData("""{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""")] // deeper than the document reader allows
    [InlineData("""{"cut":""")] // not JSON at all
    public async Task AStoredEventThatCannotBeWrittenAsIs_DoesNotStopTheStream(string rawPayload)
    {
        string charger = "CP-SSE-RAW-" + (uint)rawPayload.GetHashCode(StringComparison.Ordinal);
        using var api = new ApiClient(_server, ApiClient.ReaderKey);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?chargerId=" + charger);

        // Stored as the log would hold it had it got past the edge (the OCPP edge now refuses such text).
        Append(w => EventWriter.WriteChargerNotification(w, 1, System.Text.Encoding.UTF8.GetBytes(charger), "DataTransfer"u8, System.Text.Encoding.UTF8.GetBytes(rawPayload)));
        Append(w => EventWriter.WriteMeterSampled(w, 2, System.Text.Encoding.UTF8.GetBytes(charger), -1, 1, 2, 5000, System.Text.Encoding.UTF8.GetBytes("[" + rawPayload + "]")));
        Append(w => EventWriter.WriteStatusChanged(w, 3, System.Text.Encoding.UTF8.GetBytes(charger), 1, (byte)EvCloud.Fast.Ocpp.Handlers.ConnectorStatus.Faulted, 0, default, default, default, 3));

        ServerSentEvent notification = await events.NextAsync();
        Assert.Equal("charger.notification", notification.Type);
        Assert.Equal("DataTransfer", notification.Data.GetProperty("action").GetString());
        ServerSentEvent sampled = await events.NextAsync();
        Assert.Equal("meter.sampled", sampled.Type);
        Assert.Equal(5m, sampled.Data.GetProperty("energyRegisterWh").GetDecimal());
        ServerSentEvent status = await events.NextAsync();
        Assert.Equal("Faulted", status.Data.GetProperty("status").GetString());
    }

    private void Append(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        _server.Storage.AppendAndApply(buffer.WrittenSpan);
    }

    private static async Task SendStatusAsync(RawCharger charger, string status) =>
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status }), "StatusNotification");
}

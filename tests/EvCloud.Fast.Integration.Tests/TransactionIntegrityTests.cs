using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Integration.Tests.Api;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage.State;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// The money path against a lying charger, end to end: ownership of transactions, the id space, one CDR (or one
/// visible unbillable record) per transaction across a crash, and connector ranges.
/// </summary>
public sealed class TransactionIntegrityTests : IAsyncLifetime
{
    /// <summary>Two hours ago, to the minute: the tests' charger clock.</summary>
    private static readonly DateTimeOffset Base = new(DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AHostileCharger_CannotMoveOrEndAnotherChargersTransaction()
    {
        var foreign = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OcppMetrics.MeterName && instrument.Name == OcppMetrics.ForeignTransactionsName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "ocpp.action")
                {
                    foreign.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        using var api = new ApiClient(_server);
        await using EventStreamReader notifications = await EventStreamReader.OpenAsync(api, "?chargerId=CP-HOSTILE&types=charger.notification");
        await using RawCharger owner = await ConnectAndBootAsync(_server, "CP-OWNER", "ocpp1.6");
        await using RawCharger hostile = await ConnectAndBootAsync(_server, "CP-HOSTILE", "ocpp1.6");
        int transactionId = await StartAsync(owner, meterStart: 0);
        await MeterAsync(owner, transactionId, At(30), 5_000);

        // The hostile charger names the owner's transaction: a normal answer (so it drops the messages), nothing applied.
        OcppAssert.CallResult(await hostile.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp = At(40), sampledValue = new[] { new { value = "900000" } } } },
        }), "MeterValues");
        JsonElement stop = OcppAssert.CallResult(await hostile.CallAsync("StopTransaction", new { transactionId, meterStop = 950_000, timestamp = At(45), idTag = "TAG-1" }), "StopTransaction");
        Assert.Equal("Invalid", stop.GetProperty("idTagInfo").GetProperty("status").GetString());

        Assert.True(_server.Storage.State.TryGetTransaction(transactionId, out TransactionState tx));
        Assert.Equal(TransactionStatus.Open, tx.Status);
        Assert.Equal(5_000_000, tx.LastEnergyMilliWh);
        Assert.Equal("CP-OWNER", tx.ChargerId);

        // Operators see both attempts: as events of the hostile charger naming the owner, and on the metric.
        foreach (string action in new[] { "MeterValues", "StopTransaction" })
        {
            ServerSentEvent seen = await notifications.NextAsync();
            Assert.Equal("ForeignTransactionRefused", seen.Data.GetProperty("action").GetString());
            Assert.Equal(action, seen.Data.GetProperty("payload").GetProperty("action").GetString());
            Assert.Equal("CP-OWNER", seen.Data.GetProperty("payload").GetProperty("ownerChargePointId").GetString());
        }

        listener.RecordObservableInstruments();
        Assert.Contains("MeterValues", foreign);
        Assert.Contains("StopTransaction", foreign);

        // The owner's transaction ends as the owner says, and its one CDR carries only the owner's energy.
        await using EventStreamReader cdrs = await EventStreamReader.OpenAsync(api, "?chargerId=CP-OWNER&types=cdr.created");
        OcppAssert.CallResult(await owner.CallAsync("StopTransaction", new { transactionId, meterStop = 6_000, timestamp = At(60) }), "StopTransaction");
        ServerSentEvent created = await cdrs.NextAsync();
        Assert.Equal(transactionId, created.Data.GetProperty("transactionId").GetInt32());
        JsonElement page = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs?chargerId=CP-OWNER"), HttpStatusCode.OK);
        Assert.Equal(6m, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("totalEnergyKwh").GetDecimal());
        Assert.Empty((await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs?chargerId=CP-HOSTILE"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/unbillable"), HttpStatusCode.OK)).EnumerateArray());
    }

    [Theory]
    [InlineData(false)] // graceful restart: the counter comes from the final checkpoint
    [InlineData(true)] // crash: the counter comes from replaying the log, which holds the hostile stop
    public async Task AStopNamingTheHighestId_DoesNotMoveTheIdCounter_AlsoAfterARestart(bool crash)
    {
        int first, second;
        await using (RawCharger charger = await ConnectAndBootAsync(_server, "CP-OVERFLOW", "ocpp1.6"))
        {
            first = await StartAsync(charger, meterStart: 0);
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = int.MaxValue, meterStop = 10, timestamp = At(10), idTag = "TAG-1" }), "StopTransaction");
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = first, meterStop = 20, timestamp = At(20) }), "StopTransaction");
            second = await StartAsync(charger, meterStart: 20);
            Assert.Equal(first + 1, second);
        }

        if (crash)
        {
            await _server.CrashAsync();
        }
        else
        {
            await _server.RestartAsync();
        }

        Assert.False(_server.Storage.State.TryGetTransaction(int.MaxValue, out _));
        await using RawCharger again = await ConnectAndBootAsync(_server, "CP-OVERFLOW", "ocpp1.6");
        OcppAssert.CallResult(await again.CallAsync("StopTransaction", new { transactionId = second, meterStop = 30, timestamp = At(40) }), "StopTransaction");
        Assert.Equal(second + 1, await StartAsync(again, meterStart: 30));

        // The stop the server never issued is not forgotten: one unbillable record, visible through the API.
        using var api = new ApiClient(_server);
        JsonElement[] unbillable = await UnbillableAsync(api, expected: 1);
        Assert.Equal(int.MaxValue, unbillable[0].GetProperty("transactionId").GetInt32());
        Assert.Equal("CP-OVERFLOW", unbillable[0].GetProperty("chargerId").GetString());
        Assert.Equal("UnknownTransaction", unbillable[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task EveryTransaction_BecomesExactlyOneCdr_OrOneUnbillableRecord_AlsoAcrossACrash()
    {
        using var api = new ApiClient(_server);
        int superseded, stopped;
        await using (RawCharger charger = await ConnectAndBootAsync(_server, "CP-RECON", "ocpp1.6"))
        {
            superseded = await StartAsync(charger, meterStart: 0);
            await MeterAsync(charger, superseded, At(10), 2_000);

            // Its stop was lost (the charger rebooted): the next start on the connector supersedes it.
            stopped = (await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-1", meterStart = 2_500, timestamp = At(20) }))[2].GetProperty("transactionId").GetInt32();
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = stopped, meterStop = 4_000, timestamp = At(40) }), "StopTransaction");

            // A stop for an id the server never issued (a queue from before a factory reset).
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = 777_777, meterStop = 100, timestamp = At(50) }), "StopTransaction");
        }

        JsonElement[] cdrs = await CdrsAsync(api, "CP-RECON", expected: 2);
        Assert.Equal([superseded, stopped], cdrs.Select(c => c.GetProperty("transactionId").GetInt32()).Order());
        Assert.Equal(2m, cdrs.Single(c => c.GetProperty("transactionId").GetInt32() == superseded).GetProperty("totalEnergyKwh").GetDecimal());
        Assert.Equal(777_777, Assert.Single(await UnbillableAsync(api, expected: 1)).GetProperty("transactionId").GetInt32());

        // After a crash the pipeline reads the same events again and writes nothing twice; the superseded transaction's
        // own stop arriving late is absorbed (its CDR exists); the next transaction gets its CDR.
        await _server.CrashAsync();
        await _server.Services.GetRequiredService<CdrPipeline>().CaughtUp;
        using var after = new ApiClient(_server);
        int next;
        await using (RawCharger charger = await ConnectAndBootAsync(_server, "CP-RECON", "ocpp1.6"))
        {
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = superseded, meterStop = 2_400, timestamp = At(15) }), "StopTransaction");
            next = await StartAsync(charger, meterStart: 4_000);
            OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId = next, meterStop = 5_000, timestamp = At(90) }), "StopTransaction");
        }

        // The pipeline handles the log in order: once the last CDR exists, everything before it was handled.
        cdrs = await CdrsAsync(after, "CP-RECON", expected: 3);
        Assert.Equal([superseded, stopped, next], cdrs.Select(c => c.GetProperty("transactionId").GetInt32()).Order());
        Assert.Single(await UnbillableAsync(after, expected: 1));
    }

    [Theory]
    [InlineData(0)] // the charge point itself, not a connector
    [InlineData(-1)] // negative
    [InlineData(3)] // beyond the two connectors the charger announced
    public async Task StartTransaction_OnAConnectorTheChargerDoesNotHave_IsRefused_AndChangesNothing(int connectorId)
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-TWO", "ocpp1.6");
        OcppAssert.CallResult(await charger.CallAsync("StatusNotification", new { connectorId = 2, errorCode = "NoError", status = "Available" }), "StatusNotification");
        JsonElement answer = await charger.CallAsync("StartTransaction", new { connectorId, idTag = "TAG-1", meterStart = 0, timestamp = At(0) });

        OcppAssert.CallError(answer, "PropertyConstraintViolation");
        Assert.Empty(_server.Storage.State.ListTransactions("CP-TWO"));
        Assert.False(_server.Storage.State.TryGetConnector("CP-TWO"u8, connectorId, out _));
        Assert.True(_server.Storage.State.TryGetCharger("CP-TWO"u8, out ChargerState state));
        Assert.Equal(2, state.MaxConnectorId);

        // The announced connectors still work.
        OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 2, idTag = "TAG-1", meterStart = 0, timestamp = At(0) }), "StartTransaction");
    }

    [Fact]
    public async Task StartTransaction_FromAChargerThatAnnouncedNoConnector_IsBoundedAt64()
    {
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CP-SILENT");
        OcppAssert.CallError(
            await charger.CallAsync("StartTransaction", new { connectorId = 65, idTag = "TAG-1", meterStart = 0, timestamp = At(0) }),
            "PropertyConstraintViolation");
        Assert.Empty(_server.Storage.State.ListTransactions("CP-SILENT"));
        OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 64, idTag = "TAG-1", meterStart = 0, timestamp = At(0) }), "StartTransaction");
    }

    // NOTE: starts are stamped now: a session whose start is older than Cdr:MaxOpenSession no longer holds back the
    // pipeline's restart position, and the restart tests keep sessions open across the restart.
    private static async Task<int> StartAsync(RawCharger charger, int meterStart) =>
        OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-1", meterStart, timestamp = At(0) }), "StartTransaction")
            .GetProperty("transactionId").GetInt32();

    private static string At(int minutes) => Base.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task MeterAsync(RawCharger charger, int transactionId, string at, int wh) =>
        OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp = at, sampledValue = new[] { new { value = wh.ToString(System.Globalization.CultureInfo.InvariantCulture) } } } },
        }), "MeterValues");

    /// <summary>The charger's CDRs once there are <paramref name="expected"/> (the pipeline runs behind the log).</summary>
    private static async Task<JsonElement[]> CdrsAsync(ApiClient api, string chargerId, int expected)
    {
        JsonElement[] items = [];
        await CommandApiTests.WaitUntilAsync(() =>
        {
            JsonElement page = ApiClient.JsonAsync(api.GetAsync("api/v1/cdrs?chargerId=" + chargerId).Result, HttpStatusCode.OK).Result;
            items = [.. page.GetProperty("items").EnumerateArray()];
            return items.Length >= expected;
        });
        Assert.Equal(expected, items.Length);
        return items;
    }

    private static async Task<JsonElement[]> UnbillableAsync(ApiClient api, int expected)
    {
        JsonElement[] items = [];
        await CommandApiTests.WaitUntilAsync(() =>
        {
            items = [.. ApiClient.JsonAsync(api.GetAsync("api/v1/cdrs/unbillable").Result, HttpStatusCode.OK).Result.EnumerateArray()];
            return items.Length >= expected;
        });
        Assert.True(expected == items.Length, string.Join("\n", items.Select(i => i.GetRawText())));
        return items;
    }
}

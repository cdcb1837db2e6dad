using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Transport;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests.Observability;

/// <summary>
/// What an operator sees of one charger's day, at the default Information level: one line per meaningful event with
/// the figures that matter (reason, energy, status, duration), the counters by reason, and one span per command.
/// </summary>
public sealed class OperatorSignalsTests
{
    private const string FlatTariff = """
        {"country_code":"NL","party_id":"EVC","id":"FLAT","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.40,"vat":21.0,"step_size":1}]}],"last_updated":"2026-11-01T00:00:00Z"}
        """;

    [Fact]
    public async Task AChargersSession_IsLoggedOneLinePerEvent_WithReasonEnergyStatusAndDuration()
    {
        var logs = new CapturingLoggerProvider();
        await using TestServer server = await TestServer.StartWithServicesAsync(
            services => services.AddSingleton<ILoggerProvider>(logs), ApiClient.ServerArgs("--Logging:LogLevel:Default=Information"));
        using var api = new ApiClient(server);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariffs/FLAT", FlatTariff), HttpStatusCode.OK);
        await ApiClient.JsonAsync(await api.PutAsync("api/v1/tariff-assignments", "{\"chargerId\":\"CP-SIGNALS\",\"tariffId\":\"FLAT\"}"), HttpStatusCode.OK);

        await using RawCharger charger = await ConnectAndBootAsync(server, "CP-SIGNALS", "ocpp1.6");
        CapturedLine connected = await logs.WaitForAsync(l => l.Message.StartsWith("Charger CP-SIGNALS connected", StringComparison.Ordinal));
        Assert.Equal("ocpp1.6", connected.Value("Protocol"));
        CapturedLine boot = await logs.WaitForAsync(l => l.Message.StartsWith("Boot of CP-SIGNALS", StringComparison.Ordinal));
        Assert.Equal("Accepted", boot.Value("Registration"));

        JsonElement start = OcppAssert.CallResult(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-1", meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        int transactionId = start.GetProperty("transactionId").GetInt32();
        OcppAssert.CallResult(await charger.CallAsync("StopTransaction", new { transactionId, meterStop = 5500, timestamp = "2026-11-24T11:00:00Z", reason = "EVDisconnected" }), "StopTransaction");

        string tx = transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        CapturedLine started = await logs.WaitForAsync(l => l.Message.StartsWith("Transaction " + tx + " ", StringComparison.Ordinal) && l.Message.Contains("started", StringComparison.Ordinal));
        Assert.Equal("1000", started.Value("MeterStartWh"));
        CapturedLine ended = await logs.WaitForAsync(l => l.Message.StartsWith("Transaction " + tx + " ", StringComparison.Ordinal) && l.Message.Contains("ended", StringComparison.Ordinal));
        Assert.Equal("4500", ended.Value("EnergyWh"));
        Assert.Equal("EVDisconnected", ended.Value("StopReason"));
        Assert.Equal("60", ended.Value("DurationMinutes"));
        CapturedLine cdr = await logs.WaitForAsync(l => l.Message.StartsWith("CDR ", StringComparison.Ordinal) && l.Value("TransactionId") == tx);
        Assert.Equal(server.CdrIdOf(transactionId), cdr.Value("CdrId"));
        Assert.Equal("1.80", cdr.Value("TotalExclVat"));
        Assert.Equal("EUR", cdr.Value("Currency"));

        Task<EvCloud.Fast.Ocpp.Rpc.OcppCallResult> command = server.Gateway.CallAsync("CP-SIGNALS", "ChangeAvailability", """{"connectorId":0,"type":"Inoperative"}"""u8.ToArray());
        (string messageId, _) = await ExpectCallAsync(charger, "ChangeAvailability");
        await AnswerAsync(charger, messageId, """{"status":"Scheduled"}""");
        await command;
        await logs.WaitForAsync(l => l.Message == "CALL ChangeAvailability sent to CP-SIGNALS");
        CapturedLine answered = await logs.WaitForAsync(l => l.Message.StartsWith("CALL ChangeAvailability to CP-SIGNALS answered", StringComparison.Ordinal));
        Assert.Equal("Completed", answered.Value("Result"));
        Assert.Equal("Scheduled", answered.Value("AnswerStatus"));
        Assert.NotNull(answered.Value("ElapsedMs"));

        await charger.SendFrameAsync(WebSocketOpcode.Close, [0x03, 0xE8]); // 1000, normal closure
        CapturedLine disconnected = await logs.WaitForAsync(l => l.Message.StartsWith("Charger CP-SIGNALS disconnected", StringComparison.Ordinal));
        Assert.Equal("peer_closed", disconnected.Value("Reason"));
        Assert.Equal("1000", disconnected.Value("CloseCode"));

        // One line each: no event is logged twice (by two layers, or by a replay).
        Assert.Single(logs.Lines, l => l.Message.StartsWith("Boot of CP-SIGNALS", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Message.StartsWith("Transaction " + tx + " ", StringComparison.Ordinal) && l.Message.Contains("ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReconnectStorm_WritesOnlyTheFirstLines_WhileTheCountersCountEveryConnection()
    {
        var logs = new CapturingLoggerProvider();
        await using TestServer server = await TestServer.StartWithServicesAsync(
            services => services.AddSingleton<ILoggerProvider>(logs),
            ApiClient.ServerArgs("--Logging:LogLevel:Default=Information", "--LogRateLimit:Lines=3", "--LogRateLimit:Window=01:00:00"));
        using var connects = new CounterReader(server, "evcloud.ocpp.connects");

        for (int i = 0; i < 8; i++)
        {
            await using RawCharger charger = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-STORM-" + i);
        }

        await logs.WaitForAsync(l => l.Message.StartsWith("Charger CP-STORM-0 connected", StringComparison.Ordinal));
        Assert.Equal(3, logs.Lines.Count(l => l.Message.StartsWith("Charger CP-STORM-", StringComparison.Ordinal) && l.Message.Contains(" connected ", StringComparison.Ordinal)));
        Assert.Equal(8, connects.Total());
    }

    [Fact]
    public async Task Disconnects_AreCountedByReason()
    {
        await using TestServer server = await TestServer.StartAsync(ApiClient.ServerArgs());
        using var disconnects = new CounterReader(server, "evcloud.ocpp.disconnects");

        RawCharger first = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-REASON");
        RawCharger second = await RawCharger.ConnectAsync(server.OcppEndPoint, "CP-REASON"); // replaces the first
        await disconnects.WaitForAsync("reason", "replaced", 1);
        await second.SendFrameAsync(WebSocketOpcode.Close, [0x03, 0xE8]);
        await disconnects.WaitForAsync("reason", "peer_closed", 1);
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task ACommand_IsOneSpan_TaggedWithChargerActionAndResult()
    {
        var spans = new List<Activity>();
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder().AddSource(EvCloud.Fast.Ocpp.Diagnostics.OcppTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        await using TestServer server = await TestServer.StartAsync(ApiClient.ServerArgs());
        await using RawCharger charger = await ConnectAndBootAsync(server, "CP-TRACED", "ocpp1.6");

        Task<EvCloud.Fast.Ocpp.Rpc.OcppCallResult> command = server.Gateway.CallAsync("CP-TRACED", "Reset", """{"type":"Soft"}"""u8.ToArray());
        (string messageId, _) = await ExpectCallAsync(charger, "Reset");
        await AnswerAsync(charger, messageId, """{"status":"Rejected"}""");
        await command;
        tracer.ForceFlush();

        Activity span;
        lock (spans)
        {
            span = Assert.Single(spans, s => (string?)s.GetTagItem("ocpp.charger_id") == "CP-TRACED");
        }

        Assert.Equal("OCPP Reset", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("Reset", span.GetTagItem("ocpp.action"));
        Assert.Equal("completed", span.GetTagItem("ocpp.result"));
        Assert.Equal("Rejected", span.GetTagItem("ocpp.answer_status"));
    }

    /// <summary>Sums one counter of one server (its meter comes from that server's meter factory) by tag.</summary>
    private sealed class CounterReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _lock = new();
        private readonly List<(string? Tag, long Value)> _measurements = [];
        private readonly List<(string Key, string Value, long Count, TaskCompletionSource Done)> _waiters = [];

        public CounterReader(TestServer server, string name)
        {
            object factory = server.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
            _listener.Start();
        }

        public long Total()
        {
            lock (_lock)
            {
                return _measurements.Sum(m => m.Value);
            }
        }

        public async Task WaitForAsync(string key, string value, long count)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _waiters.Add((key, value, count, done));
                Check();
            }

            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        private void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tagged = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                tagged += tag.Key + "=" + tag.Value + ";";
            }

            lock (_lock)
            {
                _measurements.Add((tagged, value));
                Check();
            }
        }

        private void Check()
        {
            foreach ((string key, string value, long count, TaskCompletionSource done) in _waiters)
            {
                if (_measurements.Where(m => m.Tag?.Contains(key + "=" + value + ";", StringComparison.Ordinal) == true).Sum(m => m.Value) >= count)
                {
                    done.TrySetResult();
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

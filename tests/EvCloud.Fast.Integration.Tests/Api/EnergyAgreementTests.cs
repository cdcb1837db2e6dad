using System.Globalization;
using System.Net;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Integration.Tests.Api;

/// <summary>The energy of a transaction is the same number in the transaction API, on the event stream and in its CDR.</summary>
public sealed class EnergyAgreementTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(ApiClient.ServerArgs());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ASampleScaledBeyondTheMultiplierBound_IsRefused_AndTheApiAndTheCdrAgreeOnTheEnergy()
    {
        using var api = new ApiClient(_server);
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, "?chargerId=CS-MULT&types=transaction.started,cdr.created");
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, "CS-MULT", "ocpp2.0.1");

        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Started", 0, "10:00", 0, 0)), "TransactionEvent", OcppVersion.Ocpp201);
        int transactionId = (await events.NextAsync()).Data.GetProperty("transactionId").GetInt32();
        OcppAssert.CallError(await charger.CallRawAsync("TransactionEvent", Event("Updated", 1, "10:30", 5000, 127)), "PropertyConstraintViolation");
        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Updated", 2, "10:30", 2500, 0)), "TransactionEvent", OcppVersion.Ocpp201);
        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Ended", 3, "11:00", 5, 3)), "TransactionEvent", OcppVersion.Ocpp201);
        string cdrId = await CdrCreatedAsync(events);

        JsonElement transaction = await ApiClient.JsonAsync(await api.GetAsync("api/v1/transactions/" + transactionId), HttpStatusCode.OK);
        JsonElement detail = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + cdrId), HttpStatusCode.OK);
        Assert.Equal(5000m, transaction.GetProperty("transaction").GetProperty("meter").GetProperty("energyWh").GetDecimal());
        Assert.Equal(5m, detail.GetProperty("cdr").GetProperty("total_energy").GetDecimal());
    }

    [Theory]
    [InlineData(1000, 6000, 5000, 5000)] // the meter runs backwards before the stop: the highest reading counts
    [InlineData(1000, 3000, 200, 2000)] // the register resets after a reading: what was measured before stays
    [InlineData(1000, -1, 200, 0)] // a stop below meterStart and no reading: nothing delivered, never negative
    public async Task Ocpp16_ARegisterThatGoesBackwards_GivesTheSameEnergyInTheApiAndTheCdr_AndKeepsTheReportedStop(int meterStart, int reading, int meterStop, int expectedWh)
    {
        using var api = new ApiClient(_server);
        string chargerId = $"CS-BACK16-{meterStop}";
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, $"?chargerId={chargerId}&types=cdr.created");
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, chargerId, "ocpp1.6");

        JsonElement start = OcppAssert.CallResult(
            await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-BACK", meterStart, timestamp = "2026-11-24T10:00:00Z" }), "StartTransaction");
        int transactionId = start.GetProperty("transactionId").GetInt32();
        if (reading >= 0)
        {
            OcppAssert.CallResult(await charger.CallAsync("MeterValues", new
            {
                connectorId = 1,
                transactionId,
                meterValue = new[] { new { timestamp = "2026-11-24T10:30:00Z", sampledValue = new[] { new { value = reading.ToString(CultureInfo.InvariantCulture), measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
            }), "MeterValues");
        }

        OcppAssert.CallResult(
            await charger.CallAsync("StopTransaction", new { transactionId, meterStop, timestamp = "2026-11-24T11:00:00Z", reason = "Local" }), "StopTransaction");
        string cdrId = await CdrCreatedAsync(events);

        await AssertAgreementAsync(api, transactionId, cdrId, expectedWh, meterStop);
    }

    [Theory]
    [InlineData(1000, 6000, 5000, 5000)] // the meter runs backwards before the stop: the highest reading counts
    [InlineData(1000, 3000, 200, 2000)] // the register resets after a reading: what was measured before stays
    [InlineData(1000, -1, 200, 0)] // an Ended below the Started reading and nothing between: never negative
    public async Task Ocpp201_ARegisterThatGoesBackwards_GivesTheSameEnergyInTheApiAndTheCdr_AndKeepsTheReportedStop(int meterStart, int reading, int meterStop, int expectedWh)
    {
        using var api = new ApiClient(_server);
        string chargerId = $"CS-BACK201-{meterStop}";
        await using EventStreamReader events = await EventStreamReader.OpenAsync(api, $"?chargerId={chargerId}&types=transaction.started,cdr.created");
        await using RawCharger charger = await RawCharger.ConnectAsync(_server.OcppEndPoint, chargerId, "ocpp2.0.1");

        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Started", 0, "10:00", meterStart, 0)), "TransactionEvent", OcppVersion.Ocpp201);
        int transactionId = (await events.NextAsync()).Data.GetProperty("transactionId").GetInt32();
        if (reading >= 0)
        {
            OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Updated", 1, "10:30", reading, 0)), "TransactionEvent", OcppVersion.Ocpp201);
        }

        OcppAssert.CallResult(await charger.CallRawAsync("TransactionEvent", Event("Ended", 2, "11:00", meterStop, 0)), "TransactionEvent", OcppVersion.Ocpp201);
        string cdrId = await CdrCreatedAsync(events);

        await AssertAgreementAsync(api, transactionId, cdrId, expectedWh, meterStop);
    }

    private static async Task<string> CdrCreatedAsync(EventStreamReader events)
    {
        ServerSentEvent created = await events.NextAsync();
        Assert.Equal("cdr.created", created.Type);
        return created.Data.GetProperty("cdrId").GetString()!;
    }

    private static async Task AssertAgreementAsync(ApiClient api, int transactionId, string cdrId, int expectedWh, int reportedStopWh)
    {
        JsonElement transaction = await ApiClient.JsonAsync(await api.GetAsync("api/v1/transactions/" + transactionId), HttpStatusCode.OK);
        JsonElement detail = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + cdrId), HttpStatusCode.OK);
        JsonElement meter = transaction.GetProperty("transaction").GetProperty("meter");
        Assert.Equal(expectedWh, meter.GetProperty("energyWh").GetDecimal());
        Assert.Equal(expectedWh / 1000m, detail.GetProperty("cdr").GetProperty("total_energy").GetDecimal());
        Assert.Equal(reportedStopWh, meter.GetProperty("stopWh").GetDecimal());
    }

    private static string Event(string type, int seqNo, string time, int value, int multiplier) => $$$"""
        {"eventType":"{{{type}}}","timestamp":"2026-11-24T{{{time}}}:00Z","triggerReason":"MeterValuePeriodic","seqNo":{{{seqNo}}},
         "transactionInfo":{"transactionId":"T-MULT"},"idToken":{"idToken":"TAG-MULT","type":"ISO14443"},"evse":{"id":1,"connectorId":1},
         "meterValue":[{"timestamp":"2026-11-24T{{{time}}}:00Z","sampledValue":[{"value":{{{value}}},"measurand":"Energy.Active.Import.Register",
           "unitOfMeasure":{"unit":"Wh","multiplier":{{{multiplier}}}}}]}]}
        """;
}

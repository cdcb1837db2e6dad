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
        Assert.Equal("cdr.created", (await events.NextAsync()).Type);

        JsonElement transaction = await ApiClient.JsonAsync(await api.GetAsync("api/v1/transactions/" + transactionId), HttpStatusCode.OK);
        JsonElement detail = await ApiClient.JsonAsync(await api.GetAsync("api/v1/cdrs/" + _server.CdrIdOf(transactionId)), HttpStatusCode.OK);
        Assert.Equal(5000m, transaction.GetProperty("transaction").GetProperty("meter").GetProperty("energyWh").GetDecimal());
        Assert.Equal(5m, detail.GetProperty("cdr").GetProperty("total_energy").GetDecimal());
    }

    private static string Event(string type, int seqNo, string time, int value, int multiplier) => $$$"""
        {"eventType":"{{{type}}}","timestamp":"2026-11-24T{{{time}}}:00Z","triggerReason":"MeterValuePeriodic","seqNo":{{{seqNo}}},
         "transactionInfo":{"transactionId":"T-MULT"},"idToken":{"idToken":"TAG-MULT","type":"ISO14443"},"evse":{"id":1,"connectorId":1},
         "meterValue":[{"timestamp":"2026-11-24T{{{time}}}:00Z","sampledValue":[{"value":{{{value}}},"measurand":"Energy.Active.Import.Register",
           "unitOfMeasure":{"unit":"Wh","multiplier":{{{multiplier}}}}}]}]}
        """;
}

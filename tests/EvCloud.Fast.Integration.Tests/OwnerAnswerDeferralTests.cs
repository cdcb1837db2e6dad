using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage.State;
using Microsoft.Extensions.DependencyInjection;
using static EvCloud.Fast.Integration.Tests.Api.ApiTestCharger;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// A CALL whose answer a token's owner decides online (real-time authorization) is answered once the owner has: the
/// charger's later messages wait behind it, other chargers do not, and a deferred transaction start is recorded once.
/// </summary>
public sealed class OwnerAnswerDeferralTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private TokenStore _tokens = null!;
    private ControlledOwner _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _tokens = _server.Services.GetRequiredService<TokenStore>();
        _owner = new ControlledOwner();
        _tokens.RealTime = _owner;

        // What the store holds before the owner answers: the whitelist's "refuse unless asked online".
        _tokens.UpsertRoaming(new TokenRecord { IdTag = "ROAM-1", Status = AuthorizationStatus.Invalid, AskOwner = true });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("ocpp1.6")]
    [InlineData("ocpp2.0.1")]
    public async Task Authorize_IsAnsweredWithTheOwnersAnswer_AndTheChargersNextMessageWaitsBehindIt(string protocol)
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-DEFER", protocol);
        await using RawCharger other = await ConnectAndBootAsync(_server, "CP-OTHER", "ocpp1.6");

        object authorize = protocol == "ocpp1.6" ? new { idTag = "ROAM-1" } : new { idToken = new { idToken = "ROAM-1", type = "ISO14443" } };
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "auth-1", "Authorize", authorize }));
        await charger.SendTextAsync(JsonSerializer.Serialize(new object[] { 2, "beat-1", "Heartbeat", new { } }));
        Assert.Equal(("ROAM-1", "CP-DEFER"), await _owner.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        // Another charger is served while this one waits.
        OcppAssert.CallResult(await other.CallAsync("Heartbeat", new { }), "Heartbeat");

        // The owner answers: the store holds its answer, then the request completes.
        _tokens.UpsertRoaming(new TokenRecord { IdTag = "ROAM-1", Status = AuthorizationStatus.Accepted, AskOwner = true });
        _owner.Answer();

        JsonElement first = await charger.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("auth-1", first[1].GetString());
        JsonElement info = protocol == "ocpp1.6" ? first[2].GetProperty("idTagInfo") : first[2].GetProperty("idTokenInfo");
        Assert.Equal("Accepted", info.GetProperty("status").GetString());
        JsonElement second = await charger.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("beat-1", second[1].GetString());
        Assert.Equal(1, _owner.Count);
    }

    [Fact]
    public async Task ADeferredStartTransaction_IsRecordedOnce_WithTheOwnersAnswer()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-DEFER-TX", "ocpp1.6");
        Task<JsonElement> start = charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "ROAM-1", meterStart = 100, timestamp = "2026-11-24T10:00:00Z" });
        await _owner.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_server.Storage.State.ListTransactions("CP-DEFER-TX"));

        _tokens.UpsertRoaming(new TokenRecord { IdTag = "ROAM-1", Status = AuthorizationStatus.Accepted, AskOwner = true });
        _owner.Answer();

        JsonElement answer = OcppAssert.CallResult(await start.WaitAsync(TimeSpan.FromSeconds(10)), "StartTransaction");
        Assert.Equal("Accepted", answer.GetProperty("idTagInfo").GetProperty("status").GetString());
        TransactionSnapshot transaction = Assert.Single(_server.Storage.State.ListTransactions("CP-DEFER-TX"));
        Assert.Equal(answer.GetProperty("transactionId").GetInt32(), transaction.TransactionId);
    }

    [Fact]
    public async Task AnOwnerThatDoesNotAnswer_LeavesTheAnswerToWhatTheStoreHolds()
    {
        await using RawCharger charger = await ConnectAndBootAsync(_server, "CP-DEFER-NONE", "ocpp1.6");
        Task<JsonElement> authorize = charger.CallAsync("Authorize", new { idTag = "ROAM-1" });
        await _owner.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Unreachable: the authorizer's wait ends without an answer in the store.
        _owner.Answer();

        JsonElement answer = OcppAssert.CallResult(await authorize.WaitAsync(TimeSpan.FromSeconds(10)), "Authorize");
        Assert.Equal("Invalid", answer.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    /// <summary>An owner that answers when the test says so; asked once, then its answer stands.</summary>
    private sealed class ControlledOwner : IRealTimeAuthorizer
    {
        private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public TaskCompletionSource<(string IdTag, string? ChargerId)> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public bool AsksForUnknownTokens => false;

        public Task? Ask(string idTag, string? chargerId)
        {
            if (_answered.Task.IsCompleted)
            {
                return null;
            }

            if (Interlocked.Increment(ref _count) == 1)
            {
                Asked.TrySetResult((idTag, chargerId));
            }

            return _answered.Task;
        }

        public void Answer() => _answered.TrySetResult();
    }
}

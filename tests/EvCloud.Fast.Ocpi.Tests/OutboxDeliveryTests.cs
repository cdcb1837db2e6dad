using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>The outbox against a recording partner: what is queued reaches the partner, last update included.</summary>
public sealed class OutboxDeliveryTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingHandler _partner = new();
    private StorageEngine _storage = null!;
    private PushOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        _storage = StorageEngine.Open(SmallStorage.Options(_directory));
        var options = new OcpiOptions { CountryCode = "NL", PartyId = "CPO" };
        var partners = new PartnerRegistry(_storage, options);
        await partners.SaveAsync(new OcpiPartner
        {
            Id = "emsp",
            Version = OcpiVersionNumber.V221,
            Registered = true,
            OutgoingToken = "token-c",
            Roles = [new PartnerRole { Role = "EMSP", CountryCode = "NL", PartyId = "MSP" }],
            Endpoints = [new PartnerEndpoint { Identifier = "locations", Role = "RECEIVER", Url = "http://partner.invalid/locations" }],
        });
        var client = new OcpiClient(new HandlerFactory(_partner), options, NullLogger<OcpiClient>.Instance);
        _outbox = new PushOutbox(_storage, partners, client, options, TimeProvider.System, NullLogger<PushOutbox>.Instance);
        await _outbox.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _outbox.StopAsync(CancellationToken.None);
        _outbox.Dispose();
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AnUpdateQueuedWhileTheSenderPicksUpTheObjectsOlderUpdate_IsNeverLost()
    {
        // Two updates of one object back to back, many times: the second is merged into the first when that is still
        // queued, or queued behind it when it is already being sent. Either way the partner must end on the second.
        DateTimeOffset time = DateTimeOffset.UnixEpoch.AddYears(56);
        for (int round = 0; round < 200; round++)
        {
            for (int i = 0; i < 2; i++)
            {
                string value = $"{round}-{i}";
                time = time.AddMilliseconds(1);
                byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["status"] = value, ["last_updated"] = OcpiDates.Format(time) }.ToJsonString());
                await _outbox.EnqueueAsync("emsp", "locations", HttpMethod.Patch, "/NL/CPO/LOC1/EVSE1", body, "locations/NL/CPO/LOC1/EVSE1", time);
            }

            string expected = $"{round}-1";
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (_partner.LastStatus != expected || _outbox.Pending("emsp").Count > 0)
            {
                Assert.False(timeout.IsCancellationRequested, $"Round {round}: the partner ended on {_partner.LastStatus}, expected {expected}; queued: {_outbox.Pending("emsp").Count}.");
                await Task.Delay(2);
            }
        }
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        private volatile string? _lastStatus;

        public ConcurrentQueue<string> Received { get; } = new();

        public string? LastStatus => _lastStatus;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            string status = JsonNode.Parse(body)!["status"]!.GetValue<string>();
            Received.Enqueue(status);
            _lastStatus = status;
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"status_code":1000,"timestamp":"2026-01-01T00:00:00Z"}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}

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
    private readonly RecordingHandler _partner = new();
    private OutboxHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await OutboxHarness.StartAsync(_partner, "locations");

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private PushOutbox Outbox => _harness.Outbox;

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
                await Outbox.EnqueueAsync("emsp", "locations", HttpMethod.Patch, "/NL/CPO/LOC1/EVSE1", body, "locations/NL/CPO/LOC1/EVSE1", time);
            }

            string expected = $"{round}-1";
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (_partner.LastStatus != expected || Outbox.Pending("emsp").Count > 0)
            {
                Assert.False(timeout.IsCancellationRequested, $"Round {round}: the partner ended on {_partner.LastStatus}, expected {expected}; queued: {Outbox.Pending("emsp").Count}.");
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
}

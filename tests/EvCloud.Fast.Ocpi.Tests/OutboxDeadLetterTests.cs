using System.Net;
using System.Text;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>A CDR push that keeps failing does not vanish: after MaxAttempts it is a dead letter, and a retry delivers it.</summary>
public sealed class OutboxDeadLetterTests : IAsyncLifetime
{
    private readonly DownPartner _partner = new();
    private OutboxHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await OutboxHarness.StartAsync(_partner, "cdrs", new PushOptions { MaxAttempts = 3, RetryBase = TimeSpan.FromMilliseconds(1), RetryMax = TimeSpan.FromMilliseconds(5) });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private PushOutbox Outbox => _harness.Outbox;

    [Fact]
    public async Task ACdrPushFailingMaxAttemptsTimes_IsADeadLetter_AndARetryDeliversIt()
    {
        byte[] cdr = """{"id":"CDR-1","total_cost":{"excl_vat":3.0}}"""u8.ToArray();
        long seq = await Outbox.EnqueueAsync("emsp", "cdrs", HttpMethod.Post, "", cdr, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(DeliveryState.Dead, await Outbox.WaitAsync("emsp", seq, TimeSpan.FromSeconds(30)));
        Assert.Equal(3, _partner.Attempts);
        Assert.Empty(Outbox.Pending());
        OutboxItem dead = Assert.Single(Outbox.DeadLetters());
        Assert.Equal(cdr, dead.Body);
        Assert.StartsWith("Gave up after 3 attempts", dead.DeadReason, StringComparison.Ordinal);

        _partner.Up = true;
        Assert.True(await Outbox.RetryDeadAsync("emsp", seq));
        Assert.Empty(Outbox.DeadLetters());
        // NOTE: the sender may deliver it before this line runs, so the partner's receipt is what is awaited.
        Assert.Equal(cdr, await _partner.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Answers 503 until it is up, then accepts and records the body.</summary>
    private sealed class DownPartner : HttpMessageHandler
    {
        private int _attempts;

        public volatile bool Up;

        public int Attempts => Volatile.Read(ref _attempts);

        public TaskCompletionSource<byte[]> Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            if (!Up)
            {
                Interlocked.Increment(ref _attempts);
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            Delivered.TrySetResult(body);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"status_code":1000,"timestamp":"2026-01-01T00:00:00Z"}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}

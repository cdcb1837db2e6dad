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
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-outbox-dead-" + Guid.NewGuid().ToString("N"));
    private readonly DownPartner _partner = new();
    private StorageEngine _storage = null!;
    private PushOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        _storage = StorageEngine.Open(SmallStorage.Options(_directory));
        var options = new OcpiOptions
        {
            CountryCode = "NL",
            PartyId = "CPO",
            Push = new PushOptions { MaxAttempts = 3, RetryBase = TimeSpan.FromMilliseconds(1), RetryMax = TimeSpan.FromMilliseconds(5) },
        };
        var partners = new PartnerRegistry(_storage, options);
        await partners.SaveAsync(new OcpiPartner
        {
            Id = "emsp",
            Version = OcpiVersionNumber.V221,
            Registered = true,
            OutgoingToken = "token-c",
            Roles = [new PartnerRole { Role = "EMSP", CountryCode = "NL", PartyId = "MSP" }],
            Endpoints = [new PartnerEndpoint { Identifier = "cdrs", Role = "RECEIVER", Url = "http://partner.invalid/cdrs" }],
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
    public async Task ACdrPushFailingMaxAttemptsTimes_IsADeadLetter_AndARetryDeliversIt()
    {
        byte[] cdr = """{"id":"CDR-1","total_cost":{"excl_vat":3.0}}"""u8.ToArray();
        long seq = await _outbox.EnqueueAsync("emsp", "cdrs", HttpMethod.Post, "", cdr, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(DeliveryState.Dead, await _outbox.WaitAsync("emsp", seq, TimeSpan.FromSeconds(30)));
        Assert.Equal(3, _partner.Attempts);
        Assert.Empty(_outbox.Pending());
        OutboxItem dead = Assert.Single(_outbox.DeadLetters());
        Assert.Equal(cdr, dead.Body);
        Assert.StartsWith("Gave up after 3 attempts", dead.DeadReason, StringComparison.Ordinal);

        _partner.Up = true;
        Assert.True(await _outbox.RetryDeadAsync("emsp", seq));
        Assert.Empty(_outbox.DeadLetters());
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

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}

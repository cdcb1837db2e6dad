using System.Net.Http;
using EvCloud.Fast.Host.Health;
using EvCloud.Fast.Ocpi;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Log;
using EvCloud.Fast.Storage.State;
using MessagePack;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// The readiness checks without a storage end to end (<c>cdr.pipeline</c>, <c>outbox.ocpi</c>), each state set by the
/// test: the pipeline's reading and a clock the test moves, so no verdict depends on how fast the machine is.
/// </summary>
public sealed class ReadinessCheckTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan BehindAfter = TimeSpan.FromMinutes(5);
    private static readonly IReadOnlyDictionary<string, object> NoData = new Dictionary<string, object>();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evcloud-ready-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(Start);
    private StorageEngine _storage = null!;
    private PushOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        _storage = StorageEngine.Open(new StorageOptions
        {
            DataDirectory = _directory,
            CheckpointInterval = TimeSpan.FromMinutes(30),
            Log = new EventLogOptions { PageSize = 1 << 16, MemorySize = 1 << 20, SegmentSize = 1 << 22 },
            State = new StateStoreOptions { IndexSize = 1 << 16, PageSize = 1 << 16, MemorySize = 1 << 22, SegmentSize = 1 << 22, SessionPoolSize = 8 },
        });
        var options = new OcpiOptions { CountryCode = "NL", PartyId = "CPO" };
        var client = new OcpiClient(new NoHttp(), options, NullLogger<OcpiClient>.Instance);

        // NOTE: the outbox is not started, so nothing is delivered: what is queued stays queued while the clock moves.
        _outbox = new PushOutbox(_storage, new PartnerRegistry(_storage, options), client, options, _clock, NullLogger<PushOutbox>.Instance);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void CdrPipeline_WaitingForTheNextEvent_IsHealthy_HoweverLongTheLogIsIdle()
    {
        var state = new CdrPipelineState(new TaskCompletionSource().Task, WaitingForEntries: true, CaughtUpOnce: true, LastCaughtUpAt: Start);

        Assert.Equal(HealthStatus.Healthy, CdrPipelineHealthCheck.Evaluate(state, Start + TimeSpan.FromDays(2), BehindAfter, NoData).Status);
    }

    [Fact]
    public void CdrPipeline_Reading_IsHealthy_UntilItHasNotCaughtUpForTheThreshold_ThenDegraded()
    {
        var state = new CdrPipelineState(new TaskCompletionSource().Task, WaitingForEntries: false, CaughtUpOnce: true, LastCaughtUpAt: Start);

        Assert.Equal(HealthStatus.Healthy, CdrPipelineHealthCheck.Evaluate(state, Start + BehindAfter, BehindAfter, NoData).Status);
        HealthCheckResult late = CdrPipelineHealthCheck.Evaluate(state, Start + BehindAfter + TimeSpan.FromSeconds(1), BehindAfter, NoData);
        Assert.Equal(HealthStatus.Degraded, late.Status);
        Assert.Contains("5 min", late.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CdrPipeline_ThatReachedTheTailButNeverWaitedYet_IsNotDegraded()
    {
        // Its replay at start reached the tail while events keep coming: it has no "last caught up" moment yet, which
        // is not an age of years.
        var state = new CdrPipelineState(new TaskCompletionSource().Task, WaitingForEntries: false, CaughtUpOnce: true, LastCaughtUpAt: null);

        Assert.Equal(HealthStatus.Healthy, CdrPipelineHealthCheck.Evaluate(state, Start, BehindAfter, NoData).Status);
    }

    [Fact]
    public void CdrPipeline_StillReplayingAtStart_IsHealthy()
    {
        var state = new CdrPipelineState(new TaskCompletionSource().Task, WaitingForEntries: false, CaughtUpOnce: false, LastCaughtUpAt: null);

        Assert.Equal(HealthStatus.Healthy, CdrPipelineHealthCheck.Evaluate(state, Start + TimeSpan.FromHours(1), BehindAfter, NoData).Status);
    }

    [Fact]
    public void CdrPipeline_ThatStopped_IsUnhealthy_WithItsError()
    {
        var failed = new CdrPipelineState(Task.FromException(new IOException("disk gone")), WaitingForEntries: true, CaughtUpOnce: true, LastCaughtUpAt: Start);
        var returned = new CdrPipelineState(Task.CompletedTask, WaitingForEntries: false, CaughtUpOnce: true, LastCaughtUpAt: Start);

        HealthCheckResult result = CdrPipelineHealthCheck.Evaluate(failed, Start, BehindAfter, NoData);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("disk gone", result.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, CdrPipelineHealthCheck.Evaluate(returned, Start, BehindAfter, NoData).Status);
    }

    [Fact]
    public async Task PushOutbox_IsHealthy_WhileTheOldestPushIsYoungerThanTheThreshold_ThenDegradedNamingThePartner()
    {
        var options = new HealthOptions { PushOutboxOldestAfter = TimeSpan.FromMinutes(15) };
        var check = new PushOutboxHealthCheck(_outbox, options, _clock);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await _outbox.EnqueueAsync("emsp", "locations", HttpMethod.Put, "/NL/CPO/LOC1", "{}"u8.ToArray(), "locations/NL/CPO/LOC1", Start);
        _clock.Advance(TimeSpan.FromMinutes(15));
        HealthCheckResult young = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, young.Status);
        Assert.Equal(1, young.Data["undelivered"]);

        _clock.Advance(TimeSpan.FromSeconds(1));
        HealthCheckResult old = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, old.Status);
        Assert.Equal("emsp", old.Data["oldestPartner"]);
        Assert.Contains("not sent yet", old.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushOutbox_WithADeadLetter_IsDegraded_UntilItIsGone()
    {
        var check = new PushOutboxHealthCheck(_outbox, new HealthOptions(), _clock);
        var dead = new OutboxItem { Seq = 1, PartnerId = "emsp", Module = "cdrs", Method = "POST", Path = "", Attempts = 10, LastError = "HTTP 500", CreatedMs = Start.ToUnixTimeMilliseconds() };
        await _storage.PutDocumentAsync(PushOutbox.DeadCollection, "1", MessagePackSerializer.Serialize(dead));

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(1, result.Data["deadLetters"]);

        await _storage.DeleteDocumentAsync(PushOutbox.DeadCollection, "1");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>The outbox is never started in these tests; a request would be a test bug.</summary>
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("These tests send nothing.");
    }
}

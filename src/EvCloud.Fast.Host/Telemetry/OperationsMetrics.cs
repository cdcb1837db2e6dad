using System.Diagnostics.Metrics;
using EvCloud.Fast.Commands.Outbox;
using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvCloud.Fast.Host.Telemetry;

/// <summary>
/// The gauges an operator alerts on, on the <c>EvCloud.Fast.Operations</c> meter: queues and their oldest item, how
/// far the CDR pipeline is behind the event log, the log's size, the checkpoint's age, and the readiness checks. Each
/// is an observable gauge read at scrape time from state the components keep anyway: counters and addresses, a scan
/// of the in-memory outboxes (no storage read), the last health report.
/// </summary>
public sealed class OperationsMetrics : IHealthCheckPublisher, IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "EvCloud.Fast.Operations";

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport? _lastReport;

    /// <summary>Creates the gauges over the components of this process (the OCPI outbox and the CDR pipeline when present).</summary>
    public OperationsMetrics(IMeterFactory meters, StorageEngine storage, CommandOutbox commands, CdrPipeline cdrs, CdrOptions cdrOptions, TimeProvider time, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(services);
        _meter = meters.Create(MeterName);
        _time = time;
        EventLogGauges(storage);
        CommandOutboxGauges(commands);
        if (cdrOptions.Enabled)
        {
            CdrPipelineGauges(cdrs, storage);
        }

        if (services.GetService<PushOutbox>() is { } push)
        {
            PushOutboxGauges(push);
        }

        _meter.CreateObservableGauge(
            "evcloud.health.status",
            HealthStatuses,
            description: "The last result of each readiness check (/health/ready), every 30 s: 2 healthy, 1 degraded, 0 unhealthy");
    }

    private double NowSeconds => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private void EventLogGauges(StorageEngine storage)
    {
        _meter.CreateObservableGauge(
            "evcloud.log.size", () => storage.Log.TailAddress - storage.Log.BeginAddress, "By", "Bytes of the event log between its begin and its tail (on disk and in memory)");
        _meter.CreateObservableGauge(
            "evcloud.log.tail", () => storage.Log.TailAddress, "By", "The event log's tail address (grows with every event; its rate is the write rate)");
        _meter.CreateObservableGauge(
            "evcloud.log.uncommitted", () => storage.Log.TailAddress - storage.Log.CommittedUntil, "By", "Bytes appended to the event log and not yet durable");
        _meter.CreateObservableGauge(
            "evcloud.state.checkpoint.age", () => NowSeconds - (storage.State.LastCheckpointAt.ToUnixTimeMilliseconds() / 1000.0), "s",
            "Seconds since the last successful state checkpoint (a restart replays the log from there)");
    }

    private void CommandOutboxGauges(CommandOutbox outbox)
    {
        _meter.CreateObservableGauge(
            "evcloud.commands.outbox.depth", () => outbox.Backlog().Undelivered, "{command}", "Queued charger commands not yet answered (waiting for their charger or in flight)");
        _meter.CreateObservableGauge(
            "evcloud.commands.outbox.oldest_age",
            () => outbox.Backlog() is { Undelivered: > 0 } backlog ? NowSeconds - (backlog.OldestCreatedUnixMs / 1000.0) : 0,
            "s",
            "Age of the oldest queued charger command not yet answered (0 when none)");
    }

    private void CdrPipelineGauges(CdrPipeline pipeline, StorageEngine storage)
    {
        _meter.CreateObservableGauge(
            "evcloud.cdr.pipeline.lag.events",
            () => Math.Max(0, storage.Log.AppendedCount - pipeline.EntriesReadSinceOpen),
            "{event}",
            "Log entries appended since start that the CDR pipeline has not read yet (the replay at start shows in lag.bytes)");
        _meter.CreateObservableGauge(
            "evcloud.cdr.pipeline.lag.bytes",
            () => Math.Max(0, storage.Log.CommittedUntil - Math.Max(pipeline.ReadUntil, storage.Log.BeginAddress)),
            "By",
            "Bytes of committed event log the CDR pipeline has not read yet (idle: the log's own commit records, tens of bytes)");
        _meter.CreateObservableGauge(
            "evcloud.cdr.pipeline.lag.seconds",
            () => pipeline.WaitingForEntries || pipeline.LastCaughtUpAt is not { } caughtUp ? 0 : Math.Max(0, (_time.GetUtcNow() - caughtUp).TotalSeconds),
            "s",
            "Seconds since the CDR pipeline last had read every committed entry (0 while it waits for new ones)");
    }

    private void PushOutboxGauges(PushOutbox outbox)
    {
        _meter.CreateObservableGauge(
            "evcloud.ocpi.outbox.depth",
            () => outbox.QueueStats().Select(s => new Measurement<long>(s.Queued, OcpiMetrics.Partner(s.PartnerId))),
            "{request}",
            "OCPI pushes queued, by partner");
        _meter.CreateObservableGauge(
            "evcloud.ocpi.outbox.oldest_age",
            () =>
            {
                double now = NowSeconds;
                return outbox.QueueStats().Select(s => new Measurement<double>(now - (s.OldestCreatedMs / 1000.0), OcpiMetrics.Partner(s.PartnerId)));
            },
            "s",
            "Age of the oldest queued OCPI push, by partner");
    }

    private IEnumerable<Measurement<int>> HealthStatuses()
    {
        if (Volatile.Read(ref _lastReport) is not { } report)
        {
            yield break;
        }

        foreach ((string name, HealthReportEntry entry) in report.Entries)
        {
            yield return new Measurement<int>((int)entry.Status, new KeyValuePair<string, object?>("check", name));
        }
    }

    /// <inheritdoc />
    public Task PublishAsync(Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastReport, report);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics;
using EvCloud.Fast.Ocpp.Diagnostics;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>
/// The OCPP gateway's shared parts: options, live connections, the dispatcher and the one timer that serves
/// every connection (pings, idle drops, call timeouts) instead of a timer object per charger.
/// </summary>
public sealed partial class OcppGateway : BackgroundService, IHostedLifecycleService
{
    private static readonly Action<OcppConnection, long> TickConnection = static (c, now) => c.Tick(now);

    private readonly ILogger _logger;

    /// <summary>Creates the gateway; <paramref name="ownership"/> is the cluster's, absent in a single process.</summary>
    public OcppGateway(
        OcppTransportOptions options, IOcppDispatcher dispatcher, OcppMetrics metrics,
        IChargerOwnership? ownership = null, ILogger<OcppGateway>? logger = null)
    {
        Options = options;
        Dispatcher = dispatcher;
        Metrics = metrics;
        Ownership = ownership;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        metrics.ObserveConnections(Registry);
    }

    /// <summary>Cluster ownership of charge point ids; null in a single process.</summary>
    public IChargerOwnership? Ownership { get; }

    /// <summary>Transport options.</summary>
    public OcppTransportOptions Options { get; }

    /// <summary>Message handling.</summary>
    public IOcppDispatcher Dispatcher { get; }

    /// <summary>Live connections.</summary>
    public OcppConnectionRegistry Registry { get; } = new();

    /// <summary>Gateway metrics.</summary>
    public OcppMetrics Metrics { get; }

    /// <summary>
    /// Sends a CALL to a connected charger; <see cref="OcppCallStatus.Offline"/> when it is not connected. Every CALL
    /// (API command, queued command, certificate) passes here, so here it is traced (one span), logged (sent, answered)
    /// and measured (<see cref="OcppMetrics.CallDurationName"/>).
    /// </summary>
    public Task<OcppCallResult> CallAsync(string chargePointId, string action, byte[] payloadJson)
    {
        Activity? activity = OcppTelemetry.Source.HasListeners() ? OcppTelemetry.Source.StartActivity("OCPP " + action, ActivityKind.Client) : null;
        if (activity is not null)
        {
            activity.SetTag("ocpp.charger_id", chargePointId);
            activity.SetTag("ocpp.action", action);
        }

        long start = Stopwatch.GetTimestamp();
        Task<OcppCallResult> call;
        if (Registry.TryGet(chargePointId, out OcppConnection connection))
        {
            activity?.SetTag("ocpp.version", connection.Version.ToString());
            LogCallSent(_logger, action, chargePointId);
            call = connection.CallAsync(action, payloadJson);
        }
        else
        {
            call = Task.FromResult(new OcppCallResult(OcppCallStatus.Offline, ErrorDescription: "Charger " + chargePointId + " is not connected"));
        }

        return ObserveAsync(call, chargePointId, action, start, activity);
    }

    private async Task<OcppCallResult> ObserveAsync(Task<OcppCallResult> call, string chargePointId, string action, long start, Activity? activity)
    {
        using (activity)
        {
            OcppCallResult result = await call.ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Metrics.CallCompleted(action, result.Status, ms);
            string? status = activity is not null || _logger.IsEnabled(LogLevel.Information) ? OcppTelemetry.AnswerStatus(result.Payload) : null;
            if (activity is not null)
            {
                activity.SetTag("ocpp.result", OcppMetrics.CallStatusTag(result.Status));
                if (status is not null)
                {
                    activity.SetTag("ocpp.answer_status", status);
                }

                if (result.Status != OcppCallStatus.Completed)
                {
                    activity.SetStatus(ActivityStatusCode.Error, result.ErrorCode ?? result.Status.ToString());
                }
            }

            LogCallAnswered(_logger, action, chargePointId, result.Status, status ?? result.ErrorCode ?? result.ErrorDescription, Math.Round(ms, 1));
            return result;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Registry.ForEach(TickConnection, Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Closes every charger connection before any service stops. The web server is stopped first of all the hosted
    /// services and waits for its connections, so the chargers must be told here, not in <see cref="StopAsync"/>.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        foreach (OcppConnection connection in Registry.Connections)
        {
            connection.Shutdown();
        }

        // Give chargers a moment to complete the close handshake, then drop the sockets of those that did not: a
        // charger that never answers the Close would otherwise hold the shutdown for Kestrel's whole timeout.
        for (int i = 0; i < 20 && Registry.Count > 0 && !cancellationToken.IsCancellationRequested; i++)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (OcppConnection connection in Registry.Connections)
        {
            connection.AbortForShutdown();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CALL {Action} sent to {ChargePointId}")]
    private static partial void LogCallSent(ILogger logger, string action, string chargePointId);

    [LoggerMessage(Level = LogLevel.Information, Message = "CALL {Action} to {ChargePointId} answered: {Result} {AnswerStatus} in {ElapsedMs} ms")]
    private static partial void LogCallAnswered(ILogger logger, string action, string chargePointId, OcppCallStatus result, string? answerStatus, double elapsedMs);
}

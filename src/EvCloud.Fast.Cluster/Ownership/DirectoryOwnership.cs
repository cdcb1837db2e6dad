using System.Collections.Concurrent;
using EvCloud.Fast.Ocpp.Server;
using Microsoft.Extensions.Logging;

namespace EvCloud.Fast.Cluster.Ownership;

/// <summary>
/// The gateway's side of the directory: every accepted charger is claimed before it is served (waiting at most
/// <see cref="ClusterOptions.ClaimTimeout"/>; past that the charger is served and the claim goes on), a lost claim or a
/// later takeover closes the socket with 1001, and a connection that ends gives up its claim.
/// </summary>
public sealed partial class DirectoryOwnership : IChargerOwnership
{
    private readonly ChargerDirectory _directory;
    private readonly TimeSpan _claimTimeout;
    private readonly ILogger _logger;

    // Claims still running, by connection: cancelled when the connection ends first.
    private readonly ConcurrentDictionary<OcppConnection, CancellationTokenSource> _claims = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the hook.</summary>
    public DirectoryOwnership(ChargerDirectory directory, ClusterOptions options, ILogger<DirectoryOwnership> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _claimTimeout = options.ClaimTimeout;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask ClaimAsync(OcppConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cancel = new CancellationTokenSource();
        _claims[connection] = cancel;
        Task claim = ClaimAndEnforceAsync(connection, cancel.Token);
        try
        {
            await claim.WaitAsync(_claimTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogClaimPending(_logger, connection.ChargePointId, _claimTimeout.TotalMilliseconds);
        }
    }

    /// <inheritdoc />
    public void Released(OcppConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_claims.TryRemove(connection, out CancellationTokenSource? cancel))
        {
            cancel.Cancel();
        }

        _directory.Release(connection.ChargePointId, connection);
    }

    private async Task ClaimAndEnforceAsync(OcppConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            ClaimResult result = await _directory.ClaimAsync(connection.ChargePointId, connection, _ => connection.Relinquish(), cancellationToken).ConfigureAwait(false);
            if (!result.Owned)
            {
                LogClaimLost(_logger, connection.ChargePointId, result.Owner.NodeId, result.Owner.Epoch);
                connection.Relinquish();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended before its claim was decided.
        }
        catch (Exception ex)
        {
            // NOTE: not expected (transient failures are retried inside); the charger stays served by this gateway.
            LogClaimFailed(_logger, connection.ChargePointId, ex);
        }
        finally
        {
            if (_claims.TryGetValue(connection, out CancellationTokenSource? cancel) && cancel.Token == cancellationToken)
            {
                _claims.TryRemove(KeyValuePair.Create(connection, cancel));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Charger {ChargePointId} served before its claim was decided ({TimeoutMs} ms); the claim goes on")]
    private static partial void LogClaimPending(ILogger logger, string chargePointId, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Charger {ChargePointId} is owned by {NodeId} (epoch {Epoch}): closing this gateway's socket")]
    private static partial void LogClaimLost(ILogger logger, string chargePointId, string nodeId, long epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claim of charger {ChargePointId} failed")]
    private static partial void LogClaimFailed(ILogger logger, string chargePointId, Exception error);
}

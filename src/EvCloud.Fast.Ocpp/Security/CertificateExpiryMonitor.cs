using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>Checks the tracked charger certificates every <c>ExpiryCheckInterval</c> and logs the ones about to expire.</summary>
public sealed class CertificateExpiryMonitor : BackgroundService
{
    private readonly CertificateInventory _inventory;
    private readonly ChargerSecurityOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the monitor.</summary>
    public CertificateExpiryMonitor(CertificateInventory inventory, ChargerSecurityOptions options, TimeProvider time)
    {
        _inventory = inventory;
        _options = options;
        _time = time;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ExpiryCheckInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.ExpiryCheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _inventory.WarnExpiring();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

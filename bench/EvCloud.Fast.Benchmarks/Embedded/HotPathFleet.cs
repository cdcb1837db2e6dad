using System.Runtime.CompilerServices;

namespace EvCloud.Fast.Benchmarks.Embedded;

/// <summary>
/// Several <see cref="HotPathCharger"/>s sending the same message at once, as a busy gateway sees them:
/// durable messages from different chargers then share a group commit, as they do in production.
/// </summary>
public sealed class HotPathFleet
{
    private readonly HotPathCharger[] _chargers;
    private readonly ValueTask[] _pending;

    private HotPathFleet(HotPathCharger[] chargers)
    {
        _chargers = chargers;
        _pending = new ValueTask[chargers.Length];
    }

    /// <summary>How many chargers send at once.</summary>
    public int Size => _chargers.Length;

    /// <summary>Connects <paramref name="size"/> chargers named <c>{prefix}{i}</c>.</summary>
    public static async Task<HotPathFleet> ConnectAsync(EmbeddedGateway gateway, string prefix, int size)
    {
        var chargers = new HotPathCharger[size];
        for (int i = 0; i < size; i++)
        {
            chargers[i] = await HotPathCharger.ConnectAsync(gateway, prefix + i).ConfigureAwait(false);
        }

        return new HotPathFleet(chargers);
    }

    /// <summary>Every charger sends <paramref name="message"/>; completes when every reply has arrived.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(HotMessage message)
    {
        for (int i = 0; i < _chargers.Length; i++)
        {
            _pending[i] = _chargers[i].SendAsync(message);
        }

        for (int i = 0; i < _chargers.Length; i++)
        {
            await _pending[i].ConfigureAwait(false);
        }
    }

    /// <summary>The first connection whose last reply to <paramref name="message"/> is not a CALLRESULT, or null.</summary>
    public EmbeddedCharger? FirstFailure(HotMessage message = HotMessage.Heartbeat)
    {
        foreach (HotPathCharger charger in _chargers)
        {
            EmbeddedCharger connection = message == HotMessage.TransactionEvent ? charger.Station : charger.Charger;
            if (!connection.LastReplyIsCallResult)
            {
                return connection;
            }
        }

        return null;
    }
}

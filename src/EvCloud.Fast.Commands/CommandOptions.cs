
namespace EvCloud.Fast.Commands;

/// <summary>
/// Delivery settings of the durable command outbox. Bound from the <c>Api</c> section (<c>Api:OutboxConnectGrace</c>,
/// <c>Api:OutboxSweepInterval</c>, <c>Api:OutboxRetention</c>): the outbox first served only the REST API and
/// deployed configurations set these keys there, so they keep their names now that OCPI and the console queue
/// commands through the same outbox.
/// </summary>
public sealed class CommandOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Api";

    /// <summary>
    /// After a charger connects, queued commands wait this long for a BootNotification before they are sent
    /// to a charger that was Accepted before (chargers often reconnect without booting).
    /// </summary>
    public TimeSpan OutboxConnectGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the outbox looks for expired commands and chargers ready for their queued commands.</summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long finished commands stay listed in the outbox (their CommandCompleted events stay in the log).</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);
}

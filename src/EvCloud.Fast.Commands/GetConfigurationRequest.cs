
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "get configuration". OCPP 1.6 §5.8 GetConfiguration (<c>key</c>); 2.0.1 / 2.1 use case B06 GetVariables.
/// </summary>
/// <remarks>
/// 1.6 configuration keys are flat names (<c>HeartbeatInterval</c>). 2.x has a device model of components and
/// variables, so a 2.x key is written <c>Component.Variable</c> or <c>Component.Variable.Instance</c>, where the
/// instance is the variable's (<c>OCPPCommCtrlr.MessageTimeout.Default</c>). Component instances and EVSE-scoped
/// components cannot be addressed this way.
/// </remarks>
public sealed record GetConfigurationRequest
{
    /// <summary>
    /// The keys to read. Absent or empty asks a 1.6 charger for all its keys; a 2.x station has no synchronous
    /// "read everything" (the full device model comes asynchronously through GetBaseReport and NotifyReport), so 2.x
    /// requires at least one key.
    /// </summary>
    public IReadOnlyList<string>? Keys { get; init; }
}


namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "change configuration". OCPP 1.6 §5.3 ChangeConfiguration takes one key per call, so a 1.6 charger gets one
/// CALL per setting; 2.0.1 / 2.1 use case B05 SetVariables takes them all in one CALL.
/// </summary>
public sealed record ChangeConfigurationRequest
{
    /// <summary>The settings to write, at least one; keys as in <see cref="GetConfigurationRequest"/>.</summary>
    public IReadOnlyList<ConfigurationValue>? Settings { get; init; }
}

/// <summary>One setting to write: 1.6 <c>key</c>/<c>value</c>, 2.x <c>component</c>/<c>variable</c>/<c>attributeValue</c>.</summary>
public sealed record ConfigurationValue
{
    /// <summary>1.6 key (at most 50 characters) or 2.x <c>Component.Variable[.Instance]</c>.</summary>
    public string? Key { get; init; }

    /// <summary>The new value as a string (1.6 at most 500 characters, 2.0.1 1000, 2.1 2500). Required; may be empty.</summary>
    public string? Value { get; init; }
}

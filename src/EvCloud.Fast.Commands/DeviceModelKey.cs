using V201 = EvCloud.Fast.Ocpp.Messages.Generated.V201;
using V21 = EvCloud.Fast.Ocpp.Messages.Generated.V21;

namespace EvCloud.Fast.Commands;

/// <summary>A 2.x device model address written <c>Component.Variable</c> or <c>Component.Variable.Instance</c>.</summary>
internal readonly record struct DeviceModelKey(string Component, string Variable, string? Instance)
{
    // OCPP 2.0.1 / 2.1 ComponentType.name, VariableType.name and .instance are identifierString(50).
    private const int NameMaxLength = 50;

    public static DeviceModelKey Parse(string? key, string field)
    {
        string text = string.IsNullOrEmpty(key) ? throw new CommandRequestException(field, $"{field} is required.") : key;
        string[] parts = text.Split('.');
        if (parts.Length is < 2 or > 3 || Array.Exists(parts, static p => p.Length == 0))
        {
            throw new CommandRequestException(
                field,
                $"{field} '{text}' must be written Component.Variable or Component.Variable.Instance for OCPP 2.x stations, e.g. OCPPCommCtrlr.HeartbeatInterval.");
        }

        foreach (string part in parts)
        {
            if (part.Length > NameMaxLength)
            {
                throw new CommandRequestException(field, $"{field}: '{part}' is longer than the {NameMaxLength} characters OCPP 2.x allows for a name.");
            }
        }

        return new DeviceModelKey(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    public static string Format(string component, string variable, string? instance) =>
        instance is null ? $"{component}.{variable}" : $"{component}.{variable}.{instance}";

    public V201.ComponentType Component201() => new() { Name = Component };

    public V201.VariableType Variable201() => new() { Name = Variable, Instance = Instance };

    public V21.ComponentType Component21() => new() { Name = Component };

    public V21.VariableType Variable21() => new() { Name = Variable, Instance = Instance };
}

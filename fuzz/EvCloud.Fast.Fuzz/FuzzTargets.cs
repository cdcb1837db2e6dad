using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Fuzz;

/// <summary>Every fuzz target by name: the command line's first argument and the corpus folder.</summary>
public static class FuzzTargets
{
    /// <summary>The target names, in the order the long runs take them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["handshake", "frame", "ocppj", "ocpp16", "ocpp201", "ocpp21"];

    /// <summary>Creates a target; dispose it when it is <see cref="IDisposable"/> (the message-path targets own storage).</summary>
    public static IFuzzTarget Create(string name) => name switch
    {
        "handshake" => new HandshakeTarget(),
        "frame" => new FrameTarget(),
        "ocppj" => new OcppJTarget(),
        "ocpp16" => new DispatcherTarget(name, OcppVersion.Ocpp16),
        "ocpp201" => new DispatcherTarget(name, OcppVersion.Ocpp201),
        "ocpp21" => new DispatcherTarget(name, OcppVersion.Ocpp21),
        _ => throw new ArgumentException($"Unknown target '{name}'; targets: {string.Join(", ", Names)}", nameof(name)),
    };
}

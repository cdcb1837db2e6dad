namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// One OCPP action of one protocol version with its compiled schemas. Instances are created once per
/// <see cref="OcppSchemaSet"/> and handed out by <see cref="OcppSchemaSet.TryGetAction"/>, so a receive loop can keep
/// the action as a reference instead of a string it decoded from the frame.
/// </summary>
public sealed class OcppAction
{
    internal OcppAction(string name, OcppVersion version, CompiledSchema? request, CompiledSchema? response)
    {
        Name = name;
        Utf8Name = System.Text.Encoding.UTF8.GetBytes(name);
        Version = version;
        Request = request;
        Response = response;
    }

    /// <summary>
    /// The action name (<c>BootNotification</c>), interned: it is the same instance as the C# literal, and callers reuse
    /// it instead of allocating a string per frame.
    /// </summary>
    public string Name { get; }

    /// <summary>The protocol version this action's schemas belong to.</summary>
    public OcppVersion Version { get; }

    /// <summary>The CALL (or SEND) payload schema; null only if the action has a response schema alone.</summary>
    public CompiledSchema? Request { get; }

    /// <summary>The CALLRESULT payload schema; null for SEND-only messages such as 2.1 <c>NotifyPeriodicEventStream</c>.</summary>
    public CompiledSchema? Response { get; }

    internal byte[] Utf8Name { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Version})";
}

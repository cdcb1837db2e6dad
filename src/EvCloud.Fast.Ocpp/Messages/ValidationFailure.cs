namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// The first violation found, filled in by the innermost failing check; each enclosing level then prepends its
/// property name or array index while the recursion unwinds, so the success path never builds a path.
/// </summary>
internal struct ValidationFailure
{
    public ViolationKind Kind { get; private set; }

    public string? Message { get; private set; }

    /// <summary>JSON path such as <c>meterValue[0].sampledValue</c>; null at the payload root.</summary>
    public string? Path { get; private set; }

    /// <summary>Records the violation and returns false, so a check can end with <c>return failure.Set(...)</c>.</summary>
    public bool Set(ViolationKind kind, string message)
    {
        Kind = kind;
        Message = message;
        Path = null;
        return false;
    }

    public void PrependProperty(string name) =>
        Path = Path is null ? name : Path[0] == '[' ? name + Path : name + "." + Path;

    public void PrependIndex(int index) =>
        Path = Path is null || Path[0] == '[' ? $"[{index}]{Path}" : $"[{index}].{Path}";
}

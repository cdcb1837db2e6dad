
namespace EvCloud.Fast.Commands;

/// <summary>
/// Body of "reset". OCPP 1.6 §5.14 Reset (<c>type</c> Soft or Hard); 2.0.1 / 2.1 use cases B11/B12 Reset
/// (<c>type</c> OnIdle or Immediate). The 1.6 semantics are mapped onto 2.x: a Soft reset waits for transactions to
/// end gracefully, which is 2.x <c>OnIdle</c>; a Hard reset does not wait, which is 2.x <c>Immediate</c>.
/// </summary>
public sealed record ResetRequest
{
    /// <summary><c>Soft</c> (2.x <c>OnIdle</c>) or <c>Hard</c> (2.x <c>Immediate</c>). Required.</summary>
    public string? Type { get; init; }

    /// <summary>2.x only: reset one EVSE instead of the whole station (<c>evseId</c>). 1.6 always resets the whole charge point.</summary>
    public int? EvseId { get; init; }
}

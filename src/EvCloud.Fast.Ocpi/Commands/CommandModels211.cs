using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>
/// The body of a command to a 2.1.1 CPO (mod_commands §3.2–3.5: ReserveNow, StartSession, StopSession,
/// UnlockConnector), one class for the four like <see cref="OcpiCommandRequest"/>: a 2.1.1 Token, an integer
/// reservation_id, no authorization_reference, no CANCEL_RESERVATION.
/// </summary>
public sealed class OcpiCommandRequest211
{
    /// <summary>URL the CPO POSTs the CommandResponse of the Charge Point to.</summary>
    public string? ResponseUrl { get; set; }

    /// <summary>Token: START_SESSION, RESERVE_NOW.</summary>
    public OcpiToken211? Token { get; set; }

    /// <summary>string(39): START_SESSION, RESERVE_NOW, UNLOCK_CONNECTOR.</summary>
    public string? LocationId { get; set; }

    /// <summary>string(39): optional for START_SESSION and RESERVE_NOW, required for UNLOCK_CONNECTOR.</summary>
    public string? EvseUid { get; set; }

    /// <summary>string(36): UNLOCK_CONNECTOR (StartSession has no connector in 2.1.1).</summary>
    public string? ConnectorId { get; set; }

    /// <summary>string(36): STOP_SESSION.</summary>
    public string? SessionId { get; set; }

    /// <summary>int: RESERVE_NOW.</summary>
    public int? ReservationId { get; set; }

    /// <summary>RESERVE_NOW.</summary>
    public DateTimeOffset? ExpiryDate { get; set; }
}

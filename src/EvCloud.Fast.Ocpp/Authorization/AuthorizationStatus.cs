namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>
/// The result of authorizing an id token, one byte in events. Names follow OCPP 1.6 AuthorizationStatus;
/// 2.x AuthorizationStatusEnumType adds the values after <see cref="ConcurrentTx"/>.
/// </summary>
public enum AuthorizationStatus : byte
{
    /// <summary>Not authorized (never sent).</summary>
    None = 0,
    /// <summary>Allowed to charge.</summary>
    Accepted = 1,
    /// <summary>Known, but blocked.</summary>
    Blocked = 2,
    /// <summary>Known, but past its expiry date.</summary>
    Expired = 3,
    /// <summary>Unknown token.</summary>
    Invalid = 4,
    /// <summary>Already in a transaction elsewhere, and concurrent transactions are not allowed for it.</summary>
    ConcurrentTx = 5,
    /// <summary>2.x: no credit left.</summary>
    NoCredit = 6,
    /// <summary>2.x: not allowed at this type of EVSE.</summary>
    NotAllowedTypeEVSE = 7,
    /// <summary>2.x: not allowed at this location.</summary>
    NotAtThisLocation = 8,
    /// <summary>2.x: not allowed at this time.</summary>
    NotAtThisTime = 9,
    /// <summary>2.x: unknown token.</summary>
    Unknown = 10,
}

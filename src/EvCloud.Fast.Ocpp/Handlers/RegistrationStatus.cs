namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>BootNotification RegistrationStatus, one byte in state and events.</summary>
public enum RegistrationStatus : byte
{
    /// <summary>Never booted.</summary>
    Unknown = 0,
    /// <summary>Accepted.</summary>
    Accepted = 1,
    /// <summary>Pending: the charger must boot again later; the CSMS may configure it meanwhile.</summary>
    Pending = 2,
    /// <summary>Rejected: the charger must not send anything but BootNotification, after the retry interval.</summary>
    Rejected = 3,
}

namespace EvCloud.Fast.Storage.Events;

/// <summary>BootNotification. Protocol is 16, 201 or 210; RegistrationStatus 1 Accepted, 2 Pending, 3 Rejected.</summary>
public sealed record ChargerBooted(long TimestampMs, string ChargerId, byte Protocol, byte RegistrationStatus, ChargerIdentity Identity)
    : DomainEvent(TimestampMs, ChargerId)
{
    public override DomainEventKind Kind => DomainEventKind.ChargerBooted;
}


namespace EvCloud.Fast.Commands;

/// <summary>Body of "cancel reservation". OCPP 1.6 §5.1 CancelReservation; 2.0.1 / 2.1 use case H02 CancelReservation.</summary>
public sealed record CancelReservationRequest
{
    /// <summary><c>reservationId</c> as given in <see cref="ReserveNowRequest.ReservationId"/>; at least 0. Required.</summary>
    public int? ReservationId { get; init; }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Tokens;

namespace EvCloud.Fast.Ocpi.Commands;

/// <summary>
/// The body of every command (OCPI 2.2.1 §13.3): one class holding the union of StartSession, StopSession, ReserveNow,
/// CancelReservation and UnlockConnector, since they share <c>response_url</c> and most fields; the command type in the
/// URL decides which fields are required.
/// </summary>
public sealed class OcpiCommandRequest
{
    /// <summary>URL, required for every command.</summary>
    public string? ResponseUrl { get; set; }

    /// <summary>Token: START_SESSION, RESERVE_NOW.</summary>
    public OcpiToken? Token { get; set; }

    /// <summary>CiString(36): START_SESSION, RESERVE_NOW, UNLOCK_CONNECTOR.</summary>
    public string? LocationId { get; set; }

    /// <summary>CiString(36): optional for START_SESSION and RESERVE_NOW, required for UNLOCK_CONNECTOR.</summary>
    public string? EvseUid { get; set; }

    /// <summary>CiString(36): optional for START_SESSION, required for UNLOCK_CONNECTOR.</summary>
    public string? ConnectorId { get; set; }

    /// <summary>CiString(36): STOP_SESSION.</summary>
    public string? SessionId { get; set; }

    /// <summary>CiString(36): RESERVE_NOW, CANCEL_RESERVATION (2.1.1 ReserveNow sends an int: read as its digits).</summary>
    [JsonConverter(typeof(StringOrIntegerConverter))]
    public string? ReservationId { get; set; }

    /// <summary>RESERVE_NOW.</summary>
    public DateTimeOffset? ExpiryDate { get; set; }

    /// <summary>CiString(36).</summary>
    public string? AuthorizationReference { get; set; }
}

/// <summary>CommandResponse (2.2.1 §13.3.2): the CPO's immediate answer, not the charger's.</summary>
public sealed class CommandResponse
{
    /// <summary>CommandResponseType: NOT_SUPPORTED, REJECTED, ACCEPTED, UNKNOWN_SESSION (2.1.1 adds TIMEOUT).</summary>
    public string Result { get; set; } = "";

    /// <summary>Seconds the sender should wait for the CommandResult (2.2.1 only; null for 2.1.1).</summary>
    public int? Timeout { get; set; }

    /// <summary>Why, in words.</summary>
    public List<DisplayText>? Message { get; set; }
}

/// <summary>CommandResult (2.2.1 §13.3.3): the charger's answer, POSTed to response_url.</summary>
public sealed class CommandResult
{
    /// <summary>
    /// CommandResultType: ACCEPTED, CANCELED_RESERVATION, EVSE_OCCUPIED, EVSE_INOPERATIVE, FAILED, NOT_SUPPORTED,
    /// REJECTED, TIMEOUT, UNKNOWN_RESERVATION.
    /// </summary>
    public string? Result { get; set; }

    /// <summary>Why, in words.</summary>
    public List<DisplayText>? Message { get; set; }
}

/// <summary>
/// A string that a 2.1.1 partner sends as a number (ReserveNow.reservation_id is an int in 2.1.1, mod_commands §3.2,
/// a CiString(36) in 2.2.1): an integer token is read as its decimal text; written as a string.
/// </summary>
internal sealed class StringOrIntegerConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt64(out long number) => number.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a string or an integer."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

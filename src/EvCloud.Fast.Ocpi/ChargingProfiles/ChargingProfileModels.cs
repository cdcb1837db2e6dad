using System.Text.Json.Serialization;
using EvCloud.Fast.Tariffs;

namespace EvCloud.Fast.Ocpi.ChargingProfiles;

/// <summary>ChargingProfile class (OCPI 2.2.1 §19.4.3): limits over time, in A per phase or total W.</summary>
public sealed class OcpiChargingProfile
{
    /// <summary>Start of an absolute profile; absent: relative to the start of charging.</summary>
    public DateTimeOffset? StartDateTime { get; set; }

    /// <summary>Seconds; absent: the last period lasts until the session ends.</summary>
    public int? Duration { get; set; }

    /// <summary>ChargingRateUnit: W or A.</summary>
    public string? ChargingRateUnit { get; set; }

    /// <summary>Minimum rate the EV supports.</summary>
    public decimal? MinChargingRate { get; set; }

    /// <summary>The periods.</summary>
    public List<OcpiChargingProfilePeriod>? ChargingProfilePeriod { get; set; }
}

/// <summary>ChargingProfilePeriod class (§19.4.4).</summary>
public sealed class OcpiChargingProfilePeriod
{
    /// <summary>Seconds from the start of the profile.</summary>
    public int StartPeriod { get; set; }

    /// <summary>The limit, at most one decimal.</summary>
    public decimal Limit { get; set; }
}

/// <summary>SetChargingProfile object (§19.3.6): the body of the Receiver PUT.</summary>
public sealed class SetChargingProfile
{
    /// <summary>The profile.</summary>
    public OcpiChargingProfile? ChargingProfile { get; set; }

    /// <summary>Where the ChargingProfileResult goes.</summary>
    public string? ResponseUrl { get; set; }
}

/// <summary>ChargingProfileResponse object (§19.3.1): the Receiver's direct answer.</summary>
public sealed class ChargingProfileResponse
{
    /// <summary>ChargingProfileResponseType: ACCEPTED, NOT_SUPPORTED, REJECTED, TOO_OFTEN, UNKNOWN_SESSION.</summary>
    public string Result { get; set; } = "";

    /// <summary>Seconds the Sender should wait for the asynchronous result.</summary>
    public int Timeout { get; set; }
}

/// <summary>ChargingProfileResult (§19.3.3) and ClearProfileResult (§19.3.4): the charger's outcome.</summary>
public sealed class ChargingProfileResult
{
    /// <summary>ChargingProfileResultType: ACCEPTED, REJECTED, UNKNOWN.</summary>
    public string Result { get; set; } = "";
}

/// <summary>ActiveChargingProfileResult object (§19.3.2).</summary>
public sealed class ActiveChargingProfileResult
{
    /// <summary>ChargingProfileResultType.</summary>
    public string Result { get; set; } = "";

    /// <summary>The schedule, when ACCEPTED.</summary>
    public ActiveChargingProfile? Profile { get; set; }
}

/// <summary>ActiveChargingProfile class (§19.4.1): the schedule the charger computed.</summary>
public sealed class ActiveChargingProfile
{
    /// <summary>When the charger calculated it; the periods are relative to this.</summary>
    public DateTimeOffset StartDateTime { get; set; }

    /// <summary>The schedule.</summary>
    public OcpiChargingProfile ChargingProfile { get; set; } = new();
}

/// <summary>Source-generated JSON of the module (OCPI snake_case, UTC DateTime with 'Z').</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(OcpiDateTimeConverter)])]
[JsonSerializable(typeof(SetChargingProfile))]
[JsonSerializable(typeof(ChargingProfileResponse))]
[JsonSerializable(typeof(ChargingProfileResult))]
[JsonSerializable(typeof(ActiveChargingProfileResult))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class OcpiChargingProfileJsonContext : JsonSerializerContext;

using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Why a payload failed its schema: the CALLERROR code to answer with and a description that names the JSON path,
/// e.g. <c>meterValue[0].sampledValue[1].unit: value is not one of the allowed values</c>.
/// </summary>
/// <remarks>
/// <see cref="Description"/> is at most <see cref="MaxDescriptionLength"/> characters so it fits a CALLERROR
/// <c>errorDescription</c> (OCPP 2.x limits it to 255). It never echoes payload values, only property names, so it
/// cannot leak an idToken into a log.
/// </remarks>
public readonly struct OcppValidationError
{
    /// <summary>Longest <see cref="Description"/>; longer descriptions are cut and end in "...".</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>Creates an error; <paramref name="description"/> is shortened to <see cref="MaxDescriptionLength"/>.</summary>
    public OcppValidationError(OcppErrorCode code, string description)
    {
        Code = code;
        Description = description.Length <= MaxDescriptionLength
            ? description
            : string.Concat(description.AsSpan(0, MaxDescriptionLength - 3), "...");
    }

    /// <summary>The CALLERROR code; spell it with <see cref="OcppErrorCodes.Utf8"/> for the connection's version.</summary>
    public OcppErrorCode Code { get; }

    /// <summary>A human-readable reason naming the JSON path; empty for <c>default</c>.</summary>
    public string Description => field ?? string.Empty;

    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Description}";
}

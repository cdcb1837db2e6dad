using System.Diagnostics;
using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Diagnostics;

/// <summary>
/// The gateway's <see cref="ActivitySource"/>: one span per CALL the server sends to a charger (a command), from the
/// moment it is queued to its answer, tagged with the charger, the action and the result. Charger-initiated messages
/// get no span: at 20k chargers they are the hot path (0 B per message), and their counts and latency are metrics.
/// </summary>
public static class OcppTelemetry
{
    /// <summary>The source name, to register with the tracer (<c>AddSource</c>).</summary>
    public const string ActivitySourceName = "EvCloud.Fast.Ocpp";

    /// <summary>The source; <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null (and allocates nothing) while no tracer listens.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// The <c>status</c> field at the top of a CALLRESULT payload ("Accepted", "Rejected", …), or null: what most
    /// command answers say, and what an operator looks for in the answered line.
    /// </summary>
    public static string? AnswerStatus(byte[]? payload)
    {
        if (payload is null || payload.Length == 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isStatus = reader.ValueTextEquals("status"u8);
                reader.Read();
                if (isStatus && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A payload that failed validation may not be JSON at all; the result's status says enough then.
        }

        return null;
    }
}

using System.Text.Json;

namespace EvCloud.Fast.Ocpp.Handlers.Ocpp2;

/// <summary>Reads an OCPP 2.x IdTokenType object (<c>{ idToken, type, additionalInfo? }</c>) down to its token value.</summary>
internal static class IdTokenReader
{
    /// <summary>Scratch size: 2.1 idTokens are up to 255 characters (2.0.1: 36).</summary>
    public const int MaxBytes = 256;

    /// <summary>
    /// Reader on the object's StartObject; leaves it on its EndObject. Copies the <c>idToken</c> string into
    /// <paramref name="scratch"/> and returns its length.
    /// </summary>
    public static int Read(ref Utf8JsonReader p, scoped Span<byte> scratch)
    {
        scoped ReadOnlySpan<byte> value = default;
        int length = 0;
        while (p.Read() && p.TokenType == JsonTokenType.PropertyName)
        {
            if (p.ValueTextEquals("idToken"u8))
            {
                p.Read();
                value = JsonPayload.Utf8(in p, scratch);
                if (!value.Overlaps(scratch))
                {
                    value.CopyTo(scratch);
                }

                length = value.Length;
            }
            else
            {
                p.Read();
                p.Skip();
            }
        }

        return length;
    }
}

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>The <c>uri</c> format check on UTF-8 bytes: an RFC 3986 absolute URI at the character level.</summary>
/// <remarks>
/// Checks <c>scheme ":"</c> (RFC 3986 §3.1: <c>ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )</c>), that every other byte is
/// an unreserved, reserved or '%' character (§2), and that each '%' starts a two-hex-digit escape. It does not parse the
/// authority or path grammar: OCPP uses this only for the 1.6 diagnostics and firmware locations, which the charger
/// fetches and rejects itself if unreachable.
/// </remarks>
internal static class UriFormat
{
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        int colon = value.IndexOf((byte)':');
        if (colon < 1 || !char.IsAsciiLetter((char)value[0]))
        {
            return false;
        }

        for (int i = 1; i < colon; i++)
        {
            byte b = value[i];
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        for (int i = colon + 1; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit((char)value[i + 1]) || !char.IsAsciiHexDigit((char)value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!IsUriCharacter(b))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3986 §2.2 reserved and §2.3 unreserved characters.
    private static bool IsUriCharacter(byte b) =>
        char.IsAsciiLetterOrDigit((char)b)
        || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'
            or (byte)':' or (byte)'/' or (byte)'?' or (byte)'#' or (byte)'[' or (byte)']' or (byte)'@'
            or (byte)'!' or (byte)'$' or (byte)'&' or (byte)'\'' or (byte)'(' or (byte)')' or (byte)'*' or (byte)'+'
            or (byte)',' or (byte)';' or (byte)'=';
}

using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EvCloud.Fast.Ocpi.Protocol;

/// <summary>
/// The <c>Authorization: Token …</c> header (OCPI 2.2.1 §4.1.3). 2.2.1 requires the token Base64-encoded; 2.1.1 and
/// many 2.2 implementations send it as is. On input both are tried (the spec's note allows "trial and error"); on
/// output the partner's <see cref="TokenEncoding"/> decides.
/// </summary>
public static class CredentialsTokenHeader
{
    /// <summary>OCPI 2.2.1 Credentials.token is string(64).</summary>
    public const int MaxTokenLength = 64;

    /// <summary>The header value for <paramref name="token"/>.</summary>
    public static string Format(string token, TokenEncoding encoding) =>
        "Token " + (encoding == TokenEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(token)) : token);

    /// <summary>
    /// The candidate tokens in a header value: the literal after <c>Token </c>, then its Base64 decoding when that is
    /// printable ASCII. Empty when the header is absent or not of the Token scheme.
    /// </summary>
    public static (string? Literal, string? Decoded) Candidates(string? header)
    {
        if (header is null || header.Length < 7 || !header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        string literal = header[6..].Trim();
        if (literal.Length == 0)
        {
            return (null, null);
        }

        return (literal, TryDecode(literal));
    }

    /// <summary>Base64 decoding of <paramref name="value"/> when it decodes to printable non-whitespace ASCII (U+0021–U+007E).</summary>
    public static string? TryDecode(string value)
    {
        if (value.Length % 4 != 0 || value.Length > 4 * ((MaxTokenLength * 2 + 2) / 3))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out int written) || written == 0)
        {
            return null;
        }

        // A trailing newline is a common artefact of `echo token | base64` (the spec's own example decodes to one).
        while (written > 0 && bytes[written - 1] is (byte)'\n' or (byte)'\r')
        {
            written--;
        }

        for (int i = 0; i < written; i++)
        {
            if (bytes[i] is < 0x21 or > 0x7E)
            {
                return null;
            }
        }

        return written == 0 ? null : Encoding.ASCII.GetString(bytes[..written]);
    }

    /// <summary>Whether a token is acceptable as a credentials token: 1–64 printable non-whitespace ASCII characters.</summary>
    public static bool IsValidToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A fresh credentials token: 32 random bytes, URL-safe Base64 without padding (43 characters).</summary>
    public static string NewToken()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        Span<byte> encoded = stackalloc byte[Base64Url.GetEncodedLength(32)];
        Base64Url.EncodeToUtf8(random, encoded);
        return Encoding.ASCII.GetString(encoded);
    }

    /// <summary>SHA-256 of a token in lower-case hex: what we store for tokens partners present to us.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
